"""Errors of the inventory: every problem carries its file, line, column and key path."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InventoryError", "Issue", "format_loc"]


def format_loc(loc: tuple[str | int, ...]) -> str:
    """``("systems", 3, "contract", "notice_months")`` → ``systems[3].contract.notice_months``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass(frozen=True, slots=True, order=True)
class Issue:
    """One problem in one input file."""

    file: str
    line: int | None
    col: int | None
    loc: tuple[str | int, ...]
    msg: str

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.col is not None:
                place += f":{self.col}"
        key = format_loc(self.loc)
        return f"{place} {key}: {self.msg}" if key else f"{place}: {self.msg}"


class InventoryError(Exception):
    """An inventory that cannot be loaded; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue]):
        self.issues = sorted(issues, key=lambda i: (i.file, i.line or 0, i.col or 0, str(i.loc), i.msg))
        n = len(self.issues)
        head = f"{n} error{'s' if n != 1 else ''} in the inventory"
        super().__init__(head + ":\n" + "\n".join(f"  {i}" for i in self.issues))
