"""landkarte deploy — provision the shared infrastructure with Pulumi.

``preview``/``up``/``destroy`` drive the Pulumi Automation API on the project in the repository
root (``Pulumi.yaml``, program ``stacks/``) with the policy pack ``stacks/policies`` attached;
they need the Pulumi CLI. ``render`` needs nothing: it runs the same stack program under a
recording mock and writes the resource graph as JSON for review.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from common.errors import ExternalToolMissing, InputError, RemoteError
from landkarte.commands._common import JsonOpt, load_plan
from landkarte.console import console, err_console, print_json, progress

__all__ = ["PROJECT_DIR", "PULUMI_MISSING", "app"]

app = typer.Typer(no_args_is_help=True)

PROJECT_DIR = Path(__file__).resolve().parents[2]
"""The repository root, which holds Pulumi.yaml."""

PULUMI_MISSING = (
    "The Pulumi CLI is not installed: install it with `curl -fsSL https://get.pulumi.com | sh` "
    "(or your platform's package, see https://www.pulumi.com/docs/install/) and make sure `pulumi` is on PATH."
)

StackOpt = Annotated[str, typer.Option("--stack", help="Stack name, e.g. dev (config in Pulumi.<stack>.yaml).")]
PlanOpt = Annotated[Path, typer.Option("--plan", help="Plan JSON written by `landkarte plan`.")]


def _run(action: str, stack: str, plan: Path, as_json: bool) -> int:
    if shutil.which("pulumi") is None:
        raise ExternalToolMissing(PULUMI_MISSING)
    from stacks.config import stack_config

    load_plan(plan)
    stack_config(PROJECT_DIR, stack)
    from pulumi import automation as auto

    plan_abs = str(plan.resolve())
    with tempfile.TemporaryDirectory(prefix="landkarte-policy-") as tmp:
        policy_config = Path(tmp) / "policy-config.json"
        policy_config.write_text(json.dumps({name: {"planPath": plan_abs} for name in (
            "tenant-isolation", "sehr-hoch-only-in-certified-sites")}), encoding="utf-8")
        try:
            ws = auto.LocalWorkspaceOptions(work_dir=str(PROJECT_DIR), env_vars={"LANDKARTE_POLICY_PLAN": plan_abs})
            st = auto.create_or_select_stack(stack_name=stack, work_dir=str(PROJECT_DIR), opts=ws)
            st.set_config("landkarte:planPath", auto.ConfigValue(value=plan_abs))
            kwargs: dict[str, Any] = {}
            if action != "destroy":
                kwargs = {"policy_packs": [str(PROJECT_DIR / "stacks" / "policies")],
                          "policy_pack_configs": [str(policy_config)]}
            with progress(transient=False) as bar:
                task = bar.add_task(f"pulumi {action} {stack}", total=None) if bar else None

                def on_event(event: Any) -> None:
                    if bar is not None and task is not None and getattr(event, "res_outputs_event", None) or bar is not None and task is not None and getattr(event, "resource_pre_event", None) \
                            and action == "preview":
                        bar.advance(task)

                def on_output(line: str) -> None:
                    if bar is None and not as_json:
                        err_console.print(line, markup=False, highlight=False)

                changes: Mapping[Any, int]
                if action == "preview":
                    changes = st.preview(on_event=on_event, on_output=on_output, **kwargs).change_summary
                elif action == "up":
                    changes = st.up(on_event=on_event, on_output=on_output, **kwargs).summary.resource_changes or {}
                else:
                    changes = st.destroy(on_event=on_event, on_output=on_output).summary.resource_changes or {}
        except auto.errors.CommandError as exc:
            last = str(exc).strip().splitlines()[-1].strip().removeprefix("stderr:").strip()
            raise RemoteError(f"pulumi {action} failed for stack {stack}: {last}") from None
        except FileNotFoundError:
            raise ExternalToolMissing(PULUMI_MISSING) from None
    summary = {str(getattr(k, "value", k)): v for k, v in changes.items()}
    if as_json:
        print_json({"action": action, "stack": stack, "changes": summary})
    else:
        console.print(f"pulumi {action} {stack}: " + (", ".join(f"{k} {v}" for k, v in sorted(summary.items()))
                                                       or "no changes"))
    return 0


@app.command("preview", help="Show what `up` would change (Automation API, policy pack attached).")
def preview(stack: StackOpt, plan: PlanOpt, as_json: JsonOpt = False) -> int:
    return _run("preview", stack, plan, as_json)


@app.command("up", help="Create or update the stack's resources.")
def up(stack: StackOpt, plan: PlanOpt, as_json: JsonOpt = False) -> int:
    return _run("up", stack, plan, as_json)


@app.command("destroy", help="Delete every resource of the stack.")
def destroy(stack: StackOpt, plan: PlanOpt, as_json: JsonOpt = False) -> int:
    return _run("destroy", stack, plan, as_json)


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
