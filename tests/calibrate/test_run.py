from __future__ import annotations

from pathlib import Path

import pytest

import cxgraph as cx

DATA = Path(__file__).parents[1] / "data" / "evidence"
YEAR_2024 = ("2024-01-01", "2025-01-01")   # 366 days
YEARS = 366 / 365.25


@pytest.fixture(scope="module")
def calibrated() -> tuple[cx.Model, cx.Model, cx.CalibrationReport]:
    bank = cx.examples.load("retail-bank")
    before = bank.model_copy(deep=True)
    model, report = cx.calibrate(
        bank, incidents=[DATA / "servicenow-incidents.csv", DATA / "pagerduty-incidents.json"],
        outages=DATA / "servicenow-outages.csv", slos=DATA / "bank-slos.yaml", events=DATA / "events.csv",
        surveys=[DATA / "nps-responses.csv", DATA / "qualtrics-csat.csv"], window=YEAR_2024, degradation_weight=0.5)
    assert bank == before, "the input model must not change"
    return bank, model, report


def _u(value: cx.Uncertain) -> tuple[float, float, float]:
    return value.low, value.mode, value.high


def test_reliability_from_incidents_outages_and_pagerduty(calibrated) -> None:
    _, m, report = calibrated
    core = m.get("core-banking")
    # 08:00-10:00 and 09:30-12:00 overlap -> one 4 h outage; 22:00-00:00 -> 2 h: 2 outages, 3 h mean
    assert core.failures_per_year.mode == pytest.approx(2 / YEARS, rel=1e-6)
    assert core.recovery_hours.mode == 3.0
    # PagerDuty: 10:00-11:30 (P1) and 11:00-12:00 (no priority, high urgency) -> one 2 h outage
    gw = m.get("payment-gateway-a")
    assert gw.recovery_hours.mode == 2.0 and gw.failures_per_year.mode == pytest.approx(1 / YEARS, rel=1e-5)
    # the payments hub: a 3 h outage and an 8 h degradation weighing 0.5 -> n = 1.5, 7 h down
    hub = m.get("payment-hub")
    assert hub.failures_per_year.mode == pytest.approx(1.5 / YEARS, rel=1e-5)
    assert hub.recovery_hours.mode == pytest.approx(7 / 1.5, rel=1e-5)
    assert "Gamma posterior" in hub.properties["evidence"]
    # the mobile app had only a priority-4 incident: no outage in 366 days; its stated availability gives way to
    # a rate of 0 with the Jeffreys upper bound Gamma(1/2) 95 % / T, and its recovery time stays
    app = m.get("mobile-app")
    assert _u(app.failures_per_year) == pytest.approx((0, 0, 1.9207294 / YEARS), rel=1e-5)
    assert (app.availability, app.recovery_hours) == (None, 1)
    assert "mobile-app" in {c.id for c in report.changes if c.field == "availability"}


def test_slo_targets(calibrated) -> None:
    _, m, report = calibrated
    avail = m.get("m-avail-core")
    assert (avail.target, avail.actual, avail.ideal) == (99.9, 99.7, 100)
    latency = m.get("slo-app-latency-fast-enough")
    assert (latency.of, latency.target, latency.better, latency.ideal) == ("mobile-app", 800, "lower", 0)
    assert any(x.name == "mainframe-batch" and x.status == "unmatched" for x in report.matches)


def test_turnarounds_from_the_event_log(calibrated) -> None:
    _, m, report = calibrated
    # application step: 20, 10, 30 (end - start) and 45 minutes (since the chatbot event): hours
    apply = m.get("turnaround-oa-apply-online")
    assert _u(apply.actual) == pytest.approx((13 / 60, 25 / 60, 40.5 / 60), rel=1e-5)
    assert (apply.better, apply.ideal, apply.unit, apply.target) == ("lower", 0, "hours", apply.actual.mode)
    # identity check: 30, 60, 15, 5 minutes since the previous event
    assert _u(m.get("turnaround-oa-verify-id").actual) == pytest.approx((8 / 60, 22.5 / 60, 51 / 60), rel=1e-5)
    # the existing metric in days: 2, 0.5 and 4 days
    assert _u(m.get("m-open-time").actual) == pytest.approx((0.8, 2.0, 3.6))
    assert _u(m.get("m-card-arrival").actual) == pytest.approx((4.1, 4.5, 4.9))
    # end to end: 168.8333, 109.1667, 96.75 and 0.8333 hours
    e2e = m.get("e2e-open-account")
    assert e2e.of == "oa-first-login"
    assert _u(e2e.actual) == pytest.approx((29.608333, 102.958333, 150.933333), rel=1e-5)
    row = report.distributions.set_index("id").loc["open-account"]
    assert (row.n, row.cases) == (4, 4)


def test_survey_scores(calibrated) -> None:
    _, m, report = calibrated
    # 5 promoters, 2 detractors of 10: NPS 30, se = 100 sqrt((0.7 - 0.09) / 10), z = 1.6449
    half = 1.6448536269514722 * 100 * (0.061 ** 0.5)
    assert _u(m.get("m-nps-onboarding").actual) == pytest.approx((30 - half, 30, 30 + half), abs=1e-4)
    assert _u(m.get("m-nps-mortgage").actual) == pytest.approx((-82.2427, 0, 82.2427), abs=1e-4)
    assert _u(m.get("m-csat-payment").actual) == pytest.approx((3.402336, 4.2, 4.997664), abs=1e-5)
    nps = next(s for s in report.sources if s.file.endswith("nps-responses.csv"))
    assert sorted(p.reason for p in nps.problems) == ["nps not a number", "score outside the NPS scale (0-10)"]


def test_every_change_is_reported_with_before_and_after(calibrated) -> None:
    bank, m, report = calibrated
    for change in report.changes:
        if change.type == "metric" and change.before is not None:
            assert getattr(bank.get(change.id), change.field) == change.before
        assert getattr(m.get(change.id), change.field) == change.after
    names = {x.name: x for x in report.unmatched}
    assert set(names) == {"SAP ERP", "mainframe-batch", "Chatbot greeting", "Open a savings account"}
    assert names["Open a savings account"].candidates[0] == "Open an account"


def test_the_public_openslo_examples_calibrate_a_model() -> None:
    m = cx.Model(name="Shop")
    m.add_journey("buy", "Buy", customers=10).add_touchpoint("search", "Search", depends_on=["web-shop"])
    m.add_element("web-shop", "Web shop", kind="system")
    out, report = cx.calibrate(m, slos=[DATA / "openslo" / "occurences-slo.yaml",
                                        DATA / "openslo" / "ratio-timeslices.yaml"])
    search = out.get("slo-search-slo-good-experience")
    assert (search.target, search.better, search.ideal) == (500, "lower", 0)
    page = out.get("slo-main-page-good")
    assert (page.target, page.better, page.ideal, page.unit) == (99.0, "higher", 100, "%")
    assert report.window is None


def test_a_failed_run_changes_nothing(tmp_path: Path) -> None:
    bank = cx.examples.load("retail-bank")
    before = bank.model_copy(deep=True)
    bad = tmp_path / "bad.csv"
    bad.write_text("case_id,activity,timestamp\nc1,Apply,not a time\n")
    with pytest.raises(cx.FormatError, match="row 2, column 'timestamp'"):
        cx.calibrate(bank, incidents=DATA / "servicenow-incidents.csv", events=bad)
    assert bank == before


def test_window_of_days_ends_at_the_last_record() -> None:
    _, report = cx.calibrate(cx.examples.load("retail-bank"), incidents=DATA / "servicenow-incidents.csv",
                             window=100)
    # the last record that ended: INC0010007 at 2024-08-12 15:10 (the open incident has no end)
    assert report.window == ("2024-05-04 15:10:00", "2024-08-12 15:10:00") and report.window_days == 100
    inc = report.sources[0]
    assert [p.reason for p in inc.problems] == ["no resolved_at (still open)", "outside the window"]
    assert inc.problems[1].count == 3 and inc.problems[1].rows == (2, 3, 4)
    with pytest.raises(cx.AnalysisInputError, match="above 0"):
        cx.calibrate(cx.examples.load("retail-bank"), incidents=DATA / "servicenow-incidents.csv", window=0)


def test_match_property_and_ambiguous_names(tmp_path: Path) -> None:
    m = cx.Model(name="M")
    m.add_journey("j", "J", customers=1).add_touchpoint("t", "T", depends_on=["a", "b"])
    m.add_element("a", "Gateway", kind="system", properties={"servicenow_ci": "GW-PROD"}, recovery_hours=1)
    m.add_element("b", "Gateway", kind="system")
    p = tmp_path / "inc.csv"
    p.write_text("number,cmdb_ci,priority,opened_at,resolved_at\n"
                 "INC1,GW-PROD,1 - Critical,2024-01-01 10:00,2024-01-01 16:00\n"
                 "INC2,Gateway,1 - Critical,2024-02-01 10:00,2024-02-01 11:00\n")
    out, report = cx.calibrate(m, incidents=p, match_property="servicenow_ci",
                               window=("2024-01-01", "2024-12-31 06:00"))   # exactly 365.25 days
    a = out.get("a")
    assert (a.failures_per_year.mode, a.recovery_hours.mode) == (1.0, 6.0)
    assert out.get("b").failures_per_year is None       # the ambiguous name's incident is not used
    (ambiguous,) = report.unmatched
    assert (ambiguous.name, ambiguous.status, ambiguous.candidates) == ("Gateway", "ambiguous", ("a", "b"))


def test_an_item_written_twice_keeps_both_provenances(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    text = ("apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: kyc-ok}\nspec:\n  service: kyc-check\n"
            "  indicator: {metadata: {name: ok}, spec: {ratioMetric: {}}}\n"
            "  objectives: [{displayName: Good, target: %s}]\n")
    first.write_text(text % "0.9")
    second.write_text(text % "0.95")
    out, report = cx.calibrate(cx.examples.load("retail-bank"), slos=[first, second])
    metric = out.get("slo-kyc-ok-good")
    assert metric.target == 95.0
    assert metric.properties["evidence"] == (f"OpenSLO 'kyc-ok', objective 'Good': 90 % of good events ({first}); "
                                             f"OpenSLO 'kyc-ok', objective 'Good': 95 % of good events ({second})")
    assert [(c.field, c.before, c.after) for c in report.changes if c.field == "target"] == [
        ("target", None, 90.0), ("target", 90.0, 95.0)]
