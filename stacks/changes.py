"""Change control for ``landkarte deploy``: the per-resource diff of a preview, the approved plan, the check.

The Pulumi engine reports each step as a ``resourcePreEvent`` (Automation API
:class:`pulumi.automation.events.EngineEvent`; the same JSON as ``pulumi preview --event-log``).
:func:`changes_from_events` turns those into :class:`ResourceChange` records (operation, URN,
changed inputs with old and new values, secrets masked); :func:`render_changes` prints them the
way reviewers read them; :func:`approval` is the document ``deploy preview --save-plan FILE``
writes beside Pulumi's own update plan; :func:`differences` is what ``deploy up --plan FILE``
checks before it lets the engine apply: the preview of now must equal the approved one.

Example
-------
>>> ev = {"resourcePreEvent": {"metadata": {"op": "update", "urn": "urn:pulumi:dev::landkarte::t::vm",
...       "type": "t", "provider": "", "diffs": ["memory"],
...       "old": {"type": "t", "urn": "u", "id": "1", "parent": "", "provider": "", "inputs": {"memory": 4}},
...       "new": {"type": "t", "urn": "u", "id": "1", "parent": "", "provider": "", "inputs": {"memory": 8}}}}}
>>> render_changes(changes_from_events([ev]))
['~ update  urn:pulumi:dev::landkarte::t::vm', '      memory: 4 → 8', 'update 1']
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from common.errors import InputError
from common.fsio import atomic_write_text
from common.jsonfile import JsonFileError, read_json

__all__ = ["APPROVAL_SCHEMA", "SECRET", "ApprovalError", "ResourceChange", "approval", "changes_from_events",
           "differences", "protected_resources", "read_approval", "render_changes", "write_approval"]

APPROVAL_SCHEMA = "landkarte.deploy.approved/1"
SECRET = "[secret]"
_SECRET_SIG = "4dabf18193072939515e22adb298388d"
"""Pulumi's signature key of a secret value in serialized properties."""
_MARK = {"create": "+", "update": "~", "replace": "+-", "create-replacement": "+-", "delete-replaced": "+-",
         "delete": "-", "read": ">", "import": "=", "refresh": "~", "discard": "-"}
_SHOWN = ("create", "update", "replace", "delete", "import", "read", "discard")
"""Operations that change something; ``same`` and the replacement sub-steps are folded."""


class ApprovalError(InputError):
    """An approved-plan file that cannot be used (the message names the file)."""


@dataclass(frozen=True)
class ResourceChange:
    """One resource step of a preview."""

    op: str
    """create, update, replace, delete, import, read or discard."""
    urn: str
    type: str
    changed: tuple[tuple[str, Any, Any], ...] = field(default_factory=tuple)
    """``(input key, old, new)`` for every input that changes (secrets shown as ``[secret]``)."""
    replace_keys: tuple[str, ...] = ()
    """Inputs that force the replacement."""
    protected: bool = False


def _plain(value: Any, secret_keys: frozenset[str], key: str = "") -> Any:
    if key in secret_keys:
        return SECRET
    if isinstance(value, dict):
        if _SECRET_SIG in value:
            return SECRET
        return {k: _plain(v, secret_keys, k) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_plain(v, secret_keys) for v in value]
    return value


def _get(obj: Any, *names: str) -> Any:
    """Attribute of an Automation API object or key of its JSON form (camelCase or snake_case)."""
    for name in names:
        if isinstance(obj, Mapping):
            if name in obj:
                return obj[name]
        elif hasattr(obj, name):
            return getattr(obj, name)
    return None


def changes_from_events(events: Iterable[Any], *, secret_keys: Iterable[str] = ()) -> list[ResourceChange]:
    """The resource changes of a preview from its engine events (objects or their JSON), sorted by URN.

    Secret values are masked: Pulumi's secret signature, values it already masked and the input
    keys in ``secret_keys`` (e.g. passwords of providers that do not mark them) become ``[secret]``.
    """
    keys = frozenset(secret_keys)
    steps: dict[str, ResourceChange] = {}
    for event in events:
        pre = _get(event, "resource_pre_event", "resourcePreEvent")
        meta = _get(pre, "metadata") if pre is not None else None
        if meta is None:
            continue
        op = str(getattr(_get(meta, "op"), "value", _get(meta, "op")))
        if op in ("create-replacement", "delete-replaced"):
            op = "replace"
        if op not in _SHOWN:
            continue
        old = _get(_get(meta, "old") or {}, "inputs") or {}
        new = _get(_get(meta, "new") or {}, "inputs") or {}
        diffs = _get(meta, "diffs") or sorted(set(old) | set(new)) if op == "update" else (_get(meta, "diffs") or [])
        if op == "create":
            changed = tuple((k, None, _plain(new[k], keys, k)) for k in sorted(new))
        elif op == "delete":
            changed = ()
        else:
            changed = tuple((k, _plain(old.get(k), keys, k), _plain(new.get(k), keys, k)) for k in sorted(diffs)
                            if _plain(old.get(k), keys, k) != _plain(new.get(k), keys, k) or k in (diffs or ()))
        detailed = _get(meta, "detailed_diff", "detailedDiff") or {}
        replace_keys = tuple(sorted(k for k, d in detailed.items()
                                    if "replace" in str(getattr(_get(d, "diff_kind", "diffKind"), "value",
                                                                _get(d, "diff_kind", "diffKind")))))
        protected = bool(_get(_get(meta, "old") or {}, "protect") or _get(_get(meta, "new") or {}, "protect"))
        urn = str(_get(meta, "urn"))
        previous = steps.get(urn)
        if previous is not None and previous.op == "replace":
            continue  # the replacement's create and delete steps are one change
        steps[urn] = ResourceChange(op=op, urn=urn, type=str(_get(meta, "type")), changed=changed,
                                    replace_keys=replace_keys, protected=protected)
    return [steps[u] for u in sorted(steps)]


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."


def render_changes(changes: Iterable[ResourceChange]) -> list[str]:
    """Lines for the terminal: one per resource (``+`` create, ``~`` update, ``+-`` replace, ``-`` delete)
    with its changed inputs below, then the counts."""
    lines: list[str] = []
    counts: Counter[str] = Counter()
    for c in changes:
        counts[c.op] += 1
        lines.append(f"{_MARK.get(c.op, '?'):<2}{c.op:<8}{c.urn}" + ("  (geschützt/protected)" if c.protected else ""))
        for key, old, new in c.changed:
            why = "  [forces replacement]" if key in c.replace_keys else ""
            lines.append(f"      {key}: {_short(new)}" if c.op == "create" else
                         f"      {key}: {_short(old)} → {_short(new)}{why}")
    lines.append(", ".join(f"{op} {n}" for op, n in sorted(counts.items())) or "no changes")
    return lines


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def approval(changes: Iterable[ResourceChange], *, stack: str, plan_path: Path, update_plan: str | None) -> dict:
    """The approved-plan document: stack, the consolidation plan (path and SHA-256), Pulumi's update plan
    file and every change, so ``up`` can show and check exactly what was approved."""
    return {
        "schema": APPROVAL_SCHEMA,
        "stack": stack,
        "plan": {"path": str(plan_path.resolve()), "sha256": _digest(plan_path)},
        "pulumi_update_plan": update_plan,
        "changes": [asdict(c) for c in changes],
    }


def write_approval(doc: Mapping, path: Path) -> None:
    """Write atomically: never a half-written approval."""
    atomic_write_text(path, json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n")


def read_approval(path: Path) -> dict:
    """Read an approved-plan file.

    Raises
    ------
    ApprovalError
        Unreadable, not JSON, or not written by ``deploy preview --save-plan``.
    """
    try:
        doc = read_json(path)
    except JsonFileError as exc:
        raise ApprovalError(f"{path}: {'cannot read the approved plan: ' if exc.unreadable else ''}{exc.problem}"
                            ) from None
    if not isinstance(doc, dict) or doc.get("schema") != APPROVAL_SCHEMA:
        raise ApprovalError(f"{path}: not an approved plan (write one with `landkarte deploy preview --save-plan`)")
    return doc


def _comparable(changes: Iterable[Mapping | ResourceChange]) -> dict[str, tuple]:
    out = {}
    for c in changes:
        d = asdict(c) if isinstance(c, ResourceChange) else c
        out[d["urn"]] = (d["op"], json.dumps([list(x) for x in d["changed"]], sort_keys=True, default=str))
    return out


def differences(approved: Mapping, current: Iterable[ResourceChange], *, stack: str, plan_path: Path) -> list[str]:
    """Why the current preview is not the approved one (empty: apply it).

    >>> differences({"stack": "dev", "plan": {"sha256": "x"}, "changes": []}, [], stack="prod",
    ...             plan_path=Path(__file__))[0]
    'approved for stack dev, not prod'
    """
    problems = []
    if approved.get("stack") != stack:
        problems.append(f"approved for stack {approved.get('stack')}, not {stack}")
    if approved.get("plan", {}).get("sha256") != _digest(plan_path):
        problems.append(f"the consolidation plan {plan_path} changed since the approval")
    before, now = _comparable(approved.get("changes", ())), _comparable(current)
    for urn in sorted(set(before) | set(now)):
        if urn not in now:
            problems.append(f"approved change no longer planned: {before[urn][0]} {urn}")
        elif urn not in before:
            problems.append(f"not approved: {now[urn][0]} {urn}")
        elif before[urn] != now[urn]:
            problems.append(f"changed since the approval: {now[urn][0]} {urn}")
    return problems


def protected_resources(deployment: Mapping) -> list[str]:
    """URNs of the protected resources in an exported deployment (``pulumi stack export``)."""
    resources = deployment.get("deployment", deployment).get("resources") or ()
    return sorted(r["urn"] for r in resources if r.get("protect"))
