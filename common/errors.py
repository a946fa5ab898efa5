"""The one error hierarchy of Landkarte, and :class:`Issue`: a problem with its file and place.

Every error raised on purpose is a :class:`LandkarteError`; its message is for the user (plain
sentences naming the file and the place) and the CLI shows it without a traceback. The CLI maps
the kinds to exit codes in one place (``landkarte/cli.py``). The kinds:

- :class:`InputError`: bad input — an inventory, a scenario, a plan file, a stack or site
  configuration, a missing secret, an output path that cannot be written as asked
  (:class:`OutputPathError`). The user fixes a file or the environment.
- :class:`PlanningError`: the planner cannot make a plan — no placement, no schedule, the
  address space is too small, the solver worker died.
- :class:`RemoteError`: a remote system failed or refused — NetBox, Pulumi, the SSH hosts.
- :class:`ExternalToolMissing`: a program Landkarte drives is not installed (the Pulumi CLI).

Each package names its errors for the problem (``ScheduleInfeasibleError``,
``NetBoxUnavailable`` …) and derives them from one of these.

>>> issubclass(IssuesError, InputError), issubclass(InputError, LandkarteError)
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ExternalToolMissing",
    "InputError",
    "Issue",
    "IssuesError",
    "LandkarteError",
    "OutputPathError",
    "PlanningError",
    "RemoteError",
    "format_loc",
]


class LandkarteError(Exception):
    """Base of every error Landkarte raises on purpose: the message is for the user (one or more lines)."""


class InputError(LandkarteError):
    """Bad input (a file, a scenario, a plan, a configuration): the message names the file and the place."""


class OutputPathError(InputError):
    """An output path that cannot be written as asked: a folder where a file goes, a folder of
    foreign files (without ``--force``), no permission. Raised before any work is done.

    >>> print(OutputPathError("out", "is a file, not a folder"))
    out: is a file, not a folder
    """

    def __init__(self, path: str | Path, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{path}: {message}")

    def __reduce__(self):
        return type(self), (self.path, self.message)


class PlanningError(LandkarteError):
    """The planner cannot make a plan from valid input (infeasible, too small, the solver worker died)."""


class RemoteError(LandkarteError):
    """A remote system (NetBox, Pulumi, the SSH hosts) failed or refused."""


class ExternalToolMissing(LandkarteError):
    """A required external program (e.g. the Pulumi CLI) is not installed."""


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


class IssuesError(InputError):
    """Input with problems in known places; ``issues`` lists every one, sorted by file and place.

    Subclasses name what the input is (``subject``): the inventory (``inventory.errors``), the scenario, …

    >>> print(IssuesError([Issue("a.yaml", 3, 5, ("x",), "must be ≥ 0")]))
    1 error in the input:
      a.yaml:3:5 x: must be ≥ 0
    """

    subject = "the input"

    def __init__(self, issues: list[Issue]):
        self.issues = sorted(issues, key=lambda i: (i.file, i.line or 0, i.col or 0, str(i.loc), i.msg))
        n = len(self.issues)
        head = f"{n} error{'s' if n != 1 else ''} in {self.subject}"
        super().__init__(head + ":\n" + "\n".join(f"  {i}" for i in self.issues))

    def __reduce__(self):
        return type(self), (self.issues,)

