"""Seeded draws of the uncertain inputs, in proportion to each record's ``confidence``.

Every draw is a relative change ``spread · g`` where ``g`` has the scenario's shape on
[-1, 1] (``sweep.distribution``):

- ``triangular``: density rising linearly to the recorded value and falling again (the recorded
  value is the most likely one); inverse CDF ``sqrt(2u) − 1`` for ``u < ½``, else ``1 − sqrt(2(1 − u))``.
- ``uniform``: every value in the range equally likely, ``g = 2u − 1``.

Per system, in inventory order, five uniform numbers are drawn from the sample's own
generator (``numpy.random.default_rng([seed, sample])``), whatever is used of them: so a sample
is the same on any executor, in any order, and the same between runs.

========================  ============================================================  ==================
input                     draw                                                          spread by confidence
========================  ============================================================  ==================
contract annual cost      × (1 + cost_spread · g), in cents                             verified 5 %, estimated 20 %, unknown 50 %
user count                × (1 + user_spread · g), rounded                              0 %, 10 %, 30 %
fixed contract end        ± contract_end_months · g whole months (month end kept)       0, 3, 12 months
migration complexity      one level up or down with probability complexity_shift       0, 10 %, 30 %
========================  ============================================================  ==================

The defaults are Annahmen; the scenario sets them (``sweep:``). With ``sample_assumptions``
the scenario's assumptions (:mod:`sweep.assumptions`) are drawn within their ranges as well.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

import numpy as np

from consolidation.scenario import Scenario, SweepSettings
from inventory.models import Landscape

from .assumptions import assumptions_of, vary

__all__ = ["draw_assumptions", "draw_landscape", "relative", "sample_rng", "shape"]

_LEVELS = ("niedrig", "mittel", "hoch")


def sample_rng(seed: int, sample: int) -> np.random.Generator:
    """The generator of one sample: independent of every other sample and of the executor."""
    return np.random.default_rng(np.random.SeedSequence([seed, sample]))


def shape(u: np.ndarray | float, distribution: str) -> np.ndarray:
    """Map uniform ``u`` in [0, 1) to ``g`` in [-1, 1] with the given shape.

    >>> shape(np.array([0.0, 0.5, 0.875]), "triangular").tolist()
    [-1.0, 0.0, 0.5]
    >>> shape(np.array([0.25]), "uniform").tolist()
    [-0.5]
    """
    u = np.asarray(u, float)
    if distribution == "uniform":
        return 2 * u - 1
    return np.where(u < 0.5, np.sqrt(2 * u) - 1, 1 - np.sqrt(2 * (1 - u)))


def relative(u: float, low: float, high: float, distribution: str) -> float:
    """A relative change in [low, high] (low ≤ 0 ≤ high), the most likely 0 for ``triangular``.

    >>> relative(0.5, -0.2, 0.2, "triangular"), relative(0.0, -0.1, 0.3, "uniform")
    (0.0, -0.1)
    """
    if high == low:
        return 0.0
    if distribution == "uniform":
        return low + u * (high - low)
    c = (0 - low) / (high - low)  # the mode's place in the range
    if u < c:
        return low + float(np.sqrt(u * (high - low) * (0 - low)))
    return high - float(np.sqrt((1 - u) * (high - low) * high))


def _by(conf: str, spread) -> float:
    return getattr(spread, conf)


def _shift_months(d: date, months: int, floor: date) -> date:
    m = d.year * 12 + d.month - 1 + months
    y, mo = divmod(m, 12)
    last = calendar.monthrange(y, mo + 1)[1]
    day = last if d.day == calendar.monthrange(d.year, d.month)[1] else min(d.day, last)
    return max(date(y, mo + 1, day), floor)


def draw_landscape(landscape: Landscape, settings: SweepSettings, rng: np.random.Generator) -> Landscape:
    """A copy of ``landscape`` with every uncertain record drawn once (see the module's table)."""
    systems = [s for o in landscape.organisations for s in o.systems]
    u = rng.random((len(systems), 5))
    g = shape(u[:, :3], settings.distribution)
    k = 0
    orgs = []
    for o in landscape.organisations:
        new_systems = []
        changed = False
        for s in o.systems:
            gc, gu, ge = g[k]
            uc, ud = u[k, 3], u[k, 4]
            k += 1
            conf = s.confidence.value
            update: dict = {}
            ct = s.contract
            if ct is not None:
                c_up: dict = {}
                cs = _by(conf, settings.cost_spread)
                if cs:
                    c_up["annual_cost"] = Decimal(str(round(float(ct.annual_cost) * (1 + cs * gc), 2)))
                months = round(_by(conf, settings.contract_end_months) * ge)
                if ct.end is not None and months:
                    c_up["end"] = _shift_months(ct.end, months, ct.start)
                if c_up:
                    update["contract"] = ct.model_copy(update=c_up)
            us = _by(conf, settings.user_spread)
            if us:
                update["users"] = max(0, round(s.users * (1 + us * gu)))
            p = _by(conf, settings.complexity_shift)
            if p and uc < p:
                level = _LEVELS.index(s.complexity) + (1 if ud < 0.5 else -1)
                update["complexity"] = _LEVELS[min(max(level, 0), 2)]
            if update:
                s = s.model_copy(update=update)
                changed = True
            new_systems.append(s)
        orgs.append(o.model_copy(update={"systems": tuple(new_systems)}) if changed else o)
    # a new model: the landscape's cached indexes (systems by id, …) must be built anew
    return Landscape.model_construct(meta=landscape.meta, catalogue=landscape.catalogue, organisations=tuple(orgs))


def draw_assumptions(scenario: Scenario, rng: np.random.Generator) -> Scenario:
    """``scenario`` with each assumption drawn within its range (one uniform number each, in order)."""
    cfg = scenario.sweep
    out = scenario
    for a in assumptions_of(scenario):
        u = float(rng.random())
        r = relative(u, a.low, a.high, cfg.distribution)
        out = vary(out, a.id, 1.0 + r)
    return out
