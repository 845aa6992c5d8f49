"""The advisor appendix of a core session lists the extended questions still open (issue 16,
item 1); the client version and a full session's appendix have no such list."""

from __future__ import annotations

from asiakasarvo_engine.report.markdown import render_markdown
from asiakasarvo_engine.report.session_report import session_report
from asiakasarvo_engine.scoring.program import load_program
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.store import MemoryStore

CHANNELS = "business_model.bmc_channels"
RELATIONSHIPS = "business_model.bmc_customer_relationships"


def _interview(variant: str) -> Interview:
    return Interview.start(load_program(), MemoryStore(), advisor="Neuvoja", session_id=f"s-{variant}",
                           variant=variant)


def test_a_core_sessions_advisor_appendix_lists_the_open_extended_questions() -> None:
    interview = _interview("core")
    interview.go_to(CHANNELS)
    interview.answer(CHANNELS, "Verkkokauppa")
    report = session_report(interview, lang="fi", advisor_appendix=True)
    listed = {q for s in report.extended_open for q, _ in s.questions}
    text = render_markdown(report)
    assert "### Täydennettävät laajat kysymykset" in text
    program = interview.program
    channels = program.bank.items[CHANNELS].item.text["fi"]
    relationships = program.bank.items[RELATIONSHIPS].item.text["fi"]
    assert relationships in text and channels not in "".join(q for s in report.extended_open
                                                             for _, q in s.questions)
    assert listed  # numbered like the appendix
    english = render_markdown(session_report(interview, lang="en", advisor_appendix=True))
    assert "### Extended questions still open" in english
    client = session_report(interview, lang="fi")
    assert client.extended_open == [] and "Täydennettävät" not in render_markdown(client)


def test_a_full_session_lists_nothing() -> None:
    report = session_report(_interview("full"), lang="fi", advisor_appendix=True)
    assert report.extended_open == []
    assert "Täydennettävät laajat kysymykset" not in render_markdown(report)
