"""The sweep: single plans, one-at-a-time sensitivity and seeded uncertainty samples.

:func:`run_sweep` plans each option once (in this process), re-costs every price-only
assumption from those plans, and hands every plan that must be made again — each end of a
schedule-moving assumption's range, per option, and each uncertainty sample — to an
:class:`~sweep.executors.Executor`. Results are put back in task order, so the output is the
same whichever executor ran them.

Recommendation rule: the board paper's default rule (:data:`plan.recommend.DEFAULT_RULE`, the
Vorlage's): among the eligible options — no missed hard deadline, :func:`plan.recommend.eligible`,
the same test as the Vorlage's — the one with the highest cash NPV saving, the first listed on a tie. An assumption *flips* the recommendation when
at one end of its range (the same change applied to every option) another option would be
recommended.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from common.version import tool_version
from consolidation.planner import inventory_hash
from consolidation.planner import plan as make_plan
from consolidation.scenario import Scenario
from inventory.models import Landscape
from plan.calendar import quarter_label
from plan.recommend import DEFAULT_RULE, recommend

from ._task import Job, Outcome, Task
from .assumptions import assumptions_of
from .executors import Executor, SerialExecutor
from .figures import SweepFigures, figures_of
from .recost import RECOSTABLE, recost
from .result import (
    AssumptionSwing,
    Figures,
    Flip,
    OptionFigures,
    Percentiles,
    Recommendation,
    SweepMeta,
    SweepResult,
    Uncertainty,
    WaveOdds,
)

__all__ = ["SweepRun", "percentiles", "recommended", "run_sweep"]


@dataclass
class SweepRun:
    """A sweep's result and how it ran (the statistics are never part of the result)."""

    result: SweepResult
    tasks: int
    peak_rss_mb: dict[int, float] = field(default_factory=dict)
    """Per worker process id: its peak resident memory (MB)."""


def percentiles(values: Sequence[float]) -> tuple[float, float, float] | None:
    """P10, P50, P90 as sample values (the empirical inverse CDF, no interpolation).

    >>> percentiles(list(range(1, 11)))
    (1.0, 5.0, 9.0)
    """
    if not values:
        return None
    a = np.sort(np.asarray(values, float))
    return tuple(float(np.quantile(a, p, method="inverted_cdf")) for p in (0.1, 0.5, 0.9))  # type: ignore[return-value]


def recommended(figures: Sequence[tuple[str, SweepFigures]]) -> str | None:
    """The eligible option (no missed hard deadline) with the highest cash NPV saving (the first of equals).

    >>> a = SweepFigures(10.0, 3, 5.0, True, True)
    >>> b = SweepFigures(12.0, 9, 5.0, True, True)
    >>> late = SweepFigures(99.0, 9, 5.0, True, False)  # feasible, but misses an exit date
    >>> recommended([("a", a), ("b", b)]), recommended([("a", a), ("b", late)])
    ('b', 'a')
    """
    best = recommend(figures, DEFAULT_RULE, figure=lambda x: x[1].cash_npv_saving, eligible=lambda x: x[1].eligible)
    return best[0] if best else None


def _figures(f: SweepFigures, scenario: Scenario) -> Figures:
    return Figures(cash_npv_saving=f.cash_npv_saving, end_quarter=f.end_quarter,
                   end_label=quarter_label(scenario.start, f.end_quarter) if f.end_quarter is not None else None,
                   peak_load_pd=f.peak_load_pd, feasible=f.feasible, eligible=f.eligible)


def run_sweep(landscape: Landscape, options: Sequence[Scenario], *, samples: int = 0, sensitivity: bool = True,
              seed: int = 2026, executor: Executor | None = None,
              progress: Callable[[int, int], None] | None = None) -> SweepRun:
    """Sweep ``options[0]`` (and compare it with the other options) over ``landscape``.

    Parameters
    ----------
    landscape
        The inventory (never changed).
    options
        The scenarios compared; the first is sampled and drawn as the tornado.
    samples
        Uncertainty samples (0: none).
    sensitivity
        Vary each assumption one at a time over its range.
    seed
        Sample ``k`` draws from ``numpy.random.default_rng([seed, k])``.
    executor
        Where the plans run (default: in this process).
    progress
        Called with (plans done, plans in all) as plans finish.
    """
    if not options:
        raise ValueError("no scenario given")
    executor = executor or SerialExecutor()
    primary = options[0]
    assumptions = assumptions_of(primary)
    total = len(options)
    vary_ends = [(o, a, end, 1.0 + (a.low if end == "low" else a.high))
                 for o in range(len(options)) for a in (assumptions if sensitivity else ())
                 if not a.price_only for end in ("low", "high")]
    vary_ends = [v for v in vary_ends if v[3] != 1.0]
    total += len(vary_ends) + samples
    done = 0

    def tick(n: int = 1) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    # a pool's workers start (and import the planner) while the base plans are made
    with executor if len(vary_ends) + samples else contextlib.nullcontext():
        base_plans = []
        for s in options:
            base_plans.append(make_plan(landscape, s))
            tick()
        base = [figures_of(p) for p in base_plans]
        p0 = base_plans[0]
        waves: dict[int, set[str]] = {}
        for a in p0.assignments:
            if a.moves and a.quarter is not None and p0.feasible:
                waves.setdefault(a.quarter, set()).add(a.system)
        job = Job(landscape=landscape, options=tuple(options),
                  waves=tuple((q, frozenset(ss)) for q, ss in sorted(waves.items())), seed=seed)
        tasks = [Task(index=i, kind="vary", option=o, assumption=a.id, factor=f)
                 for i, (o, a, _end, f) in enumerate(vary_ends)]
        tasks += [Task(index=len(tasks) + k, kind="sample", sample=k) for k in range(samples)]
        outcomes: list[Outcome | None] = [None] * len(tasks)
        peak: dict[int, float] = {}

        def on_done(out: Outcome) -> None:
            outcomes[out.index] = out
            peak[out.worker] = max(peak.get(out.worker, 0.0), out.peak_rss_mb)
            tick()

        if tasks:
            executor.run(job, tasks, on_done)

    # sensitivity: one figure per (option, assumption, end)
    at: dict[tuple[int, str, str], SweepFigures] = {}
    for i, (o, a, end, _f) in enumerate(vary_ends):
        at[(o, a.id, end)] = outcomes[i].figures  # type: ignore[union-attr]
    swings = []
    if sensitivity:
        for o, s in enumerate(options):
            p = base_plans[o]
            for a in assumptions:
                for end, rel in (("low", a.low), ("high", a.high)):
                    if (o, a.id, end) in at:
                        continue
                    if rel == 0.0:
                        at[(o, a.id, end)] = base[o]
                    elif a.price_only and a.id in RECOSTABLE:
                        at[(o, a.id, end)] = recost(p, s, a.id, 1.0 + rel)
        for a in assumptions:
            per_option = tuple(OptionFigures(option=s.id, low=_figures(at[(o, a.id, "low")], s),
                                             high=_figures(at[(o, a.id, "high")], s)) for o, s in enumerate(options))
            lo, hi = at[(0, a.id, "low")], at[(0, a.id, "high")]
            swings.append(AssumptionSwing(
                id=a.id, label_de=a.label_de, label_en=a.label_en, unit=a.unit, value=a.value, low=a.low, high=a.high,
                method="recost" if a.price_only else "replan", cash=a.cash, options=per_option,
                swing=round(abs(hi.cash_npv_saving - lo.cash_npv_saving), 2)))
        swings.sort(key=lambda x: (-x.swing, x.id))
    base_rec = recommended([(s.id, base[o]) for o, s in enumerate(options)])
    flips = []
    if sensitivity and len(options) > 1:
        for a in assumptions:
            for end in ("low", "high"):
                rec = recommended([(s.id, at[(o, a.id, end)]) for o, s in enumerate(options)])
                if rec != base_rec:
                    flips.append(Flip(assumption=a.id, end=end, recommended=rec or "–"))

    unc = None
    if samples:
        outs = [outcomes[len(vary_ends) + k] for k in range(samples)]
        feas = [o.figures for o in outs if o is not None and o.figures.feasible]
        sav = percentiles([f.cash_npv_saving for f in feas])
        endq = percentiles([f.end_quarter for f in feas if f.end_quarter is not None])
        load = percentiles([f.peak_load_pd for f in feas])

        def pc(t: tuple[float, float, float] | None, nd: int = 2) -> Percentiles:
            return Percentiles(p10=None, p50=None, p90=None) if t is None else Percentiles(
                p10=round(t[0], nd), p50=round(t[1], nd), p90=round(t[2], nd))

        odds = []
        for w, (q, ss) in enumerate(job.waves):
            shares = [o.waves_done[w] for o in outs if o is not None]
            odds.append(WaveOdds(quarter=q, label=quarter_label(primary.start, q), systems=len(ss),
                                 p_done=round(sum(1 for x in shares if x >= 1.0) / samples, 4),
                                 on_time_share=round(sum(shares) / samples, 4)))
        unc = Uncertainty(
            samples=samples, feasible_share=round(len(feas) / samples, 4), cash_npv_saving=pc(sav),
            end_quarter=pc(endq, 0), end_labels=tuple(quarter_label(primary.start, int(x)) if x is not None else None
                                                      for x in (endq or (None, None, None))),
            peak_load_pd=pc(load, 1), waves=tuple(odds),
            values=tuple((o.figures.cash_npv_saving, o.figures.end_quarter, o.figures.peak_load_pd)
                         for o in outs if o is not None))
    meta = SweepMeta(
        tool_version=tool_version(), inventory_name=landscape.meta.name, inventory_hash=inventory_hash(landscape),
        options=tuple(s.id for s in options), scenario_names=tuple(s.name for s in options), seed=seed,
        samples=samples, distribution=primary.sweep.distribution, settings=primary.sweep.model_dump(mode="json"),
        synthetic=landscape.meta.synthetic or any(s.synthetic for s in options))
    result = SweepResult(
        meta=meta, base=tuple((s.id, _figures(base[o], s)) for o, s in enumerate(options)),
        recommendation=Recommendation(rule="highest_cash_npv_saving", option=base_rec, flips=tuple(flips)),
        sensitivity=tuple(swings),
        recosted=tuple(a.id for a in assumptions if sensitivity and a.price_only),
        replanned=tuple(a.id for a in assumptions if sensitivity and not a.price_only),
        uncertainty=unc)
    return SweepRun(result=result, tasks=len(tasks), peak_rss_mb=peak)
