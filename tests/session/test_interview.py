"""The interview API on the default bank and rules: answers, changes, undo, notes, moving,
agenda, overrides, finish and reopen, conflicts between writers, resume."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest

from asiakasarvo_engine.bank.answers import AnswerStatus
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.errors import ConflictError
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.scoring.engine import evaluate
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.scoring.result import Company, Pin
from asiakasarvo_engine.session.events import Answered, SectionEntered, SectionLeft, Started
from asiakasarvo_engine.session.interview import (
    Interview,
    InterviewError,
    NothingToUndoError,
    PinMismatchError,
    SessionFinishedError,
    UnknownTargetError,
    utc_now,
)
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.state import fold
from asiakasarvo_engine.session.store import MemoryStore, Store

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED = "owner_strategy.documented"
REVIEW = "owner_strategy.review_practice"
"""Visible only when the owner strategy is at least discussed; scored."""
WILL = "owner_strategy.customer_value_in_will"


@cache
def program() -> ScoringProgram:
    return load_program()


class FakeClock:
    """Event times under the test's control."""

    def __init__(self) -> None:
        self.at = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)

    def __call__(self) -> str:
        return self.at.isoformat(timespec="microseconds").replace("+00:00", "Z")

    def advance(self, minutes: float) -> None:
        self.at += timedelta(minutes=minutes)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    sqlite = SQLiteStore(tmp_path / "sessions.sqlite3")
    yield sqlite
    sqlite.close()


def start(store: Store, clock: FakeClock | None = None) -> Interview:
    return Interview.start(program(), store, company=Company(name="Testi Oy", business_id="1234567-1"),
                           advisor="Anna Neuvoja", clock=clock)


# ------------------------------------------------------------------------- starting


def test_start_pins_bank_and_rules_and_writes_started(store: Store) -> None:
    interview = start(store)
    [started] = store.events(interview.session_id)
    assert isinstance(started, Started)
    assert started.bank == program().parts.bank
    assert started.rules == program().parts.rules
    assert started.bank.hash.startswith("sha256:")
    assert started.company.name == "Testi Oy"
    assert started.advisor == started.author == "Anna Neuvoja"
    assert len(interview.session_id) == 32
    int(interview.session_id, 16)
    assert interview.position.section is None
    assert interview.progress().answered == 0


def test_open_refuses_a_session_pinned_to_another_bank() -> None:
    store = MemoryStore()
    parts = program().parts
    other = Pin(id=parts.bank.id, version=parts.bank.version, hash="sha256:" + "1" * 64)
    store.create("s1", Started(seq=1, time=utc_now(), author="A", advisor="A", company=Company(),
                               bank=other, rules=parts.rules))
    with pytest.raises(PinMismatchError) as caught:
        Interview.open(program(), store, "s1")
    assert caught.value.code == "SES-014"
    assert "sha256:" + "1" * 64 in str(caught.value)
    other_rules = Pin(id=parts.rules.id, version="9.9.9", hash=parts.rules.hash)
    store.create("s2", Started(seq=1, time=utc_now(), author="A", advisor="A", company=Company(),
                               bank=parts.bank, rules=other_rules))
    with pytest.raises(PinMismatchError, match="rules"):
        Interview.open(program(), store, "s2")


def test_a_clock_that_does_not_give_iso_times_is_refused() -> None:
    with pytest.raises(InterviewError, match="ISO 8601"):
        Interview.start(program(), MemoryStore(), advisor="Anna", clock=lambda: "yesterday")


def test_utc_now_has_the_event_format() -> None:
    stamp = utc_now()
    assert stamp.endswith("Z") and len(stamp) == len("2026-03-14T09:00:00.000000Z")
    parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert abs((parsed - datetime.now(UTC)).total_seconds()) < 5


# ------------------------------------------------------------------------- answering


@pytest.mark.parametrize(("item", "value", "status", "code"), [
    ("owner_strategy.documentd", "written", "answered", "ANS-001"),
    (DOCUMENTED, 3, "answered", "ANS-002"),
    (DOCUMENTED, "in_my_head", "answered", "ANS-003"),
    ("basic_info.board_members", 99, "answered", "ANS-004"),
    ("basic_info.business_id", "1234567-2", "answered", "ANS-005"),
    (DOCUMENTED, "written", "maybe", "ANS-007"),
    (DOCUMENTED, None, "answered", "ANS-002"),
    ("basic_info.social_media", ["facebook", "myspace"], "answered", "ANS-003"),
])
def test_a_refused_answer_stores_nothing(store: Store, item: str, value: object, status: str, code: str,
                                         ) -> None:
    interview = start(store)
    interview.answer(WILL, 4)
    before = store.events(interview.session_id)
    state_before = interview.state
    outcome = interview.answer(item, value, status=status)
    assert not outcome.ok
    assert outcome.problems[0].code == code
    assert outcome.changes is None and outcome.seq is None
    assert store.events(interview.session_id) == before
    assert interview.state == state_before


def test_the_interview_refuses_what_the_answers_loader_refuses(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text('schema_version: "1.0"\nkind: answers\nbank: {id: asiakasarvo}\nanswers:\n'
                    "  owner_strategy.documented: in_my_head\n  basic_info.board_members: 99\n"
                    "  owner_strategy.review_practice: 7\n", encoding="utf-8")
    from asiakasarvo_engine.bank.answers_load import check_answers

    _, diagnostics = check_answers(path, program().bank)
    interview = start(MemoryStore())
    found = []
    for item, value in (("owner_strategy.documented", "in_my_head"), ("basic_info.board_members", 99),
                        ("owner_strategy.review_practice", 7)):
        found += [(p.code, p.pointer, p.expected, p.found) for p in interview.answer(item, value).problems]
    assert sorted(found) == sorted((d.code, d.pointer, d.expected, d.found) for d in diagnostics
                                   if d.code != "ANS-008")


def test_a_note_that_is_too_long_is_refused() -> None:
    interview = start(MemoryStore())
    outcome = interview.answer(WILL, 4, note="x" * 20001)
    assert [p.code for p in outcome.problems] == ["ANS-002"]
    assert interview.answers == {}


def test_an_answer_reports_what_became_visible_and_the_live_section_score(store: Store) -> None:
    interview = start(store)
    assert REVIEW in interview.live.hidden
    outcome = interview.answer(DOCUMENTED, "written", note="Kirjattu hallituksen kokouksessa 2025.")
    assert outcome.ok and outcome.seq == 2
    changes = outcome.changes
    assert changes is not None
    assert REVIEW in changes.shown
    assert changes.hidden == ()
    section = changes.sections["owner_strategy"]
    assert section.answered == 1
    assert changes.progress.visible == interview.live.visible_count()
    assert changes.progress.answered == 1
    event = store.events(interview.session_id)[-1]
    assert isinstance(event, Answered)
    assert (event.item, event.value, event.note, event.author) == (
        DOCUMENTED, "written", "Kirjattu hallituksen kokouksessa 2025.", "Anna Neuvoja")
    assert interview.answers[DOCUMENTED].note == "Kirjattu hallituksen kokouksessa 2025."


def test_a_hidden_answer_stays_but_does_not_count_and_comes_back(store: Store) -> None:
    interview = start(store)
    interview.answer(DOCUMENTED, "written")
    interview.answer(REVIEW, 5)
    counted = interview.live.scores["owner_strategy"]
    assert counted.answered == 2

    hiding = interview.answer(DOCUMENTED, "tacit").changes
    assert hiding is not None and hiding.hidden == (REVIEW,)
    assert interview.answers[REVIEW].value == 5  # kept in the state and the log
    assert interview.live.scores["owner_strategy"].answered == 1
    assert "review_practice" not in interview.live.data["owner_strategy"]

    showing = interview.answer(DOCUMENTED, "written").changes
    assert showing is not None and showing.shown == (REVIEW,)
    assert interview.live.scores["owner_strategy"] == counted
    assert interview.live.data["owner_strategy"]["review_practice"] == 5


def test_answering_a_hidden_item_is_kept_with_a_warning() -> None:
    interview = start(MemoryStore())
    outcome = interview.answer(REVIEW, 3)
    assert outcome.ok
    assert [w.code for w in outcome.warnings] == ["ANS-008"]
    assert interview.answers[REVIEW].value == 3
    assert interview.live.scores["owner_strategy"].answered == 0


def test_dont_know_and_not_applicable_count_as_dealt_with_but_score_nothing() -> None:
    interview = start(MemoryStore())
    expected = interview.live.scores["owner_strategy"].expected  # unanswered items count as missing
    outcome = interview.answer(WILL, status=AnswerStatus.DONT_KNOW)
    assert outcome.ok and outcome.changes is not None
    assert outcome.changes.progress.answered == 1
    assert interview.answers[WILL].status is AnswerStatus.DONT_KNOW
    assert interview.live.scores["owner_strategy"].answered == 0
    assert interview.live.scores["owner_strategy"].expected == expected
    interview.answer(WILL, status="not_applicable")
    assert interview.live.scores["owner_strategy"].expected == expected - 1
    assert interview.progress().answered == 1


def test_required_items_and_progress() -> None:
    interview = start(MemoryStore())
    before = interview.progress()
    assert before.required_left == before.required > 0
    assert "basic_info.company_form" in interview.live.open_required
    outcome = interview.answer("basic_info.company_form", "oy")
    assert outcome.changes is not None
    assert outcome.changes.progress.required_left == before.required_left - 1
    assert "basic_info.company_form" not in interview.live.open_required


def test_clear_removes_an_answer_and_clearing_nothing_writes_nothing(store: Store) -> None:
    interview = start(store)
    interview.answer(DOCUMENTED, "written")
    outcome = interview.clear(DOCUMENTED)
    assert outcome.ok and outcome.seq == 3
    assert outcome.changes is not None and outcome.changes.hidden == (REVIEW,)
    assert DOCUMENTED not in interview.answers
    again = interview.clear(DOCUMENTED)
    assert again.ok and again.seq is None
    assert len(store.events(interview.session_id)) == 3
    assert [p.code for p in interview.clear("owner_strategy.nothing").problems] == ["ANS-001"]


# ------------------------------------------------------------------------- undo and notes


def test_undo_takes_back_answers_notes_and_overrides_in_turn(store: Store) -> None:
    interview = start(store)
    interview.answer(DOCUMENTED, "written")
    interview.answer(DOCUMENTED, "tacit")
    note = interview.note("Omistajat eivät ole samaa mieltä.", target="owner_strategy")
    interview.override("owner_strategy", 2, "Omistajat eivät ole sopineet strategiasta.")

    undone = interview.undo()
    assert undone.target.type == "overridden"
    assert interview.overrides == {}
    undone = interview.undo()
    assert undone.target.seq == note.seq
    assert interview.notes == []
    undone = interview.undo()
    assert undone.changes is not None and undone.changes.shown == (REVIEW,)
    assert interview.answers[DOCUMENTED].value == "written"
    undone = interview.undo()
    assert undone.changes is not None and undone.changes.hidden == (REVIEW,)
    assert interview.answers == {}
    with pytest.raises(NothingToUndoError):
        interview.undo()
    # The log keeps everything; the fold agrees with the interview.
    assert len(store.events(interview.session_id)) == 9
    assert fold(store.events(interview.session_id)) == interview.state


def test_undo_of_a_clearing_brings_the_answer_back() -> None:
    interview = start(MemoryStore())
    interview.answer(WILL, 4)
    interview.clear(WILL)
    interview.undo()
    assert interview.answers[WILL].value == 4
    assert interview.live.scores["owner_strategy"].answered == 1


def test_undo_of_an_override_restores_the_earlier_override() -> None:
    interview = start(MemoryStore())
    interview.override("management", 3, "Hallitus kokoontuu säännöllisesti.")
    interview.override("management", 4, "Myös asiakasasiat ovat asialistalla.")
    interview.undo()
    assert interview.overrides["management"].level == 3


def test_notes_on_items_sections_and_the_session() -> None:
    interview = start(MemoryStore())
    interview.note("Yleinen huomio.")
    interview.note("Osion huomio.", target="management")
    interview.note("Kysymyksen huomio.", target=DOCUMENTED)
    assert [(n.target, n.text) for n in interview.notes] == [
        (None, "Yleinen huomio."), ("management", "Osion huomio."), (DOCUMENTED, "Kysymyksen huomio.")]
    with pytest.raises(UnknownTargetError, match="did you mean"):
        interview.note("x", target="managment")
    with pytest.raises(InterviewError):
        interview.note("   ")


# ------------------------------------------------------------------------- moving


def _section_events(store: Store, session_id: str) -> list[tuple[str, str]]:
    return [(e.type, e.section) for e in store.events(session_id)
            if isinstance(e, SectionEntered | SectionLeft)]


def test_next_and_back_follow_the_visible_items_across_sections(store: Store) -> None:
    interview = start(store)
    items = list(program().bank.items)
    first = interview.next()
    assert (first.section, first.item) == ("basic_info", items[0])
    assert _section_events(store, interview.session_id) == [("section_entered", "basic_info")]
    # Walk to the end of basic_info; hidden items are skipped.
    seen = [first.item]
    while True:
        position = interview.next()
        if position.section != "basic_info":
            break
        seen.append(position.item)
    basic = [n for n in items if n.startswith("basic_info.") and n not in interview.live.hidden]
    assert seen == basic
    assert (position.section, position.item) == ("owner_strategy", DOCUMENTED)
    assert REVIEW in interview.live.hidden
    assert interview.next().item == "owner_strategy.owners_aligned"  # the hidden review is skipped
    assert _section_events(store, interview.session_id) == [
        ("section_entered", "basic_info"), ("section_left", "basic_info"),
        ("section_entered", "owner_strategy")]
    interview.go_to(DOCUMENTED)
    back = interview.back()
    assert back.section == "basic_info" and back.item == basic[-1]
    assert _section_events(store, interview.session_id)[-2:] == [
        ("section_left", "owner_strategy"), ("section_entered", "basic_info")]


def test_next_shows_an_item_that_an_answer_made_visible() -> None:
    interview = start(MemoryStore())
    interview.go_to(DOCUMENTED)
    interview.answer(DOCUMENTED, "discussed")
    assert interview.next().item == REVIEW


def test_go_to_sections_and_items(store: Store) -> None:
    interview = start(store)
    position = interview.go_to("management")
    assert position.section == "management" and position.item is not None
    assert position.item.startswith("management.")
    last = [n for n in program().bank.items if n.startswith("management.")][-1]
    assert interview.go_to(last) == interview.position
    assert (interview.position.section, interview.position.item) == ("management", last)
    assert _section_events(store, interview.session_id) == [("section_entered", "management")]
    hidden = interview.go_to(REVIEW)
    assert hidden.item == REVIEW and not hidden.visible
    with pytest.raises(UnknownTargetError) as caught:
        interview.go_to("managemnt")
    assert caught.value.code == "SES-012"


def test_back_at_the_first_item_stays_and_next_past_the_last_ends() -> None:
    interview = start(MemoryStore())
    first = interview.next()
    assert interview.back() == first
    last = [n for n in program().bank.items if n not in interview.live.hidden][-1]
    interview.go_to(last)
    end = interview.next()
    assert end.item is None and end.section == last.split(".")[0]
    assert interview.back().item == last


# ------------------------------------------------------------------------- agenda


def test_a_pause_stops_the_clock_and_the_session_resumes_where_it_stopped(store: Store) -> None:
    clock = FakeClock()
    interview = start(store, clock)
    interview.go_to("owner_strategy")
    assert interview.answer(DOCUMENTED, "written").ok
    interview.next()
    clock.advance(10)
    where = interview.position.item
    interview.pause()
    interview.pause()  # a second pause writes nothing
    clock.advance(60)  # lunch
    spent = {line.section: line.spent_minutes for line in interview.agenda().lines}
    assert spent["owner_strategy"] == pytest.approx(10)
    assert [e.type for e in store.events(interview.session_id)][-1] == "section_left"
    again = Interview.open(program(), store, interview.session_id, clock=clock)
    assert again.position.item == where and again.position.section is None
    again.go_to(where)  # the next move enters the section again
    clock.advance(5)
    spent = {line.section: line.spent_minutes for line in again.agenda().lines}
    assert spent["owner_strategy"] == pytest.approx(15)


def test_a_pause_remembers_the_question_even_past_open_ones(store: Store) -> None:
    interview = start(store)
    interview.go_to("owner_strategy")
    items = [n for n in program().bank.items
             if n.startswith("owner_strategy.") and n not in interview.live.hidden]
    interview.go_to(items[3])  # three open questions before it were passed over
    interview.pause()
    [left] = [e for e in store.events(interview.session_id) if e.type == "section_left"]
    assert left.item == items[3]  # type: ignore[union-attr]
    assert Interview.open(program(), store, interview.session_id).position.item == items[3]
    # Without a pause (a crash) the session resumes at the section's first open question.
    again = Interview.open(program(), store, interview.session_id)
    again.go_to(items[5])
    assert Interview.open(program(), store, interview.session_id).position.item == items[0]


def test_agenda_warns_when_a_section_runs_over() -> None:
    clock = FakeClock()
    interview = start(MemoryStore(), clock)
    interview.go_to("owner_strategy")  # 30 minutes planned
    clock.advance(20)
    agenda = interview.agenda()
    line = next(line for line in agenda.lines if line.section == "owner_strategy")
    assert line.planned_minutes == 30 and line.spent_minutes == pytest.approx(20) and line.current
    assert agenda.warnings == ()
    clock.advance(11)
    agenda = interview.agenda()
    [warning] = agenda.warnings
    assert warning.section == "owner_strategy" and warning.spent_minutes == pytest.approx(31)
    assert "31" in warning.message and "30" in warning.message
    interview.go_to("business_model")
    clock.advance(5)
    agenda = interview.agenda()
    assert [w.section for w in agenda.warnings] == ["owner_strategy"]
    spent = {line.section: line.spent_minutes for line in agenda.lines}
    assert spent["owner_strategy"] == pytest.approx(31) and spent["business_model"] == pytest.approx(5)
    assert agenda.planned_minutes == sum(s.agenda_minutes for s in program().bank.loaded.bank.bodies())
    # The time comes from the events: a resumed interview sees the same.
    again = Interview.open(program(), interview.store, interview.session_id, clock=clock)
    assert again.agenda() == agenda


def test_agenda_messages_follow_the_session_language() -> None:
    clock = FakeClock()
    interview = Interview.start(program(), MemoryStore(), advisor="Anna", lang="en", clock=clock)
    interview.go_to("financial_position")
    clock.advance(45)
    [warning] = interview.agenda().warnings
    assert warning.message.startswith("Section ")


# ------------------------------------------------------------------------- overview, override, finish


def test_overview_shows_every_section_live() -> None:
    interview = start(MemoryStore())
    interview.answer(DOCUMENTED, "written")
    overview = interview.overview()
    assert [s.section for s in overview.sections] == [b.id for b in program().bank.loaded.bank.bodies()]
    basic = overview.sections[0]
    assert not basic.scored and basic.view is None
    owner = next(s for s in overview.sections if s.section == "owner_strategy")
    assert owner.scored and owner.answered == 1 and owner.view is not None
    assert owner.view.answered == 1
    assert overview.progress == interview.progress()


def test_override_validation() -> None:
    interview = start(MemoryStore())
    with pytest.raises(UnknownTargetError):
        interview.override("basic_info", 3, "Kuvaileva osio.")
    with pytest.raises(InterviewError):
        interview.override("management", 6, "Liian korkea.")
    with pytest.raises(InterviewError):
        interview.override("management", 3, " ")
    comparison = interview.override("management", 3, "Hallitus toimii hyvin.")
    assert (comparison.override, comparison.final) == (3, 3)
    assert interview.section_view("management").override == 3
    removed = interview.override("management", None, "Arvio peruttu.")
    assert removed.override is None and interview.overrides == {}


def test_finish_returns_the_result_with_overrides_and_reopen_allows_changes(store: Store) -> None:
    interview = start(store)
    example = load_answers(ROOT / "examples" / "micro_family_firm.answers.yaml", program().bank)
    interview.go_to("basic_info")
    for name, entry in example.answers.items():
        outcome = interview.answer(name, entry.value, status=entry.status, note=entry.note)
        assert outcome.ok, outcome.problems
    interview.override("management", 1, "Hallitus ei ole vielä aloittanut työtään.")
    finish = interview.finish()
    expected = analyse(program(), example.answers)
    assert finish.result.sections == expected.sections
    assert finish.result.overall == expected.overall
    assert finish.result.recommendations == expected.recommendations
    assert finish.result.company.name == "Testi Oy"
    management = finish.levels["management"]
    assert management.computed == expected.sections["management"].level.level  # type: ignore[union-attr]
    assert (management.override, management.final) == (1, 1)
    assert management.justification == "Hallitus ei ole vielä aloittanut työtään."
    assert finish.levels["owner_strategy"].override is None
    assert interview.finished and interview.position.section is None
    assert [e.type for e in store.events(interview.session_id)[-2:]] == ["section_left", "finished"]
    # The live scores agree with the Result.
    for section_id, live in interview.live.sections.items():
        assert live.score == expected.sections[section_id].score

    with pytest.raises(SessionFinishedError) as caught:
        interview.answer(WILL, 1)
    assert caught.value.code == "SES-011"
    with pytest.raises(SessionFinishedError):
        interview.finish()
    with pytest.raises(SessionFinishedError):
        interview.next()
    interview.reopen()
    assert not interview.finished
    assert interview.answer(WILL, 1).ok
    with pytest.raises(InterviewError):
        interview.reopen()
    assert not fold(store.events(interview.session_id)).finished


# ------------------------------------------------------------------------- writers and resume


def test_a_second_writer_gets_a_conflict_reloads_and_retries_without_losing_anything(store: Store) -> None:
    first = start(store)
    second = Interview.open(program(), store, first.session_id, author="Ville Varmuus")
    assert first.answer(DOCUMENTED, "written").ok

    with pytest.raises(ConflictError) as caught:
        second.answer(WILL, 4)
    assert caught.value.code == "SES-002"
    # The loser reloaded: it sees the winner's answer and its consequences, and not its own.
    assert second.answers[DOCUMENTED].value == "written"
    assert REVIEW not in second.live.hidden
    assert WILL not in second.answers

    retry = second.answer(WILL, 4)
    assert retry.ok and retry.seq == 3
    with pytest.raises(ConflictError):
        first.note("Toinen kirjoittaja ehti ensin.")
    assert first.answers[WILL].value == 4
    first.note("Toinen kirjoittaja ehti ensin.")

    log = store.events(first.session_id)
    answers = {(e.item, e.author) for e in log if isinstance(e, Answered)}
    assert answers == {(DOCUMENTED, "Anna Neuvoja"), (WILL, "Ville Varmuus")}
    assert fold(log) == first.state
    second.reload()
    assert second.state == first.state


def test_the_position_survives_a_conflict_in_the_same_section() -> None:
    store = MemoryStore()
    first = start(store)
    second = Interview.open(program(), store, first.session_id)
    second.go_to(WILL)
    first.reload()
    first.answer(DOCUMENTED, "written")
    with pytest.raises(ConflictError):
        second.answer(WILL, 4)
    assert (second.position.section, second.position.item) == ("owner_strategy", WILL)


def test_a_conflict_while_moving_reloads_too() -> None:
    store = MemoryStore()
    first = start(store)
    second = Interview.open(program(), store, first.session_id)
    first.go_to("management")
    with pytest.raises(ConflictError):
        second.go_to("business_model")
    assert second.position.section == "management"
    assert second.go_to("business_model").section == "business_model"


def test_resume_gives_the_same_state(store: Store) -> None:
    clock = FakeClock()
    interview = start(store, clock)
    interview.go_to("owner_strategy")
    interview.answer(DOCUMENTED, "written")
    interview.answer(REVIEW, 4, note="Katselmointi kerran vuodessa.")
    interview.answer("basic_info.board_members", 3)
    interview.answer(WILL, status="dont_know")
    interview.clear("basic_info.board_members")
    interview.note("Palataan tähän.", target=REVIEW)
    interview.override("owner_strategy", 3, "Keskustelun perusteella.")
    interview.undo()
    interview.answer(DOCUMENTED, "tacit")
    clock.advance(12)

    again = Interview.open(program(), store, interview.session_id, clock=clock)
    assert again.state == interview.state == fold(store.events(interview.session_id))
    live, other = interview.live, again.live
    assert (other.hidden, other.required, other.calculated, other.data, other.scores, other.open_required,
            other.responded) == (live.hidden, live.required, live.calculated, live.data, live.scores,
                                 live.open_required, live.responded)
    assert again.position.section == "owner_strategy"
    assert again.agenda() == interview.agenda()
    overview, resumed = interview.overview(), again.overview()
    assert (resumed.sections, resumed.overall, resumed.progress) == (
        overview.sections, overview.overall, overview.progress)
    # The resumed interview goes on where the other stopped.
    assert again.answer(WILL, 5).seq == len(store.events(interview.session_id))


def test_resume_position_is_the_first_open_item_of_the_current_section() -> None:
    store = MemoryStore()
    interview = start(store)
    interview.go_to("owner_strategy")
    interview.answer(DOCUMENTED, "written")
    again = Interview.open(program(), store, interview.session_id)
    assert again.position.section == "owner_strategy"
    assert again.position.item == REVIEW


def test_live_scores_match_the_scoring_engine_after_a_session() -> None:
    interview = start(MemoryStore())
    example = load_answers(ROOT / "examples" / "small_manufacturer.answers.yaml", program().bank)
    for name, entry in example.answers.items():
        assert interview.answer(name, entry.value, status=entry.status).ok
    scores = evaluate(program(), interview.answers)
    assert interview.live.sections == scores.sections
    assert interview.live.overall == scores.overall
    assert interview.live.hidden == set(scores.state.hidden)
