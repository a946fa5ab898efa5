"""Why the plan changed, in words: the causes of a :class:`plan.attribution.Attribution` per language.

One place turns causes, ways (``via``) and figure parts into sentences; ``landkarte plan compare``
and every report format (HTML, PDF, XLSX) use it.

>>> from plan.attribution import Cause
>>> t = Translator("de")
>>> cause_text(t, Cause(id="scenario:teams.eigen_pd_per_quarter", family="scenario", kind="key",
...                     record="teams.eigen_pd_per_quarter", old="320", new="200"))
'Szenario `teams.eigen_pd_per_quarter`: 320 → 200'
"""

from __future__ import annotations

from dataclasses import dataclass

from plan.attribution import Attribution, Cause, SystemCause

from .messages import Translator

__all__ = ["CauseLine", "cause_short", "cause_text", "figure_parts_text", "replans_text", "top_lines", "via_text"]


def _v(t: Translator, value: str) -> str:
    """A value from the inputs: ISO dates and plain numbers in the language's format, anything else as it is."""
    if not value:
        return "–"
    try:
        number = float(value)
    except ValueError:
        return t._reason_value(value)
    if value.strip().lstrip("-").replace(".", "", 1).isdigit():
        return t.number(number, 0 if number.is_integer() else 2)
    return value


def cause_text(t: Translator, c: Cause) -> str:
    """One cause as a sentence."""
    if c.family == "inventory":
        kind = t(f"why.kind.{c.kind}") if t.has(f"why.kind.{c.kind}") else c.kind
        if c.kind == "group":
            return t("why.cause.group", family=t("why.family.inventory"), n=len(c.group), places=c.record)
        if c.kind == "organisation_file":
            return t(f"why.cause.inventory_file_{c.change}", place=c.place, record=c.record)
        if c.change != "changed":
            return t(f"why.cause.inventory_{c.change}", place=c.place, kind=kind, record=c.record)
        if len(c.fields) == 1:
            return t("why.cause.inventory_changed", place=c.place, kind=kind, record=c.record, field=c.fields[0],
                     old=_v(t, c.old), new=_v(t, c.new))
        return t("why.cause.inventory_fields", place=c.place, kind=kind, record=c.record, fields=", ".join(c.fields))
    if c.family == "scenario":
        if c.kind == "group":
            return t("why.cause.group", family=t("why.family.scenario"), n=len(c.group), places=c.record)
        if c.change != "changed":
            return t(f"why.cause.scenario_{c.change}", path=c.record)
        if not c.old and not c.new:
            return t("why.cause.scenario_whole", path=c.record)
        return t("why.cause.scenario_changed", path=c.record, old=_v(t, c.old), new=_v(t, c.new))
    if c.family == "actuals":
        if c.kind == "as_of":
            if c.old != c.new and c.new:
                return t("why.cause.as_of_moved", old=_v(t, c.old), new=_v(t, c.new))
            return t("why.cause.as_of", day=_v(t, c.record))
        kind = c.kind
        if kind == "migrated" and len(c.new) == 10 and len(c.old) == 7:  # ISO day against "2027-Q1"
            done = f"{c.new[:4]}-Q{(int(c.new[5:7]) - 1) // 3 + 1}"
            kind += "_late" if done > c.old else "_early" if done < c.old else ""
        return t(f"why.cause.{kind}", record=c.record, old=c.old or "–", new=_v(t, c.new))
    if c.family == "planner":
        return t("why.cause.planner", old=c.old, new=c.new)
    return t("why.cause.unexplained")


def cause_short(t: Translator, c: Cause) -> str:
    """A cause in a few words for a table cell: family, record and fields (``Inventar: bous.mail (contract.end)``).

    >>> cause_short(Translator("de"), Cause(id="inventory:systems:a.x", family="inventory", kind="system",
    ...                                     record="a.x", fields=("contract.end",)))
    'Inventar: a.x (contract.end)'
    """
    family = t(f"why.family.{c.family}")
    if c.kind == "group":
        return f"{family}: {t('why.cause.group', family=family, n=len(c.group), places=c.record)}"
    if c.family == "actuals" and c.kind != "as_of":
        return f"{family}: {c.record} ({t(f'why.status.{c.kind}')})"
    if c.family in ("planner", "unexplained") or (c.family == "actuals"):
        return cause_text(t, c)
    detail = ", ".join(c.fields) if c.fields else (t(f"why.change.{c.change}") if c.change != "changed" else "")
    return f"{family}: {c.record}" + (f" ({detail})" if detail else "")


def replans_text(t: Translator, n: int) -> str:
    """``1 Neuberechnung`` / ``5 Neuberechnungen``."""
    return t("why.replans_one") if n == 1 else t("why.replans", n=t.number(n))


def via_text(t: Translator, s: SystemCause) -> str:
    """How the cause reached the system."""
    if s.via == "capacity":
        side, _, quarter = (s.related or ":").partition(":")
        side = side if side in ("eigen", "fremd") else "eigen"
        return t(f"why.via.capacity_{side}", quarter=quarter or s.detail)
    if s.via == "onboarding":
        return t("why.via.onboarding", related=s.related or "–", quarter=s.detail or "–")
    if s.via == "dependency":
        return t("why.via.dependency", related=s.related or "–", detail=s.detail)
    return t(f"why.via.{s.via}")


@dataclass(frozen=True, slots=True)
class CauseLine:
    """One line of the top causes: the headline and the split by way."""

    cause: Cause
    systems: int
    headline: str
    split: str


def top_lines(t: Translator, a: Attribution) -> list[CauseLine]:
    """The causes by the number of systems they changed, most first, then those that only changed figures."""
    moved_only = {s.system: all(c.field == "quarter" for c in s.changes) for s in a.systems}
    out = []
    for cause, n, via in a.top():
        verb = "moved" if all(moved_only[s.system] for s in a.systems if s.cause == cause.id) else "changed"
        key = f"why.top_{verb}" + ("_one" if n == 1 else "")
        split = ", ".join(t(f"why.count.{v}", n=t.number(k)) for v, k in via.items())
        out.append(CauseLine(cause, n, t(key, n=t.number(n), cause=cause_text(t, cause)), split))
    for cause in a.figure_only():
        out.append(CauseLine(cause, 0, t("why.figures_only", cause=cause_text(t, cause)), ""))
    quiet = a.without_effect()
    on_plan = [c for c in quiet if c.family == "actuals"]  # progress as planned: one line, not one per system
    for cause in quiet:
        if cause.family != "actuals":
            out.append(CauseLine(cause, 0, t("why.no_effect", cause=cause_text(t, cause)), ""))
    if on_plan:
        out.append(CauseLine(on_plan[0], 0, t("why.as_planned", n=t.number(len(on_plan))),
                             ", ".join(c.record for c in on_plan[:8]) + (" …" if len(on_plan) > 8 else "")))
    return out


def figure_parts_text(t: Translator, a: Attribution, parts: tuple, kind: str) -> str:
    """``+8.646,67 € Inventar …; +1.876,42 € …`` for one figure."""
    def signed(v: object) -> str:
        text = t.value(v, kind)
        return text if text.startswith(("−", "-")) else f"+{text}"

    return "; ".join(f"{signed(d)} {cause_text(t, a.cause(cid))}" for cid, d in parts)
