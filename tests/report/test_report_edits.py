"""The advisor's edits of the written analysis in the report (issue 17 item 1, report side)."""

from __future__ import annotations

from typing import Any

import pytest
from report_fixtures import ROOT, example, shipped_program

from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.report import Report, build_report, render_markdown
from asiakasarvo_engine.report.build_recommendations import suggested_quarter
from asiakasarvo_engine.session.written import Edit, WrittenAnalysis, fold_edits

CHOSEN = ["write_down_owner_will", "key_account_contingency", "start_nps", "ai_rules"]
EDITS: dict[str, Any] = {
    "/chosen": [*CHOSEN, "form_owner_strategy"],
    "/summary/overall": "Yritys tuntee asiakkaansa, mutta tulevaisuus lepää yhden asiakkaan varassa.",
    "/summary/findings": ["Suurin asiakas tuo yli puolet liikevaihdosta.",
                          "Hallitus ei käsittele asiakkaita."],
    "/summary/proposals": ["Varautumissuunnitelma ennen budjettia."],
    "/summary/threats": ["Suurimman asiakkaan volyymien lasku"],
    "/summary/level": 2,
    "/summary/level_reason": "Riippuvuus yhdestä asiakkaasta painaa kokonaiskuvaa.",
    "/recommendations/write_down_owner_will/title": "Omistajien tahto paperille syyskuussa",
    "/recommendations/write_down_owner_will/owner": "board",
    "/recommendations/start_nps/horizon": "12-36",
    "/recommendations/start_nps/first_step": "Kysykää kymmeneltä asiakkaalta suositteluhalukkuus.",
    "/plan/v0/key_account_contingency/responsible_person": "Matti Lehtoranta",
    "/plan/v0/key_account_contingency/quarter": "2027-Q1",
    "/plan/v0/key_account_contingency/metrics/largest_customer_share/target": 40,
    "/plan/m2/key_account_contingency/metrics/largest_customer_share/target": 35,
    "/plan/m2/write_down_owner_will/goal": "Omistajastrategia on hyväksytty hallituksessa.",
    "/plan/m2/write_down_owner_will/deadline": "2027-03-31",
    "/recommendations/form_owner_strategy/text": "Ei nouse esiin näillä vastauksilla.",
}


def written(edits: dict[str, Any] = EDITS) -> WrittenAnalysis:
    return fold_edits(Edit(path, value, seq, "Pekka", "2026-10-21T12:00:00Z")
                      for seq, (path, value) in enumerate(edits.items(), start=1))


def edited_report(lang: str, *, advisor_appendix: bool = False) -> Report:
    loaded, scored = example("small_manufacturer")
    program = shipped_program()
    result = analyse(program, loaded.answers, company=scored.company, date=scored.date,
                     advisor=scored.advisor, plan_for=written().chosen)
    return build_report(result, loaded.answers, program, lang=lang, written=written(),
                        advisor_appendix=advisor_appendix)


def test_the_chosen_recommendations_are_the_body_in_the_advisors_order() -> None:
    report = edited_report("fi")
    assert [r.id for r in report.body_recommendations] == CHOSEN
    assert [r.id for r in report.key_recommendations] == CHOSEN
    assert all(r.key == (r.id in CHOSEN) for r in report.recommendations)
    more = [r.id for group in report.more_recommendations for r in group.items]
    assert sorted(more + CHOSEN) == sorted(r.id for r in report.recommendations)
    modules = [group.number for group in report.more_recommendations]
    numbered = [number for number in modules if number]  # the modules in order, then the
    assert modules == sorted(numbered) + [""] * (len(modules) - len(numbered))  # cross-cutting themes


def test_edited_texts_owner_and_horizon_reach_the_report() -> None:
    report = edited_report("fi")
    first = report.body_recommendations[0]
    assert first.title == "Omistajien tahto paperille syyskuussa"
    assert first.owner == "Hallitus" and first.owner_reason is None
    nps = next(r for r in report.body_recommendations if r.id == "start_nps")
    assert nps.horizon == "12–36 kk"
    assert nps.first_step == "Kysykää kymmeneltä asiakkaalta suositteluhalukkuus."
    assert f"**{nps.title}** | 12–36 kk | Toimitusjohtaja |" in render_markdown(report)
    markdown = render_markdown(report)
    assert "### 1. Omistajien tahto paperille syyskuussa" in markdown


def test_the_plan_follows_the_key_recommendations_and_the_latest_version() -> None:
    report = edited_report("fi")
    assert report.plan_version == "m2"
    plans = {entry.recommendation.id: entry for entry in report.plan}
    assert list(plans) == [r for r in CHOSEN if r in plans]
    contingency = plans["key_account_contingency"]
    assert contingency.responsible_person == "Matti Lehtoranta"
    assert contingency.quarter == "Q1/2027" and contingency.quarter_by_advisor
    share = next(m for m in contingency.metrics if "asiakkaan" in m.title.lower())
    assert share.target == "35" and share.history == "v0 40 → m2 35"
    assert all(not m.history for m in plans["write_down_owner_will"].metrics)
    owner_will = plans["write_down_owner_will"]
    assert owner_will.goal == "Omistajastrategia on hyväksytty hallituksessa."
    assert owner_will.deadline == "31.3.2027"
    assert owner_will.owner == "Hallitus"
    assert "Valmis viimeistään:** 31.3.2027" in render_markdown(report)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_advisors_summary_opens_the_memo(lang: str) -> None:
    report = edited_report(lang)
    assert report.summary.findings_by_advisor
    assert report.summary.findings == EDITS["/summary/findings"]
    assert report.overall.override is not None and report.overall.override.level.number == 2
    memo = render_markdown(report).split("\n---\n")[0]
    for text in (EDITS["/summary/overall"], *EDITS["/summary/findings"], *EDITS["/summary/proposals"],
                 *EDITS["/summary/threats"], EDITS["/summary/level_reason"]):
        assert text in memo


def test_findings_come_from_the_scores_when_the_advisor_wrote_none() -> None:
    loaded, result = example("small_manufacturer")
    report = build_report(result, loaded.answers, shipped_program(), lang="fi")
    assert not report.summary.findings_by_advisor
    weakest = min((s for s in report.sections if s.score_value is not None), key=lambda s: s.score_value or 0)
    assert len(report.summary.findings) == 3
    assert weakest.title in report.summary.findings[1]


def test_an_edit_of_a_recommendation_that_did_not_fire_is_a_warning() -> None:
    report = edited_report("fi")
    stale = [w for w in report.warnings if "form_owner_strategy" in w]
    assert len(stale) == 2, report.warnings  # /chosen and the text edit
    assert "Ei nouse esiin" not in render_markdown(report)


def test_the_advisor_appendix_is_off_by_default() -> None:
    client = render_markdown(edited_report("fi"))
    advisor = render_markdown(edited_report("fi", advisor_appendix=True))
    assert "Hallitusasiantuntijan liite" not in client and "Prioriteetti" not in client
    assert "## Hallitusasiantuntijan liite" in advisor
    report = edited_report("fi", advisor_appendix=True)
    for rec in report.recommendations:
        assert f"| {rec.rank} | {rec.title} | {rec.priority} |" in advisor


def test_edited_report_matches_golden_file() -> None:
    from test_report_golden import check_golden

    check_golden(render_markdown(edited_report("fi", advisor_appendix=True)),
                 ROOT / "tests" / "data" / "golden" / "small_manufacturer.edited.fi.md")


def test_every_goal_starts_in_a_quarter_suggested_from_its_horizon() -> None:
    report = edited_report("en")
    starts = {entry.recommendation.id: entry for entry in report.plan}
    assert starts["write_down_owner_will"].quarter == "Q4 2026"  # 0-3 months from 21.10.2026
    assert not starts["write_down_owner_will"].quarter_by_advisor
    assert starts["start_nps"].quarter == "Q4 2027"  # horizon edited to 12-36 months
    keys = [group.goals[0].quarter_key for group in report.plan_quarters]
    assert keys == sorted(keys)
    assert sum(len(group.goals) for group in report.plan_quarters) == len(report.plan)


@pytest.mark.parametrize(("analysis_date", "horizon", "quarter"), [
    ("2026-10-21", "0-3", "2026-Q4"), ("2026-10-21", "3-12", "2027-Q1"), ("2026-12-31", "12-36", "2027-Q4"),
    ("2027-03-01", "0-3", "2027-Q1"), (None, "0-3", None), ("not a date", "0-3", None)])
def test_suggested_quarter(analysis_date: str | None, horizon: str, quarter: str | None) -> None:
    assert suggested_quarter(analysis_date, horizon) == quarter


def test_plan_metrics_carry_their_definition_and_the_rules_suggested_target() -> None:
    loaded, scored = example("micro_family_firm")
    program = shipped_program()
    chosen = ["cash_flow_forecast"]
    result = analyse(program, loaded.answers, company=scored.company, date=scored.date, plan_for=chosen)
    edits = written({"/chosen": chosen, "/plan/v0/cash_flow_forecast/metrics/current_ratio/target": 1.5})
    report = build_report(result, loaded.answers, program, lang="fi", written=edits)
    metrics = {m.id: m for m in report.plan[0].metrics}
    rules = program.rules.rules.recommendations
    assert rules is not None
    quick = metrics["quick_ratio"]
    assert quick.target == "1" and quick.target_suggested
    assert metrics["current_ratio"].target == "1,5" and not metrics["current_ratio"].target_suggested
    assert quick.definition == rules.metrics["quick_ratio"].definition["fi"]  # type: ignore[index]
    assert quick.formula and quick.source and quick.frequency
    markdown = render_markdown(report)
    assert "| 1 (ehdotus) |" in markdown and "| 1,5 |" in markdown
    assert [m.id for m in report.plan_metrics] == list(metrics)
