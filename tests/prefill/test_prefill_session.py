"""Writing a record into a session: author ``register``, the record's date, nothing overwritten."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from asiakasarvo_engine.bank.answers import AnswerStatus
from asiakasarvo_engine.prefill import prefill_session, read_record
from asiakasarvo_engine.prefill.mapping import MAPPED_ITEMS
from asiakasarvo_engine.prefill.record import parse_record
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.session.events import Answered
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.store import MemoryStore

DATA = Path(__file__).parent / "data"
ADVISOR = "Anna Neuvoja"


@cache
def program() -> ScoringProgram:
    return load_program()


def new_session() -> Interview:
    return Interview.start(program(), MemoryStore(), company="Kuvitteellinen asiakas", advisor=ADVISOR)


def test_a_record_prefills_a_new_session() -> None:
    interview = new_session()
    summary = prefill_session(interview, read_record(DATA / "oy_joensuu.json"))
    assert list(summary.written) == list(MAPPED_ITEMS) and summary.kept == () and summary.warnings == ()
    answers = interview.answers  # the advisor's interview was reloaded and sees the writes
    assert answers["basic_info.company_name"].value == "Kuvitteellinen Sahapaja Oy"
    assert answers["basic_info.municipality"].value == "joensuu"
    assert answers["basic_info.founding_year"].value == 2015
    assert {answers[item].author for item in MAPPED_ITEMS} == {"register"}
    notes = [answers[item].note or "" for item in MAPPED_ITEMS]
    assert all(note.startswith("PRH/YTJ 2026-02-20: /companies/0/") for note in notes)
    assert interview.author == ADVISOR
    logged = [e for e in interview.store.events(interview.session_id) if isinstance(e, Answered)]
    assert [e.item for e in logged] == list(MAPPED_ITEMS) and {e.author for e in logged} == {"register"}
    assert interview.result().calculated["basic_info.province"] == "pohjois_karjala"


def test_what_the_advisor_gave_is_never_overwritten() -> None:
    interview = new_session()
    assert interview.answer("basic_info.company_name", "Sahapaja (neuvojan kirjaama)").ok
    assert interview.answer("basic_info.municipality", status=AnswerStatus.DONT_KNOW).ok
    summary = prefill_session(interview, read_record(DATA / "oy_joensuu.json"))
    assert summary.kept == ("basic_info.company_name", "basic_info.municipality")
    assert "basic_info.company_name" not in summary.written
    answers = interview.answers
    assert answers["basic_info.company_name"].value == "Sahapaja (neuvojan kirjaama)"
    assert answers["basic_info.company_name"].author == ADVISOR
    assert answers["basic_info.municipality"].status is AnswerStatus.DONT_KNOW
    again = prefill_session(interview, read_record(DATA / "oy_joensuu.json"))
    assert again.written == {} and set(again.kept) == set(MAPPED_ITEMS)


def test_warnings_of_the_register_come_with_the_summary() -> None:
    interview = new_session()
    summary = prefill_session(interview, read_record(DATA / "ky_liquidation.json"))
    assert [w.code for w in summary.warnings] == ["REG-010"]
    assert summary.written["basic_info.company_form"] == "ky"
    outside = prefill_session(new_session(), read_record(DATA / "oy_tampere.json"))
    assert [w.code for w in outside.warnings] == ["REG-012", "REG-015", "REG-011"]
    assert "basic_info.municipality" not in outside.written


def test_an_association_with_integer_codes_is_prefilled() -> None:
    interview = new_session()
    summary = prefill_session(interview, read_record(DATA / "ry_heinavesi.json"))
    assert summary.written["basic_info.company_form"] == "yhdistys"
    assert summary.written["basic_info.municipality"] == "heinavesi"
    # No lastModified: the newest registration date stands for the record's date.
    assert (interview.answers["basic_info.business_id"].note or "").startswith("PRH/YTJ 1998-02-02")


def test_a_value_the_bank_refuses_is_a_warning_and_not_written() -> None:
    company = json.loads((DATA / "oy_joensuu.json").read_text(encoding="utf-8"))["companies"][0]
    company["registrationDate"] = "1700-01-01"
    company["mainBusinessLine"]["type"] = "A1"
    interview = new_session()
    summary = prefill_session(interview, parse_record(json.dumps(company), "old.json"))
    refused = [(w.code, w.expected) for w in summary.warnings]
    assert refused == [("REG-013", "basic_info.industry_code"), ("REG-013", "basic_info.founding_year")]
    assert "basic_info.founding_year" not in interview.answers
    assert "basic_info.industry_code" not in interview.answers


def test_an_interview_signed_by_register_writes_directly() -> None:
    interview = new_session()
    as_register = Interview.open(program(), interview.store, interview.session_id, author="register")
    summary = prefill_session(as_register, read_record(DATA / "oy_joensuu.json"))
    assert summary.written and as_register.answers["basic_info.website"].author == "register"


def test_a_record_of_another_company_is_refused_before_anything_is_written() -> None:
    import pytest

    from asiakasarvo_engine.errors import LoadError
    from asiakasarvo_engine.scoring.result import Company

    started = Interview.start(program(), MemoryStore(), advisor=ADVISOR,
                              company=Company(name="Toinen Oy", business_id="1122334-9"))
    with pytest.raises(LoadError) as exc:
        prefill_session(started, read_record(DATA / "oy_joensuu.json"))
    assert [(d.code, d.pointer) for d in exc.value.diagnostics] == [("REG-006", "/companies/0/businessId")]
    assert started.answers == {}
    answered = new_session()
    assert answered.answer("basic_info.business_id", "1122334-9").ok
    with pytest.raises(LoadError):
        prefill_session(answered, read_record(DATA / "oy_joensuu.json"))
    assert list(answered.answers) == ["basic_info.business_id"]
    same = Interview.start(program(), MemoryStore(), advisor=ADVISOR,
                           company=Company(name="Sahapaja", business_id="1234567-1"))
    assert prefill_session(same, read_record(DATA / "oy_joensuu.json")).written
