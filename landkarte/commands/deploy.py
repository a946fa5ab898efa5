"""landkarte deploy — provision the shared infrastructure with Pulumi, under change control.

``preview`` shows every resource change (create/update/replace/delete with the changed inputs,
secrets masked) and, with ``--save-plan FILE``, saves it as the approved plan (beside Pulumi's
own update plan). ``up --plan FILE`` previews again and applies only if nothing differs from the
approval, with Pulumi's update plan as a second guard; ``up`` and ``destroy`` ask on a terminal
and need ``--yes`` otherwise. A stack needs its ``Pulumi.<stack>.yaml`` (``--create`` for a new
one); the stack file is never written: the plan path reaches the program through
``LANDKARTE_PLAN_PATH``. ``render`` needs no engine: it runs the same stack program under a
recording mock and writes the resource graph as JSON.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from common.errors import ExternalToolMissing, InputError, LandkarteError, RemoteError
from landkarte.commands._common import PROJECT_DIR, JsonOpt, load_plan
from landkarte.console import console, err_console, print_json, progress

__all__ = ["PROJECT_DIR", "PULUMI_MISSING", "app", "confirm"]

app = typer.Typer(no_args_is_help=True)

PULUMI_MISSING = (
    "The Pulumi CLI is not installed: install it with `curl -fsSL https://get.pulumi.com | sh` "
    "(or your platform's package, see https://www.pulumi.com/docs/install/) and make sure `pulumi` is on PATH."
)
POLICY_PACK = "stacks/policies"
SECRET_INPUT_KEYS = ("password", "privateKeyPem", "caPrivateKeyPem", "apiToken", "token", "clientSecret")
"""Inputs always shown as [secret] in a diff, even where a provider does not mark them."""

StackOpt = Annotated[str, typer.Option("--stack", help="Stack name, e.g. dev (config in Pulumi.<stack>.yaml).")]
PlanOpt = Annotated[Path, typer.Option("--plan", help="Plan JSON written by `landkarte plan`.")]
YesOpt = Annotated[bool, typer.Option("--yes", help="Do not ask (needed when not run on a terminal).")]
CreateOpt = Annotated[bool, typer.Option("--create", help="Create the stack if it does not exist yet.")]


def _check_stack_config(stack: str | None, *, create: bool = False) -> dict[str, Any]:
    """The stack file's config, checked like the program will check it (clear errors before any engine);
    an unknown stack is an error unless ``create``."""
    from stacks.config import stack_config

    return stack_config(PROJECT_DIR, stack, create=create)


def confirm(question: str, *, yes: bool, interactive: bool | None = None) -> None:
    """Go on only with ``--yes`` or a "yes" on a terminal; never silently without a terminal.

    Raises
    ------
    LandkarteError
        Not confirmed; nothing was changed.
    """
    if yes:
        return
    interactive = sys.stdin.isatty() if interactive is None else interactive
    if not interactive:
        raise LandkarteError(f"{question} — not run on a terminal: pass --yes to confirm; nothing was changed")
    if not typer.confirm(question, default=False, err=True):
        raise LandkarteError("not confirmed; nothing was changed")


def _stack(stack: str, plan: Path, *, create: bool, action: str = "preview"):
    """Select (or, with ``create``, create) the stack; the plan path goes to the program by environment."""
    if shutil.which("pulumi") is None:
        raise ExternalToolMissing(PULUMI_MISSING)
    from pulumi import automation as auto

    from stacks.config import PLAN_PATH_ENV

    plan_abs = str(plan.resolve())
    ws = auto.LocalWorkspaceOptions(work_dir=str(PROJECT_DIR),
                                    env_vars={PLAN_PATH_ENV: plan_abs, "LANDKARTE_POLICY_PLAN": plan_abs})
    try:
        if create:
            return auto.create_or_select_stack(stack_name=stack, work_dir=str(PROJECT_DIR), opts=ws)
        return auto.select_stack(stack_name=stack, work_dir=str(PROJECT_DIR), opts=ws)
    except auto.errors.StackNotFoundError:
        raise InputError(f"stack {stack!r} does not exist in the backend; pass --create to start it") from None
    except auto.errors.CommandError as exc:
        last = str(exc).strip().splitlines()[-1].strip().removeprefix("stderr:").strip()
        raise RemoteError(f"pulumi {action} failed for stack {stack}: {last}") from None
    except FileNotFoundError:
        raise ExternalToolMissing(PULUMI_MISSING) from None


def _policy_args(tmp: Path, plan: Path) -> dict[str, Any]:
    policy_config = tmp / "policy-config.json"
    policy_config.write_text(json.dumps({name: {"planPath": str(plan.resolve())} for name in (
        "tenant-isolation", "sehr-hoch-only-in-certified-sites")}), encoding="utf-8")
    return {"policy_packs": [str(PROJECT_DIR / POLICY_PACK)], "policy_pack_configs": [str(policy_config)]}


def _engine(action: str, stack: str, call: Callable[[Callable[[Any], None]], Any]) -> list[Any]:
    """Run one engine operation with a progress bar; return its engine events."""
    from pulumi import automation as auto

    events: list[Any] = []
    try:
        with progress(transient=True) as bar:
            task = bar.add_task(f"pulumi {action} {stack}", total=None) if bar else None

            def on_event(event: Any) -> None:
                events.append(event)
                if bar is not None and task is not None and getattr(event, "resource_pre_event", None):
                    bar.advance(task)

            call(on_event)
    except auto.errors.CommandError as exc:
        last = str(exc).strip().splitlines()[-1].strip().removeprefix("stderr:").strip()
        raise RemoteError(f"pulumi {action} failed for stack {stack}: {last}") from None
    except FileNotFoundError:
        raise ExternalToolMissing(PULUMI_MISSING) from None
    return events


def _show(changes: list, as_json: bool, extra: dict | None = None) -> None:
    from dataclasses import asdict

    from stacks.changes import render_changes

    if as_json:
        print_json({**(extra or {}), "changes": [asdict(c) for c in changes]})
        return
    for line in render_changes(changes):
        console.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command("preview", help="Show every resource change `up` would make (policy pack attached); "
                             "--save-plan FILE saves it as the approved plan.")
def preview(stack: StackOpt, plan: PlanOpt, save_plan: Annotated[Path | None, typer.Option(
        "--save-plan", help="Save the changes as the approved plan (and Pulumi's update plan beside it) "
                            "for `deploy up --plan FILE`.")] = None,
            create: CreateOpt = False, as_json: JsonOpt = False) -> int:
    from stacks.changes import approval, changes_from_events, write_approval

    _check_stack_config(stack, create=create)
    load_plan(plan)
    st = _stack(stack, plan, create=create)
    update_plan = str(save_plan.with_name(save_plan.name + ".pulumi-plan.json")) if save_plan else None
    with tempfile.TemporaryDirectory(prefix="landkarte-policy-") as tmp:
        kwargs = _policy_args(Path(tmp), plan)
        events = _engine("preview", stack, lambda on_event: st.preview(
            on_event=on_event, plan=update_plan, diff=False, **kwargs))
    changes = changes_from_events(events, secret_keys=SECRET_INPUT_KEYS)
    _show(changes, as_json, {"action": "preview", "stack": stack})
    if save_plan:
        write_approval(approval(changes, stack=stack, plan_path=plan, update_plan=update_plan), save_plan)
        err_console.print(f"approved plan saved: {save_plan} (apply with `landkarte deploy up --stack {stack} "
                          f"--plan {save_plan}`)", markup=False)
    return 0


@app.command("up", help="Apply exactly the approved plan of `preview --save-plan`, or refuse.")
def up(stack: StackOpt, approved: Annotated[Path, typer.Option(
        "--plan", help="Approved plan written by `landkarte deploy preview --save-plan FILE`.")],
       yes: YesOpt = False, as_json: JsonOpt = False) -> int:
    from stacks.changes import changes_from_events, differences, read_approval

    doc = read_approval(approved)
    plan = Path(doc["plan"]["path"])
    _check_stack_config(stack)
    load_plan(plan)
    st = _stack(stack, plan, create=False)
    with tempfile.TemporaryDirectory(prefix="landkarte-policy-") as tmp:
        kwargs = _policy_args(Path(tmp), plan)
        events = _engine("preview", stack, lambda on_event: st.preview(on_event=on_event, diff=False, **kwargs))
        current = changes_from_events(events, secret_keys=SECRET_INPUT_KEYS)
        problems = differences(doc, current, stack=stack, plan_path=plan)
        if problems:
            raise LandkarteError(f"refused: the stack no longer matches the approved plan {approved}:\n  "
                                 + "\n  ".join(problems) + "\nrun `landkarte deploy preview --save-plan` again "
                                 "and have it approved; nothing was changed")
        _show(current, as_json, {"action": "up", "stack": stack})
        confirm(f"apply these {len(current)} changes to stack {stack}?", yes=yes)
        update_plan = doc.get("pulumi_update_plan")
        events = _engine("up", stack, lambda on_event: st.up(
            on_event=on_event, plan=update_plan if update_plan and Path(update_plan).exists() else None,
            show_secrets=False, diff=False, **kwargs))
    if not as_json:
        console.print(f"pulumi up {stack}: applied the approved plan {approved}", markup=False)
    return 0


@app.command("destroy", help="Delete the stack's resources (asks; protected resources are explained, "
                             "never half deleted).")
def destroy(stack: StackOpt, plan: PlanOpt, yes: YesOpt = False,
            exclude_protected: Annotated[bool, typer.Option(
                "--exclude-protected", help="Delete everything except the protected resources.")] = False,
            as_json: JsonOpt = False) -> int:
    from stacks.changes import protected_resources

    _check_stack_config(stack)
    load_plan(plan)
    st = _stack(stack, plan, create=False, action="destroy")
    try:
        deployment = st.export_stack()
    except FileNotFoundError:
        raise ExternalToolMissing(PULUMI_MISSING) from None
    protected = protected_resources(getattr(deployment, "deployment", None) or {})
    if protected and not exclude_protected:
        lines = "\n  ".join(protected[:20]) + (f"\n  … and {len(protected) - 20} more" if len(protected) > 20 else "")
        raise LandkarteError(
            f"refused: {len(protected)} resource(s) of stack {stack} are protected (VMs with Schutzbedarf hoch or "
            f"sehr hoch):\n  {lines}\nPulumi would stop at the first of them and leave the stack half deleted. "
            "Either remove the protection deliberately (`pulumi state unprotect --stack "
            f"{stack} URN`, after the data is migrated) or pass --exclude-protected to delete everything else; "
            "nothing was changed")
    confirm(f"delete {'the unprotected' if protected else 'every'} resource of stack {stack}?", yes=yes)
    _engine("destroy", stack, lambda on_event: st.destroy(on_event=on_event, exclude_protected=exclude_protected
                                                           or None, show_secrets=False))
    if as_json:
        print_json({"action": "destroy", "stack": stack, "kept_protected": protected})
    else:
        console.print(f"pulumi destroy {stack}: done" + (f" ({len(protected)} protected kept)" if protected else ""),
                      markup=False)
    return 0


@app.command("render", help="Write the resource graph the stack program declares (no Pulumi CLI needed).")
def render(
    plan: PlanOpt,
    out: Annotated[Path | None, typer.Option("--out", help="Write the graph JSON here (default: stdout).")] = None,
    stack: Annotated[str | None, typer.Option("--stack", help="Take config from Pulumi.<stack>.yaml.")] = None,
    as_json: JsonOpt = False,
) -> int:
    from stacks.config import stack_config
    from stacks.firewall import PlanInconsistency
    from stacks.render import render as render_graph
    from stacks.render import write_graph

    config = stack_config(PROJECT_DIR, stack)
    try:
        with progress() as bar:
            task = bar.add_task("declaring resources", total=None) if bar is not None else None
            graph, _recording = render_graph(
                plan, config=config, stack=stack or "render",
                on_register=(lambda _r: bar.advance(task)) if bar is not None and task is not None else None)
    except PlanInconsistency as exc:  # it names the key path; the file is known here
        raise InputError(f"plan {plan}: {exc}") from None
    if out is None:
        print_json(graph)
    else:
        write_graph(graph, out)
        if as_json:
            print_json({"out": str(out), "resources": len(graph["resources"]), "violations": graph["violations"]})
        else:
            console.print(f"wrote {out}: {len(graph['resources'])} resources, "
                          f"{len(graph['violations'])} policy violations")
    if graph["violations"]:
        lines = [f"  [{v['policy']}] {v['urn']}: {v['message']}" for v in graph["violations"][:20]]
        more = len(graph["violations"]) - len(lines)
        raise InputError(f"{len(graph['violations'])} policy violation(s):\n" + "\n".join(lines)
                             + (f"\n  … and {more} more" if more > 0 else ""))
    return 0
