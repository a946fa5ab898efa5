"""``landkarte plan sweep``: how sure is the plan? Sensitivity and uncertainty ranges (sweep.json)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from common.errors import InputError, RemoteError
from landkarte.commands._common import JsonOpt, Lang, LangOpt, load_inventory
from landkarte.console import err_console, print_json, progress, say

__all__ = ["sweep"]


def sweep(
    inventory: Annotated[Path, typer.Argument(help="Inventory: a YAML folder, a CSV folder or an .xlsx workbook.")],
    scenario: Annotated[list[Path], typer.Option(
        "--scenario", help="Scenario YAML; give it again for each further option to compare (the first is sampled).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for sweep.json (written atomically).")],
    samples: Annotated[int, typer.Option("--samples", min=0, help="Uncertainty samples (seeded draws, each planned).")
                       ] = 0,
    sensitivity: Annotated[bool, typer.Option("--sensitivity", help="Vary each assumption one at a time.")] = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the draws (sample k uses [seed, k]).")] = 2026,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Dask scheduler address (tcp://host:8786); default: a local process pool.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Local pool size (default: all cores).")
                       ] = None,
    json_out: JsonOpt = False,
    lang: LangOpt = Lang.de,
) -> int:
    """Plan the scenario(s), vary assumptions and draw uncertain records; write OUT/sweep.json."""
    from consolidation.scenario import load_scenario
    from consolidation.targets import UnknownReferenceError
    from reports.messages import Translator
    from reports.sweep import assumption_label, assumption_labels, flip_sentence
    from sweep import make_executor, run_sweep, write_sweep
    from sweep.assumptions import check_ranges

    if samples == 0 and not sensitivity:
        raise typer.BadParameter("nothing to do: give --samples N and/or --sensitivity", param_hint="--samples")
    options = []
    for path in scenario:
        s = load_scenario(path)
        bad = check_ranges(s)
        if bad:
            raise InputError("\n".join(f"{path}: {b}" for b in bad))
        options.append(s)
    ids = [s.id for s in options]
    if len(set(ids)) != len(ids):
        raise InputError(f"two scenarios with the same id: {', '.join(sorted({i for i in ids if ids.count(i) > 1}))}")
    landscape = load_inventory(inventory)
    t = Translator(lang.value)
    try:
        executor = make_executor(scheduler, workers=workers)
    except OSError as exc:
        raise RemoteError(f"Dask scheduler {scheduler}: {exc}") from None
    try:
        with progress() as bar:
            task = bar.add_task(t("sweep.cli.progress"), total=None) if bar is not None else None
            tick = (lambda done, total: bar.update(task, completed=done, total=total)) if bar is not None else None
            run = run_sweep(landscape, options, samples=samples, sensitivity=sensitivity, seed=seed,
                            executor=executor, progress=tick)
    except UnknownReferenceError as exc:  # found while planning; the scenario files are known here
        raise InputError(f"{', '.join(map(str, scenario))}: {exc}") from None
    target = out / "sweep.json"
    try:
        write_sweep(run.result, target)
    except OSError as exc:
        raise InputError(f"{exc.filename or target}: cannot write: {exc.strerror or exc}") from None
    r = run.result
    if json_out:
        u = r.uncertainty
        print_json({"out": str(target), "recommended": r.recommendation.option,
                    "flips": [f.model_dump() for f in r.recommendation.flips],
                    "replanned": list(r.replanned), "recosted": list(r.recosted),
                    "p10_p50_p90_cash_npv_saving": [u.cash_npv_saving.p10, u.cash_npv_saving.p50,
                                                    u.cash_npv_saving.p90] if u else None})
        return 0
    base = r.base[0][1]
    say(t("sweep.cli.base", target=target, option=r.meta.options[0], saving=t.money_round(base.cash_npv_saving),
          end=base.end_label or "–", load=t.number(base.peak_load_pd, 0)))
    if r.sensitivity:
        say("  " + t("sweep.cli.swings", top=", ".join(f"{assumption_label(t, a)} ({t.money_round(a.swing)})"
                                                       for a in r.sensitivity[:3])))
        say("  " + t("sweep.cli.methods", replanned=assumption_labels(t, r, r.replanned),
                     recosted=assumption_labels(t, r, r.recosted)))
    if r.uncertainty is not None:
        u = r.uncertainty
        values = " / ".join(t.money_round(v) for v in (u.cash_npv_saving.p10, u.cash_npv_saving.p50,
                                                       u.cash_npv_saving.p90))
        say("  " + t("sweep.cli.samples", n=u.samples, values=values, ends=" / ".join(x or "–" for x in u.end_labels)))
    say(f"  {flip_sentence(r, t)}")
    where = t(f"sweep.cli.where_{executor.name}", workers=executor.workers)
    err_console.print(t("sweep.cli.plans", n=t.number(run.tasks, 0), where=where), markup=False)
    return 0
