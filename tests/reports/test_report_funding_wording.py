"""Money is honest: funding in the plan is "geplant"; only the claims (actuals) say "nachgewiesen" and "abgerufen".
No user-visible text calls planned money "freigegeben" (released)."""

from __future__ import annotations

from reports.messages import MESSAGES, Translator


def test_no_message_calls_funding_released():
    offending = {k: v for k, v in MESSAGES.items()
                 if "freigeg" in v[0].lower() or "freigabe" in v[0].lower() or "releas" in v[1].lower()}
    assert offending == {}


def test_funding_headlines_say_planned():
    t = Translator("de")
    assert t("fig.funding_total").startswith("Geplante Fördermittel")
    assert t("sheet.funding") == "Geplante Fördermittel"
    assert "abgerufen" in t("vl.b.funding", funding="1 Mio. €")
    assert [t(f"claims.status.{s}") for s in ("geplant", "nachgewiesen", "abgerufen")] == [
        "geplant", "nachgewiesen", "abgerufen"]


def test_rendered_report_never_says_freigegeben(plan_file, tmp_path):
    from reports import load_inputs, render_report

    _, out = render_report(load_inputs(plan_file), formats=("html", "xlsx"), lang="de")
    html = out["html"].decode()
    assert "Geplante Fördermittel" in html
    assert "freigegeben" not in html.lower() and "Freigaben" not in html and "Mittelfreigabe" not in html
