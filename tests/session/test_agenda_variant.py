"""A session follows the agenda variant it was started with (issue 16, item 1): the moves
skip the items the variant does not ask, a jump still reaches them, the agenda plans the
variant's minutes, and the choice survives reopening the session."""

from __future__ import annotations

from functools import cache

import pytest

from asiakasarvo_engine.bank.models import Tier
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.session.events import Started
from asiakasarvo_engine.session.interview import Interview, InterviewError
from asiakasarvo_engine.session.store import MemoryStore

EXTENDED_ITEM = "business_model.bmc_key_partnerships"


@cache
def program() -> ScoringProgram:
    return load_program()


def tiers() -> dict[str, Tier]:
    bank = program().bank.loaded.bank
    return {f"{s.id}.{i.id}": i.tier for s in bank.bodies() for i in s.items}


def walk(interview: Interview) -> list[str]:
    """Every item ``next`` lands on from the start to past the last one."""
    seen: list[str] = []
    while (item := interview.next().item) is not None:
        seen.append(item)
    return seen


def test_a_core_session_never_moves_onto_an_extended_item() -> None:
    interview = Interview.start(program(), MemoryStore(), advisor="Anna", variant="core")
    seen = walk(interview)
    tier = tiers()
    assert seen and all(tier[name] is Tier.CORE for name in seen)
    assert "next_steps.path_will" in seen
    assert EXTENDED_ITEM not in seen


def test_a_full_session_moves_onto_extended_items_too() -> None:
    interview = Interview.start(program(), MemoryStore(), advisor="Anna", variant="full")
    assert EXTENDED_ITEM in walk(interview)


def test_the_default_is_the_banks_first_variant_and_it_is_stored() -> None:
    store = MemoryStore()
    interview = Interview.start(program(), store, advisor="Anna")
    started = store.events(interview.session_id)[0]
    assert isinstance(started, Started) and started.variant == "full" == interview.variant


def test_an_extended_item_is_reached_by_a_jump_and_scored_when_answered() -> None:
    interview = Interview.start(program(), MemoryStore(), advisor="Anna", variant="core")
    assert interview.go_to("customer_value_competence.clv_inputs_known").item == \
        "customer_value_competence.clv_inputs_known"
    assert interview.answer("customer_value_competence.clv_inputs_known", ["margin_per_customer"]).ok
    scored = interview.result().items["customer_value_competence.clv_inputs_known"]
    assert (scored.state.value, scored.score) == ("answered", 25)
    # the next move goes on to the next core item
    after = interview.next().item
    assert after is not None and tiers()[after] is Tier.CORE


def test_a_section_jump_lands_on_its_first_core_item() -> None:
    interview = Interview.start(program(), MemoryStore(), advisor="Anna", variant="core")
    item = interview.go_to("business_model").item
    assert item is not None and tiers()[item] is Tier.CORE


@pytest.mark.parametrize(("variant", "limit"), [("core", 200), ("core_3h", 180), ("full", 260)])
def test_the_agenda_plans_the_variants_minutes(variant: str, limit: int) -> None:
    interview = Interview.start(program(), MemoryStore(), advisor="Anna", variant=variant)
    agenda = interview.agenda()
    assert agenda.variant == variant
    assert agenda.planned_minutes <= limit
    assert any(line.section == "next_steps" and line.planned_minutes == 25 for line in agenda.lines)


def test_the_variant_survives_reopening_and_resumes_on_a_core_item() -> None:
    store = MemoryStore()
    interview = Interview.start(program(), store, advisor="Anna", variant="core_3h")
    interview.go_to("business_model")
    assert interview.answer("business_model.bmc_customer_segments", "Kuluttajat lähialueelta").ok
    interview.pause()
    again = Interview.open(program(), store, interview.session_id)
    assert again.variant == "core_3h"
    assert again.agenda().planned_minutes == interview.agenda().planned_minutes
    resumed = again.next().item
    assert resumed is not None and tiers()[resumed] is Tier.CORE


def test_an_unknown_variant_is_refused_with_the_known_ones() -> None:
    store = MemoryStore()
    with pytest.raises(InterviewError) as caught:
        Interview.start(program(), store, advisor="Anna", variant="cor")
    assert caught.value.code == "SES-010"
    text = str(caught.value)
    assert "'cor'" in text and "core, core_3h" in text and "did you mean 'core'" in text
    assert caught.value.fields["expected_fi"].startswith("jokin näistä: full")
    assert store.sessions() == []  # nothing was written


def test_progress_counts_what_the_variant_asks_and_an_extended_item_once_answered() -> None:
    core = Interview.start(program(), MemoryStore(), advisor="Anna", variant="core")
    full = Interview.start(program(), MemoryStore(), advisor="Anna", variant="full")
    hidden = core.live.hidden
    not_asked = len([name for name in core.not_asked if name not in hidden])
    assert not_asked > 0
    assert core.progress().visible == full.progress().visible - not_asked
    core.go_to("customer_value_competence.clv_inputs_known")
    assert core.answer("customer_value_competence.clv_inputs_known", ["retention_rate"]).ok
    assert core.progress().visible == full.progress().visible - not_asked + 1
    assert core.progress().answered == 1


def test_an_imported_log_with_an_unknown_variant_is_refused_at_its_pointer() -> None:
    store = MemoryStore()
    interview = Interview.start(program(), store, advisor="Anna", variant="core")
    events = store.events(interview.session_id)
    started = events[0]
    assert isinstance(started, Started)
    renamed = [started.model_copy(update={"variant": "core_2h"}), *events[1:]]
    [problem] = Interview.check_log(program(), renamed)
    assert (problem.code, problem.pointer) == ("SES-010", "/events/0/variant")
    assert "core_2h" in problem.message("en") and "core_3h" in problem.message("fi")
    assert Interview.check_log(program(), events) == []
