"""landkarte report — render the board pack (HTML, PDF, XLSX, CSV) from a plan."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from common.errors import InputError
from landkarte.commands._common import JsonOpt, Lang, LangOpt, parse_day
from landkarte.commands._why import (
    OldActualsOpt,
    OldInventoryOpt,
    OldScenarioOpt,
    ScenarioOpt,
    SinceOpt,
)
from landkarte.console import console, err_console, print_json, progress

if TYPE_CHECKING:
    from inventory.models import Landscape
    from plan.models import Plan
    from reports.context import InventoryFacts

__all__ = ["inventory_facts", "report", "report_inventory", "resolve_inventory"]


def inventory_facts(landscape: Landscape, source: str) -> InventoryFacts:
    """What the report shows of an inventory: names, data confidence and online services."""
    from reports.context import InventoryFacts, ServiceFact

    return InventoryFacts(
        source=source,
        system_names={s.id: s.name for s in landscape.systems.values()},
        product_names={p.id: p.name for p in landscape.catalogue.products},
        confidence={s.id: s.confidence.value for s in landscape.systems.values()},
        services=tuple(
            ServiceFact(org=inv.organisation.id, name=svc.name, kind=svc.kind.value, leika_id=svc.leika_id or "",
                        themenfeld=svc.themenfeld, efa_provider=svc.efa_provider, feeds=svc.feeds)
            for inv in landscape.organisations for svc in inv.online_services
        ),
    )


def resolve_inventory(plan: Plan, plan_path: Path) -> Path | None:
    """The inventory folder a plan names: a path (as given or next to the plan), or a bundled sample
    whose ``landscape.yaml`` carries that name."""
    import inventory
    from common.errors import IssuesError
    from common.yamlfile import YamlFile

    name = plan.meta.inventory_name
    if not name:
        return None
    samples = Path(inventory.__file__).parent / "samples"
    for c in (Path(name), plan_path.parent / name):
        try:
            if c.is_dir():
                return c
        except OSError:
            continue
    for meta_file in sorted(samples.glob("*/landscape.yaml")):
        try:
            meta = YamlFile.read(meta_file).data
        except IssuesError:
            continue
        if isinstance(meta, dict) and meta.get("name") == name:
            return meta_file.parent
    return None


def report_inventory(plan: Plan, plan_path: Path, inventory: Path | None, *, lang: str = "de"
                     ) -> tuple[InventoryFacts | None, list[str]]:
    """The inventory facts for the report, and warnings (in ``lang``).

    ``inventory`` given explicitly must load (else :class:`inventory.errors.InventoryError`);
    otherwise the folder named in the plan's meta is tried and, if it cannot be found or read,
    the report goes on without it and says so in the warnings.
    """
    from inventory.errors import InventoryError
    from inventory.load import load_landscape
    from reports.messages import Translator

    t = Translator(lang)  # type: ignore[arg-type]
    if inventory is not None:
        return inventory_facts(load_landscape(inventory), str(inventory)), []
    found = resolve_inventory(plan, plan_path)
    if found is None:
        return None, [t("report.inventory_missing", name=plan.meta.inventory_name)]
    try:
        return inventory_facts(load_landscape(found), str(found)), []
    except InventoryError as exc:
        return None, [t("report.inventory_broken", found=found, error=exc)]


def report(
    plan: Annotated[Path, typer.Argument(help="Plan JSON written by `landkarte plan`.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the report files.")],
    format: Annotated[str, typer.Option("--format", help="Comma-separated: html, pdf, xlsx, csv.")] = "html,pdf,xlsx",
    lang: LangOpt = Lang.de,
    compare: Annotated[list[Path] | None, typer.Option(
        "--compare", help="Another plan as an option of the Beschlussvorlage (repeat for more); the first also gets "
                          "the Szenarienvergleich.")] = None,
    previous: Annotated[
        Path | None, typer.Option("--previous", help="The plan of the last meeting: adds what changed since, and why "
                                                      "(needs the inputs of both plans, see --since).")
    ] = None,
    since: SinceOpt = None,
    old_inventory: OldInventoryOpt = None,
    scenario: ScenarioOpt = None,
    old_scenario: OldScenarioOpt = None,
    old_actuals: OldActualsOpt = None,
    inventory: Annotated[
        Path | None, typer.Option("--inventory", help="Inventory folder (default: the one the plan names, if found).")
    ] = None,
    appendix: Annotated[
        str | None,
        typer.Option("--appendix", help="org (a page each), kreis (a page per Kreis) or none; default by size."),
    ] = None,
    sweep: Annotated[
        Path | None, typer.Option("--sweep", help="sweep.json of `landkarte plan sweep`: adds the chapter Bandbreiten.")
    ] = None,
    actuals: Annotated[Path | None, typer.Option(
        "--actuals", help="Progress folder (e.g. <inventory>/progress): adds the chapter Soll/Ist (planned vs "
                          "delivered, slippage, late items, burn-ups); --as-of defaults to its latest reported day. "
                          "With --previous also the actuals of the new plan when attributing changes."
    )] = None,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", help="The plan delivery is measured against in Soll/Ist (default: --previous, else PLAN).")
    ] = None,
    pdf_engine: Annotated[str, typer.Option("--pdf-engine", help="typst (default, fast) or weasyprint.")] = "typst",
    json_out: JsonOpt = False,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="The report's date (Stand, YYYY-MM-DD; default today): migrations planned in quarters "
                        "before it and not done are flagged.")] = None,
    gremium: Annotated[str, typer.Option("--gremium", help="Board named in the Beschlussvorlage.")] = (
        "IT-Planungsgremium Saar"),
    sitzung: Annotated[str, typer.Option("--sitzung", help="Meeting (e.g. '12. Sitzung, 10.02.2027').")] = "",
    top: Annotated[str, typer.Option("--top", help="Agenda item (TOP) of the Vorlage.")] = "",
    rule: Annotated[str, typer.Option(
        "--rule", help="Recommendation rule among options that miss no hard deadline: npv_savings (default, highest "
                       "cash NPV saving), tco_savings (highest cash saving) or one_off (lowest one-off cost).")] = (
        "npv_savings"),
) -> int:
    """Render the report files for PLAN into --out; never recomputes the plan."""
    from common.fsio import check_output
    from reports import FORMATS, load_inputs, write_report
    from reports.pdf import ENGINES

    formats = tuple(dict.fromkeys(f.strip().lower() for f in format.split(",") if f.strip()))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise typer.BadParameter(f"unknown format {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}",
                                 param_hint="--format")
    if appendix is not None and appendix not in ("org", "kreis", "none"):
        raise typer.BadParameter("choose org, kreis or none", param_hint="--appendix")
    if pdf_engine not in ENGINES:
        raise typer.BadParameter(f"choose one of {', '.join(ENGINES)}", param_hint="--pdf-engine")
    from plan.recommend import RULES
    from reports.messages import Translator
    from reports.vorlage import Meeting

    if rule not in RULES:
        raise typer.BadParameter(f"choose one of {', '.join(sorted(RULES))}", param_hint="--rule")
    day = parse_day(as_of)
    meeting = Meeting(gremium=gremium, sitzung=sitzung, top=top, rule=rule)
    check_output(out, folder=True)  # before the rendering, not after it
    inputs = load_inputs(plan, compare=compare or [], previous=previous, sweep=sweep, actuals=actuals,
                         baseline=baseline)
    t = Translator(lang.value)

    def warn(text: str) -> None:
        err_console.print(t("report.warning", text=text), markup=False, highlight=False, soft_wrap=True)

    if inputs.actuals is not None and inputs.soll is inputs.plan and inputs.plan.meta.actuals:
        warn(t("report.soll_is_the_plan"))
    if day is None and inputs.actuals is not None:
        day = inputs.actuals.reported  # the report's Stand is the day the actuals report up to
    inputs.inventory, warnings = report_inventory(inputs.plan, inputs.plan_path, inventory, lang=lang.value)
    for warning in warnings:
        warn(warning)
    if inputs.previous is not None and previous is not None:
        from landkarte.commands._why import WhyOptions, explain_change
        from plan.diff import diff_plans

        if not diff_plans(inputs.previous, inputs.plan).empty:
            opts = WhyOptions(since=since, inventory=inventory, old_inventory=old_inventory, scenario=scenario,
                              old_scenario=old_scenario, actuals=actuals, old_actuals=old_actuals)
            inputs.why, inputs.why_missing = explain_change(inputs.previous, previous, inputs.plan, inputs.plan_path,
                                                            opts, old_role="the previous plan", new_role="the plan",
                                                            lang=lang)
            if inputs.why_missing:
                warn(inputs.why_missing)
    try:
        with progress() as bar:
            task = bar.add_task(t("report.rendering", formats=", ".join(formats)), total=len(formats)) if bar else None
            paths = write_report(inputs, out, formats=formats, lang=lang, appendix=appendix, pdf_engine=pdf_engine,
                                 on_format=(lambda _fmt: bar.advance(task)) if bar else None, as_of=day,
                                 meeting=meeting)
    except OSError as exc:
        raise InputError(f"{exc.filename or out}: cannot write the report: {exc.strerror or exc}") from None
    if json_out:
        print_json({fmt: str(p) for fmt, p in paths.items()})
    else:
        for fmt, p in paths.items():
            console.print(f"{fmt}: {p}", markup=False, soft_wrap=True)
    return 0
