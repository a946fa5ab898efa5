"""Read a progress folder into :class:`actuals.models.Actuals`, with every error at once and its place.

The folder (by default ``<inventory>/progress/``) holds any number of ``*.yaml`` files; other files
(evidence such as OSCAL JSON, a README) are left alone. Each file is read through the one YAML reader
(:mod:`common.yamlfile`), so an error reads ``progress/2027-Q1.yaml:7:13 systems[1].status: must be
one of: migrated, in_progress, postponed``.

Merging: an id reported in several files takes the record of the file with the later ``reported``
day; the same id in two files of the same ``reported`` day is an error naming both places.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from common.errors import Issue, IssuesError
from common.yamlfile import YamlFile, validation_issues

from .errors import ActualsError
from .models import Actuals, ActualsFile

if TYPE_CHECKING:
    from inventory.models import Landscape
    from plan.models import Plan

__all__ = ["PROGRESS_DIR", "actuals_files", "check_plan_ids", "load_actuals"]

PROGRESS_DIR = "progress"
"""The progress folder's name inside an inventory folder."""

_SECTIONS = (("systems", "system"), ("targets", "target"), ("milestones", "milestone"))


def actuals_files(folder: Path) -> list[Path]:
    """The progress files of ``folder`` in name order (``*.yaml``, ``*.yml``; hidden files skipped)."""
    return sorted(p for p in folder.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith("."))


def load_actuals(folder: str | Path, *, landscape: Landscape | None = None, plan: Plan | None = None) -> Actuals:
    """Load and check a progress folder.

    Parameters
    ----------
    folder : the progress folder.
    landscape : when given, every system id must be one of its systems.
    plan : when given, every target and milestone id must be one of its target instances and funding
        milestones.

    Returns
    -------
    Actuals
        The merged view; an empty folder gives empty actuals (``reported`` None).

    Raises
    ------
    ActualsError
        With every problem of every file: YAML, unknown keys, bad values, an evidence file missing or
        with another SHA-256, an id reported twice in one file or on the same day in two files, an
        unknown id.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "2027-Q1.yaml").write_text(
    ...     "schema: 1\\nreported: 2027-03-31\\nsystems:\\n"
    ...     "  - {system: bous.ewo, status: in_progress, date: 2027-02-01}\\n")
    >>> load_actuals(d).systems["bous.ewo"].status
    'in_progress'
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ActualsError([Issue(str(folder), None, None, (), "not a folder (the progress folder of the actuals)")])
    issues: list[Issue] = []
    parsed: list[tuple[str, YamlFile, ActualsFile]] = []
    digest = hashlib.sha256()
    paths = actuals_files(folder)
    for path in paths:
        name = str(path)
        try:
            doc = YamlFile.read(path, name)
        except IssuesError as exc:
            issues.extend(exc.issues)
            continue
        digest.update(path.name.encode() + b"\0" + doc.text.encode() + b"\0")
        if not isinstance(doc.data, dict):
            issues.append(Issue(name, 1, 1, (), f"expected a mapping at the top, got {type(doc.data).__name__}"))
            continue
        try:
            model = ActualsFile.model_validate(doc.data)
        except ValidationError as exc:
            issues.extend(validation_issues(exc, doc))
            continue
        issues.extend(_duplicates_in_file(doc, model))
        issues.extend(_evidence_files(doc, model, folder))
        if landscape is not None:
            issues.extend(_unknown(doc, model.systems, "systems", "system", landscape.systems, "the inventory"))
        if plan is not None:
            issues.extend(_plan_ids(doc, model, plan))
        parsed.append((name, doc, model))
    merged, merge_issues = _merge(parsed)
    issues.extend(merge_issues)
    if issues:
        raise ActualsError(issues)
    out = Actuals(
        systems=merged["systems"], targets=merged["targets"], milestones=merged["milestones"],
        reported=max((m.reported for _, _, m in parsed), default=None),
        files=tuple(n for n, _, _ in parsed), folder=folder,
        content_hash=digest.hexdigest(),
    )
    out._read = tuple(parsed)
    return out


def check_plan_ids(actuals: Actuals, plan: Plan) -> None:
    """Every target and milestone id of ``actuals`` (as loaded: the files are not read again) is one of
    ``plan``'s target instances and funding milestones.

    Raises
    ------
    ActualsError
        With every unknown id, naming its file and line.
    """
    issues = [i for _, doc, model in actuals._read for i in _plan_ids(doc, model, plan)]
    if issues:
        raise ActualsError(issues)


def _plan_ids(doc: YamlFile, model: ActualsFile, plan: Plan) -> list[Issue]:
    return (_unknown(doc, model.targets, "targets", "target", {t.id for t in plan.targets},
                     "the plan's target instances")
            + _unknown(doc, model.milestones, "milestones", "milestone", {f.milestone for f in plan.funding},
                       "the plan's funding milestones"))


def _place(doc: YamlFile, loc: tuple[str | int, ...]) -> tuple[int | None, int | None]:
    return doc.position(loc)


def _duplicates_in_file(doc: YamlFile, model: ActualsFile) -> list[Issue]:
    out = []
    for section, key in _SECTIONS:
        seen: dict[str, int] = {}
        for i, rec in enumerate(getattr(model, section)):
            rid = getattr(rec, key)
            if rid in seen:
                loc = (section, i, key)
                line, col = _place(doc, loc)
                first, _ = _place(doc, (section, seen[rid], key))
                out.append(Issue(doc.name, line, col, loc, f"{rid!r} is reported twice in this file (first on line "
                                                            f"{first})"))
            else:
                seen[rid] = i
    return out


def _evidence_files(doc: YamlFile, model: ActualsFile, folder: Path) -> list[Issue]:
    out = []
    for i, ms in enumerate(model.milestones):
        for j, ev in enumerate(ms.evidence):
            if ev.kind != "evidence_file":
                continue
            path = folder / ev.ref
            loc: tuple[str | int, ...] = ("milestones", i, "evidence", j, "ref")
            if not path.is_file():
                line, col = _place(doc, loc)
                out.append(Issue(doc.name, line, col, loc, f"evidence file {ev.ref!r} not found in {folder}"))
                continue
            actual = _sha256(path)
            if actual != ev.sha256:
                loc = loc[:-1] + ("sha256",)
                line, col = _place(doc, loc)
                out.append(Issue(doc.name, line, col, loc,
                                 f"the evidence file {ev.ref!r} has SHA-256 {actual}, not the one recorded here "
                                 "(the file changed after it was recorded)"))
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _unknown(doc: YamlFile, records: Iterable[Any], section: str, key: str, known: Any, where: str) -> list[Issue]:
    out = []
    for i, rec in enumerate(records):
        rid = getattr(rec, key)
        if rid not in known:
            loc = (section, i, key)
            line, col = _place(doc, loc)
            close = difflib.get_close_matches(rid, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            out.append(Issue(doc.name, line, col, loc, f"unknown {key} {rid!r}: not in {where}{hint}"))
    return out


def _merge(parsed: list[tuple[str, YamlFile, ActualsFile]]) -> tuple[dict[str, dict[str, Any]], list[Issue]]:
    """Per id the record of the latest ``reported``; the same id on the same day in two files is an issue."""
    merged: dict[str, dict[str, Any]] = {section: {} for section, _ in _SECTIONS}
    issues: list[Issue] = []
    for section, key in _SECTIONS:
        # id → (reported, name, doc, index, record) of the winner so far
        best: dict[str, tuple[Any, str, YamlFile, int, Any]] = {}
        for name, doc, model in parsed:
            seen_here: set[str] = set()
            for i, rec in enumerate(getattr(model, section)):
                rid = getattr(rec, key)
                if rid in seen_here:
                    continue  # reported by _duplicates_in_file
                seen_here.add(rid)
                cur = best.get(rid)
                if cur is None or model.reported > cur[0]:
                    best[rid] = (model.reported, name, doc, i, rec)
                elif model.reported == cur[0]:
                    loc = (section, i, key)
                    line, col = _place(doc, loc)
                    oline, ocol = _place(cur[2], (section, cur[3], key))
                    issues.append(Issue(name, line, col, loc,
                                        f"{rid!r} is also reported in {cur[1]}:{oline}:{ocol} for the same day "
                                        f"({model.reported}); keep one"))
        merged[section] = {rid: v[4] for rid, v in sorted(best.items())}
    return merged, issues
