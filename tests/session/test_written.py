"""The advisor's edits of the written analysis are events: checked, folded, undoable, exported."""

from __future__ import annotations

import contextlib
import json
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.scoring.result import Company
from asiakasarvo_engine.session.export import export_json, import_session, read_export
from asiakasarvo_engine.session.interview import Interview, InterviewError, SessionFinishedError
from asiakasarvo_engine.session.state import fold
from asiakasarvo_engine.session.store import MemoryStore
from asiakasarvo_engine.session.written import Edit, fold_edits

REC = "reduce_customer_dependency"
OTHER = "start_nps"


@cache
def program() -> ScoringProgram:
    return load_program()


def start(store: MemoryStore | None = None) -> Interview:
    return Interview.start(program(), store or MemoryStore(), company=Company(name="Testi Oy"),
                           advisor="Anna Neuvoja")


def test_edits_set_fields_and_a_reopened_session_has_them() -> None:
    store = MemoryStore()
    interview = start(store)
    interview.edit("/summary/overall", "Yritys tuntee asiakkaansa.")
    interview.edit("/summary/findings", ["Yksi", "Kaksi", "Kolme"])
    interview.edit("/chosen", [OTHER, REC])
    interview.edit(f"/recommendations/{REC}/title", "Hajauta asiakaskunta")
    interview.edit(f"/recommendations/{REC}/owner", "ceo")
    interview.edit(f"/plan/v0/{REC}/deadline", "2027-06-30")
    interview.edit(f"/plan/v0/{REC}/metrics/largest_customer_share/target", 25)

    again = Interview.open(program(), store, interview.session_id)
    written = again.written
    assert written.summary("overall") == "Yritys tuntee asiakkaansa."
    assert written.summary("findings") == ["Yksi", "Kaksi", "Kolme"]
    assert written.chosen == [OTHER, REC]
    assert written.recommendation(REC, "title") == "Hajauta asiakaskunta"
    assert written.recommendation(REC, "owner") == "ceo"
    plan = written.plan(REC)
    assert (plan.deadline, plan.metric_targets) == ("2027-06-30", {"largest_customer_share": 25.0})
    assert written.edits["/chosen"].author == "Anna Neuvoja"
    assert fold(again.events) == again.state == interview.state


@pytest.mark.parametrize(("path", "value", "field", "expected"), [
    ("/summary/mood", "x", "path", "overall"),
    ("/summery/overall", "x", "path", "/summary/<field>"),
    ("/summary/overall", "   ", "value", "1 to 5000 characters"),
    ("/summary/overall", 3, "value", "a text"),
    ("/summary/findings", "one finding", "value", "a list of 1 to 3 texts"),
    ("/summary/findings", ["1", "2", "3", "4"], "value", "a list of 1 to 3 texts"),
    ("/summary/proposals", ["1", "2", "3", "4"], "value", "a list of 1 to 3 texts"),
    ("/summary/strengths", [str(n) for n in range(11)], "value", "a list of 1 to 10 texts"),
    ("/summary/level", 6, "value", "from 1 to 5"),
    ("/summary/level", True, "value", "from 1 to 5"),
    ("/chosen", [REC, REC], "value", "distinct"),
    ("/chosen", [f"{REC}{n}" for n in range(11)], "value", "at most 10"),
    ("/chosen", ["no_such_rec"], "value", "recommendation id"),
    ("/recommendations/no_such_rec/title", "x", "path", "recommendation id"),
    (f"/recommendations/{REC}/owner", "cfo", "value", "owners, board, ceo, management_team"),
    (f"/recommendations/{REC}/horizon", "1-2", "value", "0-3, 3-12, 12-36"),
    (f"/plan/v9/{REC}/goal", "x", "path", "v0, m1"),
    (f"/plan/v0/{REC}/deadline", "2027-02-30", "value", "YYYY-MM-DD"),
    (f"/plan/v0/{REC}/quarter", "2027-Q5", "value", "YYYY-Qn"),
    (f"/plan/v0/{REC}/metrics/no_metric/target", 1, "path", "metric id"),
    (f"/plan/v0/{REC}/metrics/nps/target", float("nan"), "value", "finite number"),
    (f"/plan/v0/{REC}/metrics/nps/target", 10**400, "value", "finite number"),
])
def test_a_bad_edit_names_the_field_and_what_was_expected_and_writes_nothing(
        path: str, value: Any, field: str, expected: str) -> None:
    interview = start()
    seq = interview.events[-1].seq
    with pytest.raises(InterviewError) as caught:
        interview.edit(path, value)
    assert caught.value.code == "SES-010"
    assert caught.value.field == field
    assert expected in str(caught.value)
    assert interview.events[-1].seq == seq
    assert interview.written.edits == {}


def test_null_takes_a_field_back_and_undo_restores_the_earlier_text() -> None:
    interview = start()
    interview.edit(f"/recommendations/{REC}/text", "Ensimmäinen")
    interview.edit(f"/recommendations/{REC}/text", "Toinen")
    interview.undo()
    assert interview.written.recommendation(REC, "text") == "Ensimmäinen"
    interview.edit(f"/recommendations/{REC}/text", None)
    assert interview.written.recommendation(REC, "text") is None
    interview.undo()
    assert interview.written.recommendation(REC, "text") == "Ensimmäinen"
    assert fold(interview.events) == interview.state


def test_the_analysis_is_written_after_finishing_but_the_answers_stay_closed() -> None:
    interview = start()
    interview.answer("owner_strategy.documented", "written")
    interview.finish()
    interview.edit("/summary/overall", "Kirjoitettu kokouksen jälkeen.")
    assert interview.undo().target.type == "analysis_edited"
    assert interview.written.summary("overall") is None
    with pytest.raises(SessionFinishedError):
        interview.undo()  # the answer before the finish stays
    with pytest.raises(SessionFinishedError):
        interview.answer("owner_strategy.documented", "none")
    assert fold(interview.events) == interview.state


def test_plan_versions_inherit_what_they_do_not_change() -> None:
    interview = start()
    interview.edit(f"/plan/v0/{REC}/goal", "Suurin asiakas alle 30 %")
    interview.edit(f"/plan/v0/{REC}/responsible_person", "Matti")
    interview.edit(f"/plan/m2/{REC}/responsible_person", "Liisa")
    written = interview.written
    assert written.plan_versions == ["v0", "m2"]
    assert written.plan(REC, "v0").responsible_person == "Matti"
    latest = written.plan(REC)
    assert (latest.goal, latest.responsible_person) == ("Suurin asiakas alle 30 %", "Liisa")
    assert written.plan(REC, "m1").responsible_person == "Matti"


def test_stale_names_the_edits_of_recommendations_that_no_longer_fire() -> None:
    written = fold_edits([
        Edit("/summary/overall", "x", 2, "a", "t"),
        Edit(f"/recommendations/{REC}/title", "x", 3, "a", "t"),
        Edit(f"/plan/v0/{OTHER}/goal", "x", 4, "a", "t"),
        Edit("/chosen", [REC, OTHER], 5, "a", "t"),
    ])
    assert [e.path for e in written.stale([REC, OTHER])] == []
    assert [e.path for e in written.stale([REC])] == ["/chosen", f"/plan/v0/{OTHER}/goal"]


def test_edits_travel_in_the_export_and_a_bad_one_is_refused_at_its_pointer() -> None:
    store = MemoryStore()
    interview = start(store)
    interview.edit("/summary/proposals", ["Perustakaa hallitus"])
    text = export_json(store, interview.session_id)
    copy = MemoryStore()
    new_id = import_session(copy, text, program=program())
    assert Interview.open(program(), copy, new_id).written.summary("proposals") == ["Perustakaa hallitus"]

    data = json.loads(text)
    index = next(i for i, e in enumerate(data["events"]) if e["type"] == "analysis_edited")
    data["events"][index]["path"] = "/summary/moood"
    with pytest.raises(LoadError) as caught:
        read_export(json.dumps(data), program=program(), accept_edited=True)
    assert caught.value.diagnostics[0].pointer == f"/events/{index}/path"


_PATHS = ["/summary/overall", f"/recommendations/{REC}/title", f"/plan/v0/{REC}/goal", f"/plan/m1/{REC}/goal"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.tuples(st.sampled_from(_PATHS), st.sampled_from(["a", "b", None])),
                          st.just(("undo", None))), max_size=12))
def test_the_interview_state_is_the_fold_of_its_log(steps: list[tuple[str, str | None]]) -> None:
    interview = start()
    for path, value in steps:
        if path == "undo":
            with contextlib.suppress(InterviewError):
                interview.undo()
        else:
            interview.edit(path, value)
    assert fold(interview.events) == interview.state
    reopened = Interview.open(program(), interview.store, interview.session_id)
    assert reopened.written == interview.written
