"""Finding what two plans were made from, and asking why the newer one differs (``plan compare``, ``report --previous``).

A plan names its inputs by hash (``meta.inventory_hash``, ``meta.scenario_hash``, ``meta.actuals``), so
an input is accepted only when it hashes to what the plan says. Where they come from:

- the new plan's inventory: ``--inventory DIR``, else the folder its ``meta.inventory_name`` names
  (as for the report);
- the old plan's inventory: ``--old-inventory DIR``; or ``--since REV``: the same folder as it was in
  git at revision REV (how planners review the inventory); or the new one when the hashes agree;
- the scenarios: ``--scenario FILE`` / ``--old-scenario FILE``, ``--since REV`` for the old one, else a
  bundled scenario (``consolidation/scenarios/``) or one next to the plan whose hash fits;
- the actuals (``meta.actuals``): ``--actuals DIR`` / ``--old-actuals DIR``, else ``<inventory>/progress``.

An input given explicitly that does not match its plan is an error (exit 1) naming both hashes; an
input that cannot be found leaves the comparison without causes and says which option would help.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from common.errors import InputError

if TYPE_CHECKING:
    from consolidation.attribution import PlanInputs
    from plan.attribution import Attribution
    from plan.models import Plan

__all__ = ["InputsMissing", "WhyOptions", "explain_change"]

SinceOpt = Annotated[str | None, typer.Option(
    "--since", help="Git revision of the old plan's inputs (e.g. HEAD~1, a tag of the last meeting): the old "
                    "inventory (and scenario, progress folder) are read from git as they were then.")]
InventoryOpt = Annotated[Path | None, typer.Option(
    "--inventory", help="Inventory the new plan was made from (default: the one the plan names, if found).")]
OldInventoryOpt = Annotated[Path | None, typer.Option(
    "--old-inventory", help="Inventory the old plan was made from.")]
ScenarioOpt = Annotated[Path | None, typer.Option(
    "--scenario", help="Scenario the new plan was made from (default: a bundled one with the same hash).")]
OldScenarioOpt = Annotated[Path | None, typer.Option(
    "--old-scenario", help="Scenario the old plan was made from (default: the new one when the hashes agree).")]
ActualsOpt = Annotated[Path | None, typer.Option(
    "--actuals", help="Progress folder (actuals) of the new plan (default: <inventory>/progress).")]
OldActualsOpt = Annotated[Path | None, typer.Option("--old-actuals", help="Progress folder of the old plan.")]


@dataclass(frozen=True)
class WhyOptions:
    """Where the inputs of the two plans are (the options of ``plan compare`` and ``report``)."""

    since: str | None = None
    inventory: Path | None = None
    old_inventory: Path | None = None
    scenario: Path | None = None
    old_scenario: Path | None = None
    actuals: Path | None = None
    old_actuals: Path | None = None


class InputsMissing(InputError):
    """An input of a plan could not be found (the comparison goes on without causes).

    ``what`` is the message key (``why.missing.<what>`` in ``reports.messages``), ``params`` its values.
    """

    def __init__(self, text: str, what: str, **params: str):
        super().__init__(text)
        self.what = what
        self.params = params

    def say(self, lang: str) -> str:
        """The reason in the user's language."""
        from reports.messages import Translator

        return Translator(lang)(f"why.missing.{self.what}", **self.params)  # type: ignore[arg-type]


class InputMismatch(InputError):
    """An input given for a plan is not the one the plan was made from (its hash differs)."""


def _short(h: str | None) -> str:
    return (h or "–")[:12]


def _refuse(what: str, path: Path, side: _Side, want: str | None, got: str, *, explicit: bool) -> NoReturn:
    """``path`` is not the ``what`` (inventory, scenario, actuals) ``side``'s plan was made from: an error when the
    user named it, else the comparison goes on without causes."""
    msg = (f"{path}: not the {what} {side.role} {side.path} was made from (its hash {_short(want)}…, this "
           f"{what} {_short(got)}…); pass the {what} as it was when the plan was made")
    if explicit:
        raise InputMismatch(msg)
    raise InputsMissing(msg, f"{what}_mismatch", path=str(path), plan=str(side.path))


# --------------------------------------------------------------------------- git


def _git(cwd: Path, *args: str) -> bytes:
    try:
        r = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False, timeout=120)
    except FileNotFoundError:
        raise InputError("--since needs git, which is not installed") from None
    if r.returncode != 0:
        msg = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"--since: git {' '.join(args[:2])} in {cwd}: {msg[-1] if msg else 'failed'}")
    return r.stdout


def _at_revision(path: Path, rev: str, into: Path) -> Path:
    """``path`` (a folder or a file in a git work tree) as it was at ``rev``, extracted below ``into``."""
    path = path.resolve()
    folder = path if path.is_dir() else path.parent
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    rel = path.relative_to(top).as_posix()
    commit = _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    data = _git(top, "archive", "--format=tar", commit, "--", rel or ".")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    out = into / rel
    if not out.exists():
        raise InputError(f"--since {rev}: {rel} did not exist at that revision")
    return out


# --------------------------------------------------------------------------- resolving


def _scenario_hash_for(plan: Plan, scenario: Any) -> str:
    from consolidation.scenario import scenario_hash

    return scenario_hash(scenario)


def _bundled_scenarios(plan_path: Path) -> list[Path]:
    import consolidation

    here = Path(consolidation.__file__).parent / "scenarios"
    found = sorted(here.glob("*.y*ml")) + sorted(plan_path.parent.glob("*.y*ml"))
    return list(dict.fromkeys(found))


@dataclass
class _Side:
    plan: Plan
    path: Path
    role: str
    """"plan A", "the previous plan" …"""


class _Resolver:
    def __init__(self, opts: WhyOptions, stack: ExitStack):
        self.opts = opts
        self.stack = stack
        self._tmp: Path | None = None
        self._landscapes: dict[Path, Any] = {}

    def tmp(self) -> Path:
        if self._tmp is None:
            self._tmp = Path(self.stack.enter_context(tempfile.TemporaryDirectory(prefix="landkarte-since-")))
        return self._tmp

    def landscape(self, path: Path) -> Any:
        from landkarte.commands._common import load_inventory

        key = path.resolve()
        if key not in self._landscapes:
            self._landscapes[key] = load_inventory(path)
        return self._landscapes[key]

    def check_inventory(self, side: _Side, path: Path, *, explicit: bool) -> Any:
        from consolidation.planner import inventory_hash

        L = self.landscape(path)
        h = inventory_hash(L)
        if h != side.plan.meta.inventory_hash:
            _refuse("inventory", path, side, side.plan.meta.inventory_hash, h, explicit=explicit)
        return L

    def check_scenario(self, side: _Side, path: Path, *, explicit: bool) -> Any:
        from consolidation.scenario import load_scenario

        s = load_scenario(path)
        h = _scenario_hash_for(side.plan, s)
        if h != side.plan.meta.scenario_hash:
            _refuse("scenario", path, side, side.plan.meta.scenario_hash, h, explicit=explicit)
        return s

    def find_scenario(self, side: _Side, option: str) -> tuple[Any, Path]:
        from consolidation.scenario import ScenarioError

        for cand in _bundled_scenarios(side.path):
            try:
                return self.check_scenario(side, cand, explicit=False), cand
            except (InputsMissing, ScenarioError):
                continue
        raise InputsMissing(f"the scenario of {side.role} {side.path} ({side.plan.meta.scenario_id}) was not found: "
                            f"pass {option} FILE", "scenario_not_found", plan=str(side.path),
                            id=side.plan.meta.scenario_id, option=option)

    def actuals(self, side: _Side, path: Path | None, inventory: Path | None, *, explicit: bool) -> Any:
        want = getattr(side.plan.meta, "actuals", None)
        if path is None:
            if not want:
                return None
            if inventory is None or not (inventory / "progress").is_dir():
                raise InputsMissing(f"{side.role} {side.path} was made with actuals: pass their progress folder",
                                    "actuals_missing", plan=str(side.path))
            path = inventory / "progress"
        from actuals.load import load_actuals

        a = load_actuals(path)
        if (a.content_hash or "empty") != (want or ""):
            _refuse("actuals", path, side, want, a.content_hash, explicit=explicit)
        return a


def resolve(old: _Side, new: _Side, opts: WhyOptions, stack: ExitStack) -> tuple[PlanInputs, PlanInputs]:
    """The inputs of both plans, checked against their hashes (see the module docstring)."""
    from consolidation.attribution import PlanInputs
    from landkarte.commands.report import resolve_inventory

    r = _Resolver(opts, stack)
    # the new plan's inventory
    if opts.inventory is not None:
        new_inv = opts.inventory
        L_new = r.check_inventory(new, new_inv, explicit=True)
    else:
        found = resolve_inventory(new.plan, new.path)
        if found is None:
            raise InputsMissing(f"the inventory {new.plan.meta.inventory_name!r} of {new.role} was not found: "
                                "pass --inventory DIR", "inventory_not_found", name=new.plan.meta.inventory_name)
        new_inv = found
        L_new = r.check_inventory(new, new_inv, explicit=False)
    # the old plan's inventory
    since_root: Path | None = None
    if opts.old_inventory is not None:
        old_inv = opts.old_inventory
        L_old = r.check_inventory(old, old_inv, explicit=True)
    elif opts.since is not None:
        old_inv = _at_revision(new_inv, opts.since, r.tmp() / "inventory")
        since_root = old_inv
        L_old = r.check_inventory(old, old_inv, explicit=True)
    elif old.plan.meta.inventory_hash == new.plan.meta.inventory_hash:
        old_inv, L_old = new_inv, L_new
    else:
        raise InputsMissing(f"the inventory of {old.role} differs from today's: pass --since REV (the git revision "
                            "of the last meeting) or --old-inventory DIR", "old_inventory", plan=str(old.path))
    # scenarios
    if opts.scenario is not None:
        S_new, new_scen = r.check_scenario(new, opts.scenario, explicit=True), opts.scenario
    else:
        S_new, new_scen = r.find_scenario(new, "--scenario")
    if opts.old_scenario is not None:
        S_old = r.check_scenario(old, opts.old_scenario, explicit=True)
    elif _scenario_hash_for(old.plan, S_new) == old.plan.meta.scenario_hash:
        S_old = S_new
    elif opts.since is not None and opts.scenario is not None:
        S_old = r.check_scenario(old, _at_revision(opts.scenario, opts.since, r.tmp() / "scenario"), explicit=True)
    else:
        try:
            S_old, _p = r.find_scenario(old, "--old-scenario")
        except InputsMissing:
            raise InputsMissing(f"the scenario of {old.role} differs from today's: pass --old-scenario FILE "
                                "(or --since REV with --scenario FILE)", "old_scenario", plan=str(old.path)) from None
    # actuals
    A_new = r.actuals(new, opts.actuals, new_inv, explicit=opts.actuals is not None)
    if opts.old_actuals is not None:
        A_old = r.actuals(old, opts.old_actuals, None, explicit=True)
    elif (getattr(old.plan.meta, "actuals", None) or None) == (getattr(new.plan.meta, "actuals", None) or None):
        A_old = A_new
    else:
        A_old = r.actuals(old, None, since_root if since_root is not None else old_inv, explicit=False)
    return (PlanInputs(L_old, S_old, as_of=old.plan.meta.as_of, actuals=A_old, scenario_place=str(new_scen)),
            PlanInputs(L_new, S_new, as_of=new.plan.meta.as_of, actuals=A_new, scenario_place=str(new_scen)))


@contextmanager
def _bar(total_hint: int = 10) -> Iterator[Any]:
    from landkarte.console import progress

    with progress() as bar:
        if bar is None:
            yield None
            return
        task = bar.add_task("Ursachen berechnen", total=total_hint)

        def tick(what: str, done: int, total: int) -> None:
            bar.update(task, description=f"Ursachen berechnen ({what})", completed=done, total=total)

        yield tick


def explain_change(old_plan: Plan, old_path: Path, new_plan: Plan, new_path: Path, opts: WhyOptions, *,
                   old_role: str = "plan A", new_role: str = "plan B", lang: str = "de"
                   ) -> tuple[Attribution | None, str]:
    """The attribution of ``new_plan`` against ``old_plan``, or (None, why it could not be computed, in ``lang``).

    Raises
    ------
    InputMismatch
        An input given explicitly is not the one its plan was made from.
    """
    from consolidation.attribution import attribute

    with ExitStack() as stack:
        try:
            old_in, new_in = resolve(_Side(old_plan, old_path, old_role), _Side(new_plan, new_path, new_role), opts,
                                     stack)
        except InputsMissing as exc:
            return None, exc.say(lang)
        with _bar() as tick:
            return attribute(old_plan, new_plan, old_in, new_in, progress=tick), ""
