"""Real sessions for the store and sync tests: the three example companies' answers given
through the interview on the shipped bank and rules, as an advisor gives them."""

from __future__ import annotations

from functools import cache

from asiakasarvo_engine._resources import examples_path
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.scoring.result import Company
from asiakasarvo_engine.session.events import Event
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.store import MemoryStore, Store

EXAMPLES = ("small_manufacturer", "micro_family_firm", "medium_service_company")


@cache
def program() -> ScoringProgram:
    return load_program()


def interview_example(store: Store, name: str, *, finish: bool = True) -> str:
    """Give example ``name``'s answers through an interview in ``store``; the session id."""
    shipped = program()
    loaded = load_answers(examples_path() / f"{name}.answers.yaml", shipped.bank)
    meta = loaded.file
    company = Company(name=meta.company.name, business_id=meta.company.business_id) if meta.company else None
    interview = Interview.start(shipped, store, company=company, advisor=meta.advisor or "Neuvoja")
    for item in shipped.bank.items:
        entry = loaded.answers.get(item)
        if entry is None:
            continue
        if item.partition(".")[0] != interview.position.section:
            interview.go_to(item.partition(".")[0])
        outcome = interview.answer(item, entry.value, status=entry.status, note=entry.note)
        assert outcome.ok, (item, outcome.problems)
    if finish:
        interview.finish()
    return interview.session_id


@cache
def example_logs() -> dict[str, tuple[Event, ...]]:
    """Session id -> log of the three examples (made once, in memory)."""
    store = MemoryStore()
    ids = [interview_example(store, name) for name in EXAMPLES]
    return {sid: tuple(store.events(sid)) for sid in ids}
