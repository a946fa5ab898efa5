"""The scenario models' base (numbers are numbers, no absurd sizes) and the sweep settings.

Machinery of :mod:`consolidation.scenario`, which is the public module: import these from there.
"""

from __future__ import annotations

import re
import types
import typing
from decimal import Decimal
from typing import Any, Literal

from pydantic import ConfigDict, Field, PlainSerializer, ValidationInfo, field_validator, model_validator

from common.model import StrictModel
from common.types import Id

__all__ = ["ByConfidence", "ScenarioModel", "SweepSettings"]


_LARGEST = 10**12
"""No planning quantity (people, days, euros a year, seconds, instances) is larger: check the unit."""


class ScenarioModel(StrictModel):
    """Base of the scenario models (frozen, strict about keys, fields documented; numbers are numbers)."""

    model_config = ConfigDict(allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """``workers: yes`` is not 1 and ``time_limit_s: '20'`` is not 20; absurd sizes are refused here,
        with their place, not deep in a solver.

        The one text taken as a number is a plain decimal (``"0.03"``) for a ``Decimal`` field that a
        dumped scenario (``model_dump(mode="json")``) writes as text (``discount_rate``; amounts in
        euro are written as numbers): a dump must load again.
        """
        field = cls.model_fields[info.field_name] if info.field_name else None
        kind = _number_kind(field) if field is not None else None
        if (isinstance(value, str) and kind is Decimal and _DECIMAL_TEXT.fullmatch(value)
                and not any(isinstance(m, PlainSerializer) for m in field.metadata)):  # type: ignore[union-attr]
            return value
        if isinstance(value, (bool, str)) and kind is not None:
            shown = ("true" if value else "false") if isinstance(value, bool) else repr(value[:40])
            raise ValueError(f"must be a number, not {shown}")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > _LARGEST:
            raise ValueError(f"{value:.3g} is larger than 10^12: no planning quantity is that large (check the unit)")
        return value


_DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _number_kind(field: Any) -> type | None:
    """int, float or Decimal when ``field`` holds a number (optional or annotated), else None."""
    ann = field.annotation
    while typing.get_origin(ann) is typing.Annotated:
        ann = typing.get_args(ann)[0]
    if typing.get_origin(ann) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        ann = args[0] if len(args) == 1 else None
    while typing.get_origin(ann) is typing.Annotated:
        ann = typing.get_args(ann)[0]
    return ann if ann in (int, float, Decimal) else None


class ByConfidence(ScenarioModel):
    """One value per data confidence of a record (``verified``, ``estimated``, ``unknown``)."""

    verified: float = Field(ge=0)
    estimated: float = Field(ge=0)
    unknown: float = Field(ge=0)


class SweepSettings(ScenarioModel):
    """How ``landkarte plan sweep`` varies this scenario (see docs/sweep.md). All figures are Annahmen.

    Sensitivity varies each assumption that moves money or time one at a time over its range.
    Uncertainty draws every uncertain record of the inventory in proportion to its confidence:
    a relative draw ``1 + spread · g`` where ``g`` has the shape ``distribution`` on [-1, 1].
    """

    distribution: Literal["triangular", "uniform"] = "triangular"
    """Shape of every draw: triangular (most likely the recorded value) or uniform over the range."""
    default_range: float = Field(default=0.2, ge=0, le=1)
    """Relative range of an assumption without its own entry in ``ranges`` (0.2: −20 % … +20 %)."""
    ranges: dict[Id, tuple[float, float]] = Field(default_factory=dict)
    """Per assumption id (see docs/sweep.md): (low, high) relative change, e.g. (-0.1, 0.3)."""
    sample_assumptions: bool = False
    """Also draw the assumptions within their ranges in every uncertainty sample (not only the records)."""
    cost_spread: ByConfidence = ByConfidence(verified=0.05, estimated=0.2, unknown=0.5)
    """Relative spread of a contract's annual cost."""
    user_spread: ByConfidence = ByConfidence(verified=0.0, estimated=0.1, unknown=0.3)
    """Relative spread of a system's user count (moves effort and target size)."""
    contract_end_months: ByConfidence = ByConfidence(verified=0, estimated=3, unknown=12)
    """Months a fixed contract end may lie earlier or later than recorded."""
    complexity_shift: ByConfidence = ByConfidence(verified=0.0, estimated=0.1, unknown=0.3)
    """Probability that a system's migration complexity is one level higher or lower than recorded
    (half each way; the effort per system follows)."""

    @model_validator(mode="after")
    def _ranges(self) -> SweepSettings:
        for key, (low, high) in self.ranges.items():
            if not -1 < low <= 0 <= high <= 10:
                raise ValueError(f"range of {key!r} must satisfy -1 < low <= 0 <= high <= 10, got ({low}, {high})")
        for name in ("complexity_shift",):
            v = getattr(self, name)
            if max(v.verified, v.estimated, v.unknown) > 1:
                raise ValueError(f"{name} is a probability (at most 1)")
        for name in ("cost_spread", "user_spread"):
            v = getattr(self, name)
            if max(v.verified, v.estimated, v.unknown) >= 1:
                raise ValueError(f"{name} must stay below 1 (a value cannot fall to zero or below)")
        return self
