"""The report model: advisor overrides, sparse answers, notes and labels instead of codes."""

from __future__ import annotations

import io

import docx
import pytest
from html_outline import outline
from report_fixtures import chapters, example, example_report, shipped_program

from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.report import (
    OVERALL,
    LevelOverride,
    Report,
    build_report,
    render_docx,
    render_html,
    render_markdown,
)


def _with_overrides(overrides: dict[str, LevelOverride], lang: str = "fi") -> Report:
    loaded, result = example("small_manufacturer")
    return build_report(result, loaded.answers, shipped_program(), lang=lang, overrides=overrides)


def test_advisor_override_replaces_the_level_and_keeps_the_computed_one() -> None:
    report = _with_overrides({"owner_strategy": LevelOverride(5, "Omistajat ovat sopineet kaikesta.", "PR"),
                              OVERALL: LevelOverride(4, "Kokonaisuus on vahvempi.")})
    section = next(s for s in report.sections if s.id == "owner_strategy")
    assert section.level is not None
    assert section.level.number == 5
    assert section.override is not None
    assert section.override.computed is not None
    assert section.override.computed.number != 5
    assert report.overall.level is not None
    assert report.overall.level.number == 4
    text = render_markdown(report)
    assert "**Hallitusasiantuntijan arvio tasosta:** 5 Edelläkävijä (laskettu taso" in text
    assert "Omistajat ovat sopineet kaikesta. (PR)" in text
    assert "(hallitusasiantuntijan arvio)" in text


def test_the_chart_table_gives_points_to_the_next_level_only_where_the_score_decides() -> None:
    report = _with_overrides({"owner_strategy": LevelOverride(5, "Omistajat ovat sopineet kaikesta.")})
    bars = report.chart("bars")
    assert bars is not None
    points = {p.title: p for p in bars.points}
    judged = points[next(s.title for s in report.sections if s.id == "owner_strategy")]
    assert judged.level == "5 Edelläkävijä (hallitusasiantuntijan arvio)" and judged.to_next == "–"
    scored = points[next(s.title for s in report.sections if s.id == "business_model")]
    assert not scored.level.endswith(")") and scored.to_next != "–"

    loaded, _ = example("small_manufacturer")
    answers = dict(loaded.answers)  # no agreed owner strategy caps the section at level 2
    answers["owner_strategy.documented"] = AnswerEntry(value="tacit")
    result = analyse(shipped_program(), answers)
    section = result.sections["owner_strategy"]
    assert section.level is not None and section.level.level == 2 and any(g.applied for g in section.gates)
    gated = build_report(result, answers, shipped_program(), lang="en")
    bars = gated.chart("bars")
    assert bars is not None
    title = next(s.title for s in gated.sections if s.id == "owner_strategy")
    capped = next(p for p in bars.points if p.title == title)
    assert capped.level.endswith("(capped)") and capped.to_next == "–"


def test_override_of_an_unknown_section_or_level_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown section 'no_such_section'"):
        _with_overrides({"no_such_section": LevelOverride(3, "x")})
    with pytest.raises(ValueError, match="unknown level 9"):
        _with_overrides({"management": LevelOverride(9, "x")})


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_nearly_empty_analysis_still_gives_a_whole_report(lang: str) -> None:
    program = shipped_program()
    answers = {"basic_info.company_name": AnswerEntry(value="Tyhjä Oy"),
               "owner_strategy.documented": AnswerEntry(status=AnswerStatus.DONT_KNOW, note="Ei tiedetä.")}
    result = analyse(program, answers)
    report = build_report(result, answers, program, lang=lang)
    assert report.charts == []
    assert report.finance is None or report.finance.fiscal_year is None
    assert all(s.status != "scored" for s in report.sections)
    markdown = render_markdown(report)
    assert "chart:" not in markdown
    assert outline(render_html(report)).texts("h2") == chapters(report)
    document = docx.Document(io.BytesIO(render_docx(report)))
    assert [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"] \
        == chapters(report)
    assert ("En osaa sanoa" if lang == "fi" else "Don't know") not in markdown, "all answers: advisor only"
    markdown = render_markdown(build_report(result, answers, program, lang=lang, advisor_appendix=True))
    assert ("En osaa sanoa" if lang == "fi" else "Don't know") in markdown
    assert "Ei tiedetä." in markdown


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_appendix_uses_labels_not_codes(lang: str) -> None:
    report = example_report("small_manufacturer", lang)
    items = {item.number: item for section in report.appendix for item in section.items}
    form = items["1.3"]
    assert form.answer.text == ("Osakeyhtiö (Oy)" if lang == "fi" else "Limited company (Oy)")
    owners = items["1.14"].answer.table
    assert owners is not None
    assert owners.rows[0][0] == "Timo Lehtoranta"
    assert "board_chair" not in " ".join(owners.rows[0])
    years = items["7.1"].answer.table
    assert years is not None
    assert years.headers[1:] == ["2025", "2024", "2023"]
    assert years.rows[0][1] == ("6\u00a0820\u00a0000\u00a0€" if lang == "fi" else "EUR\u00a06,820,000")
    skipped = next(i for i in items.values() if i.status in {"Ohitettu", "Skipped"})
    assert skipped.note


def test_every_section_has_the_advisors_texts_and_key_answers() -> None:
    report = example_report("small_manufacturer", "fi")
    scored = [s for s in report.sections if s.status == "scored"]
    assert len(scored) == 8
    for section in scored:
        assert section.strengths
        assert section.gaps
        assert 1 <= len(section.key_answers) <= 6
        scores = [float(a.score) for a in section.key_answers]
        assert scores == sorted(scores, reverse=True)
    notes = [n for s in report.sections for n in s.notes]
    assert any("Timo (61 v.)" in n.text for n in notes)


def test_recommendations_carry_priority_horizon_owner_and_module() -> None:
    report = example_report("small_manufacturer", "en")
    assert report.recommendations
    for rec in report.recommendations:
        assert rec.horizon.endswith("months")
        assert rec.owner in {"Owners", "Board", "CEO", "Management team"}
        assert rec.module.startswith(("Module ", "Cross-cutting theme: "))
    assert [r.rank for r in report.recommendations] == list(range(1, len(report.recommendations) + 1))
    assert {p.recommendation.id for p in report.plan} <= {r.id for r in report.recommendations}
    assert report.de_minimis is not None
    assert report.de_minimis.aid_received == "EUR\u00a023,400"


@pytest.mark.parametrize(("lang", "word"), [("fi", "Varoitusmerkki"), ("en", "Warning sign")])
def test_a_warning_sign_is_marked(lang: str, word: str) -> None:
    loaded, result = example("small_manufacturer")
    assert result.recommendations is not None
    first, *rest = result.recommendations.items
    alerted = result.recommendations.model_copy(update={"items": [first.model_copy(update={"alert": True}),
                                                                   *rest]})
    report = build_report(result.model_copy(update={"recommendations": alerted}), loaded.answers,
                          shipped_program(), lang=lang)
    assert report.recommendations[0].alert
    text = render_markdown(report)
    assert f"1. *{word}:* **{report.recommendations[0].title}**" in text
    assert text.count(f"*{word}") == 2
