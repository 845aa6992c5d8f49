"""The "views differ" flag set in an interview: kept with the answer through the store,
export and import, undo and the log's replay, shown in the advisor's appendix, never scored."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest

from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.report import render_markdown
from asiakasarvo_engine.report.session_report import session_report
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.session.events import Answered, event_to_json
from asiakasarvo_engine.session.export import events_hash, export_json, import_session, read_export
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.state import fold
from asiakasarvo_engine.session.store import MemoryStore

RATING = "owner_strategy.owners_aligned"  # a Likert item
CHOICE = "owner_strategy.documented"  # a single choice item
WORDS = {"fi": "Näkemykset eroavat: omistajat", "en": "Views differ: the owners"}


@cache
def program() -> ScoringProgram:
    return load_program()


class Clock:
    """Event times a minute apart."""

    def __init__(self) -> None:
        self.at = datetime(2026, 10, 21, 9, 0, tzinfo=UTC)

    def __call__(self) -> str:
        self.at += timedelta(minutes=1)
        return self.at.isoformat(timespec="microseconds").replace("+00:00", "Z")


def flagged(store: MemoryStore | SQLiteStore, session_id: str = "s") -> Interview:
    interview = Interview.start(program(), store, advisor="Anna Neuvoja", clock=Clock(),
                                session_id=session_id)
    assert interview.answer(CHOICE, "discussed").ok
    assert interview.answer(RATING, 3, note="Kasvusta eri mieltä", views_differ=True).ok
    return interview


def test_the_flag_is_kept_through_a_sqlite_store_and_a_reopening(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite3")
    flagged(store)
    again = Interview.open(program(), SQLiteStore(tmp_path / "s.sqlite3"), "s")
    entry = again.answers[RATING]
    assert (entry.value, entry.views_differ, entry.note) == (3, True, "Kasvusta eri mieltä")
    assert again.answers[CHOICE].views_differ is False
    assert fold(again.events).answers[RATING].views_differ is True
    assert again.state.answers == fold(again.events).answers


def test_an_unflagged_answer_is_stored_as_before_the_flag() -> None:
    store = MemoryStore()
    interview = flagged(store)
    plain, marked = (e for e in interview.events if isinstance(e, Answered))
    assert "views_differ" not in json.loads(event_to_json(plain))
    assert json.loads(event_to_json(marked))["views_differ"] is True


def test_export_and_import_keep_the_flag_and_its_hash() -> None:
    store = MemoryStore()
    flagged(store)
    text = export_json(store, "s")
    document = json.loads(text)
    assert [e.get("views_differ") for e in document["events"] if e["type"] == "answered"] == [None, True]
    export = read_export(text, program=program())
    assert export.content_hash == events_hash(export.events)
    other = MemoryStore()
    import_session(other, text, program=program())
    assert Interview.open(program(), other, "s").answers[RATING].views_differ is True
    assert export_json(other, "s") == text


def test_an_import_of_the_flag_on_a_choice_item_is_refused_with_a_pointer() -> None:
    store = MemoryStore()
    flagged(store)
    document = json.loads(export_json(store, "s"))
    index = next(i for i, e in enumerate(document["events"]) if e.get("item") == CHOICE)
    document["events"][index]["views_differ"] = True
    with pytest.raises(LoadError) as caught:
        read_export(json.dumps(document, ensure_ascii=False), program=program(), accept_edited=True)
    assert [(d.code, d.pointer) for d in caught.value.diagnostics] == [
        ("ANS-009", f"/events/{index}/views_differ")]


def test_undo_takes_the_flag_back_to_the_answer_before() -> None:
    interview = flagged(MemoryStore())
    assert interview.answer(RATING, 3, views_differ=False).ok
    assert interview.answers[RATING].views_differ is False
    interview.undo()
    assert interview.answers[RATING].views_differ is True
    interview.undo()
    assert RATING not in interview.answers
    assert fold(interview.events).answers == interview.answers


def test_on_a_choice_item_the_flag_is_refused_as_in_an_answers_file() -> None:
    interview = flagged(MemoryStore())
    before = len(interview.events)
    outcome = interview.answer(CHOICE, "written", views_differ=True)
    assert not outcome.ok
    assert [(d.code, d.pointer) for d in outcome.problems] == [("ANS-009", f"/answers/{CHOICE}/views_differ")]
    assert "single_choice" in str(outcome.problems[0])
    assert len(interview.events) == before
    assert interview.answers[CHOICE].value == "discussed"


def test_the_flag_changes_no_score() -> None:
    interview = flagged(MemoryStore())
    with_flag = interview.result()
    assert interview.answer(RATING, 3).ok
    without = interview.result()
    assert with_flag.sections == without.sections
    assert with_flag.overall == without.overall


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_session_report_appendix_says_views_differ(lang: str) -> None:
    interview = flagged(MemoryStore())
    appendix = render_markdown(session_report(interview, lang=lang, advisor_appendix=True))
    client = render_markdown(session_report(interview, lang=lang))
    assert appendix.count(WORDS[lang]) == 1
    assert WORDS[lang] not in client
    assert "Kasvusta eri mieltä" in appendix
