"""Write a progress file (the format :func:`actuals.load.load_actuals` reads), e.g. from NetBox.

>>> from datetime import date
>>> from actuals.models import SystemProgress
>>> print(progress_yaml(date(2027, 3, 31), [SystemProgress(system="a.x", status="migrated", date=date(2027, 2, 1))],
...                     comment="aus NetBox"), end="")
# aus NetBox
schema: 1
reported: 2027-03-31
systems:
- system: a.x
  status: migrated
  date: 2027-02-01
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import yaml

from .models import ACTUALS_SCHEMA_VERSION, SystemProgress

__all__ = ["progress_yaml"]


def progress_yaml(reported: dt.date, systems: Iterable[SystemProgress], *, comment: str = "") -> str:
    """The text of a progress file with ``systems`` (sorted by id), reporting up to ``reported``."""
    doc = {"schema": ACTUALS_SCHEMA_VERSION, "reported": reported,
           "systems": [s.model_dump(mode="python", exclude_none=True) for s in sorted(systems, key=lambda s: s.system)]}
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=False)
