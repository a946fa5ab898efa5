"""Write a progress file (the format :func:`actuals.load.load_actuals` reads), e.g. from NetBox.

>>> from datetime import date
>>> from actuals.models import SystemProgress, TargetLive
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

from .models import ACTUALS_SCHEMA_VERSION, SystemProgress, TargetLive

__all__ = ["progress_yaml"]


def progress_yaml(reported: dt.date, systems: Iterable[SystemProgress], *, targets: Iterable[TargetLive] = (),
                  comment: str = "") -> str:
    """The text of a progress file with ``systems`` and ``targets`` (each sorted by id; no ``targets:`` key when
    there are none), reporting up to ``reported``.

    >>> print(progress_yaml(dt.date(2027, 6, 30), [],
    ...                     targets=[TargetLive(target="t.backup", live=dt.date(2027, 5, 15))]), end="")
    schema: 1
    reported: 2027-06-30
    systems: []
    targets:
    - target: t.backup
      live: 2027-05-15
    """
    doc: dict[str, object] = {
        "schema": ACTUALS_SCHEMA_VERSION, "reported": reported,
        "systems": [s.model_dump(mode="python", exclude_none=True) for s in sorted(systems, key=lambda s: s.system)]}
    live = [t.model_dump(mode="python") for t in sorted(targets, key=lambda t: t.target)]
    if live:
        doc["targets"] = live
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=False)
