"""Reading and writing plan files, and the plan's JSON Schema (the contract).

Money is in EUR (Decimal, two places), quarters are indexed from 0 = the scenario's start
quarter, dates are ISO dates. Every collection is sorted by its id so the same input gives
a byte-identical file.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from common.errors import InputError
from common.fsio import atomic_write_text
from common.jsonfile import JsonFileError, read_json

from .models import PLAN_SCHEMA_VERSION, Plan

__all__ = ["PlanFormatError", "plan_json_schema", "plan_to_json", "read_plan", "write_plan"]


class PlanFormatError(InputError):
    """A plan file that cannot be read: names the file and, per problem, the place or key path.

    ``role`` says which plan it is for the user ("plan", "comparison plan", …). The message
    lists at most :data:`SHOWN` problems.

    >>> print(PlanFormatError("p.json", ["meta.tool_version: Field required"]))
    plan p.json: not a valid plan:
      meta.tool_version: Field required
    """

    SHOWN = 20

    def __init__(self, path: str | Path, messages: list[str], role: str = "plan", *, unreadable: bool = False):
        self.path = Path(path)
        self.messages = messages
        self.role = role
        self.unreadable = unreadable
        """The file could not be read at all (missing, no permission), as opposed to read but invalid."""
        head = "cannot be read" if unreadable else "not a valid plan"
        more = f"\n  … and {len(messages) - self.SHOWN} more" if len(messages) > self.SHOWN else ""
        super().__init__(f"{role} {path}: {head}:\n  " + "\n  ".join(messages[:self.SHOWN]) + more)

    def __reduce__(self):
        return _rebuild, (type(self), self.path, self.messages, self.role, self.unreadable)


def _rebuild(cls: type[PlanFormatError], path: Path, messages: list[str], role: str, unreadable: bool
             ) -> PlanFormatError:
    return cls(path, messages, role, unreadable=unreadable)


def read_plan(path: str | Path, *, role: str = "plan") -> Plan:
    """Read and validate a plan JSON file.

    Raises
    ------
    PlanFormatError
        When the file is missing, not JSON, or does not match the plan schema; its message
        calls the file ``role`` (e.g. "comparison plan").
    """
    path = Path(path)
    try:
        data = read_json(path)
    except JsonFileError as exc:
        raise PlanFormatError(path, [exc.problem], role, unreadable=exc.unreadable) from None
    # an older plan (every written plan carries its version) gets one clear message, not a list of field errors
    meta = data.get("meta") if isinstance(data, dict) else None
    version = meta.get("schema_version", PLAN_SCHEMA_VERSION) if isinstance(meta, dict) else PLAN_SCHEMA_VERSION
    if version != PLAN_SCHEMA_VERSION:
        raise PlanFormatError(path, [(
            f"meta.schema_version: plan schema version {version!r}, this Landkarte reads version "
            f"{PLAN_SCHEMA_VERSION!r} (cash and risk costs are split since version 3, reasons are message codes since version 4, "
            "rehosting is its own decision, the day rules are explicit and actuals are recorded since version 5); "
            "make the plan again with `landkarte plan`")], role)
    try:
        return Plan.model_validate(data)
    except RecursionError:
        raise PlanFormatError(path, ["nested too deeply to be a plan"], role) from None
    except ValidationError as exc:
        msgs = [
            f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in exc.errors(include_url=False)
        ]
        raise PlanFormatError(path, msgs, role) from None


def plan_to_json(plan: Plan) -> str:
    """Canonical JSON: sorted keys, two-space indent, trailing newline."""
    return json.dumps(plan.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def write_plan(plan: Plan, path: str | Path) -> None:
    """Write atomically (temp file + rename): never a half-written plan."""
    atomic_write_text(path, plan_to_json(plan))


def plan_json_schema() -> dict:
    return Plan.model_json_schema(mode="serialization")
