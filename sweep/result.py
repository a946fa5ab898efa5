"""The sweep's output (``sweep.json``): strict models, canonical JSON, written atomically.

Nothing in it depends on the executor, the number of workers or the time: the same inputs
give a byte-identical file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from common.errors import InputError
from common.fsio import atomic_write_text
from common.jsonfile import JsonFileError, read_json

__all__ = [
    "SWEEP_SCHEMA_VERSION",
    "AssumptionSwing",
    "Figures",
    "Flip",
    "OptionFigures",
    "Percentiles",
    "Recommendation",
    "SweepFormatError",
    "SweepMeta",
    "SweepResult",
    "Uncertainty",
    "WaveOdds",
    "read_sweep",
    "sweep_to_json",
    "write_sweep",
]

SWEEP_SCHEMA_VERSION = "2"
"""2: every figure says whether its option is eligible (``Figures.eligible``)."""


class SweepModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class Figures(SweepModel):
    cash_npv_saving: float
    """Cash NPV saving over the horizon (EUR; the modelled EOL surcharge is not cash)."""
    end_quarter: int | None
    """Quarter index of the last wave (None: no feasible plan)."""
    end_label: str | None
    peak_load_pd: float
    """Largest Eigen- plus Fremdleistung person-days of one quarter."""
    feasible: bool
    eligible: bool
    """May be recommended: the plan misses no hard deadline (:func:`plan.recommend.missed_deadlines`)."""


class OptionFigures(SweepModel):
    option: str
    """Scenario id."""
    low: Figures
    high: Figures


class AssumptionSwing(SweepModel):
    id: str
    label_de: str
    label_en: str
    unit: str
    value: float
    low: float
    """Relative change at the low end (e.g. -0.2)."""
    high: float
    method: Literal["recost", "replan"]
    """recost: only prices change, the plan's waves stay; replan: planned again."""
    cash: bool
    """False: a modelled risk figure (it moves the schedule, its money is not cash)."""
    options: tuple[OptionFigures, ...]
    """The first is the sampled scenario (the tornado's)."""
    swing: float
    """|saving(high) − saving(low)| of the first option (the tornado's order)."""


class Flip(SweepModel):
    assumption: str
    end: Literal["low", "high"]
    recommended: str
    """The option recommended at that end of the range."""


class Recommendation(SweepModel):
    rule: Literal["highest_cash_npv_saving"]
    """The board paper's default rule (``npv_savings``): the eligible option (no missed hard deadline)
    with the highest cash NPV saving."""
    option: str | None
    flips: tuple[Flip, ...]


class Percentiles(SweepModel):
    p10: float | None
    p50: float | None
    p90: float | None


class WaveOdds(SweepModel):
    quarter: int
    label: str
    systems: int
    p_done: float
    """Share of samples in which every system of this wave is migrated by its planned quarter."""
    on_time_share: float
    """Mean share of the wave's systems migrated by its planned quarter."""


class Uncertainty(SweepModel):
    samples: int
    feasible_share: float
    cash_npv_saving: Percentiles
    end_quarter: Percentiles
    end_labels: tuple[str | None, str | None, str | None]
    peak_load_pd: Percentiles
    waves: tuple[WaveOdds, ...]
    values: tuple[tuple[float, int | None, float], ...]
    """Per sample (in sample order): cash NPV saving, end quarter, peak load."""


class SweepMeta(SweepModel):
    schema_version: Literal["2"] = SWEEP_SCHEMA_VERSION
    tool_version: str
    inventory_name: str
    inventory_hash: str
    options: tuple[str, ...]
    scenario_names: tuple[str, ...]
    seed: int
    samples: int
    distribution: str
    settings: dict
    """The first scenario's ``sweep`` settings (ranges, spreads)."""
    synthetic: bool


class SweepResult(SweepModel):
    meta: SweepMeta
    base: tuple[tuple[str, Figures], ...]
    """Per option: the single plan's figures."""
    recommendation: Recommendation
    sensitivity: tuple[AssumptionSwing, ...] = ()
    """Sorted by swing, largest first."""
    recosted: tuple[str, ...] = ()
    replanned: tuple[str, ...] = ()
    uncertainty: Uncertainty | None = None


class SweepFormatError(InputError):
    """A sweep.json that cannot be read: names the file and, per problem, the key path."""

    def __init__(self, path: Path, messages: list[str]):
        self.path = path
        self.messages = messages
        super().__init__(f"sweep {path}: not a valid sweep result:\n  " + "\n  ".join(messages[:20]))


def sweep_to_json(result: SweepResult) -> str:
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def write_sweep(result: SweepResult, path: str | Path) -> None:
    atomic_write_text(path, sweep_to_json(result))


def read_sweep(path: str | Path) -> SweepResult:
    """Read a ``sweep.json``; every problem names the file and the key path."""
    path = Path(path)
    try:
        data = read_json(path)
    except JsonFileError as exc:
        raise SweepFormatError(path, [exc.problem]) from None
    try:
        return SweepResult.model_validate(data)
    except ValidationError as exc:
        raise SweepFormatError(path, [f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}"
                                      for e in exc.errors(include_url=False)]) from None
