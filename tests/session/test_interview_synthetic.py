"""Replaying the shared 150-question workload through the interview reaches its documented
end state (``../shared/bench/README.md``), in memory and with the SQLite store."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.state import fold
from asiakasarvo_engine.session.store import MemoryStore, Store

ROOT = Path(__file__).resolve().parents[2]


def _synthetic() -> Any:
    """``benchmarks/synthetic150.py``, the workload converter shared with the benchmark."""
    if "synthetic150" in sys.modules:
        return sys.modules["synthetic150"]
    spec = importlib.util.spec_from_file_location("synthetic150", ROOT / "benchmarks" / "synthetic150.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic150"] = module
    spec.loader.exec_module(module)
    return module


SYNTHETIC = _synthetic()
pytestmark = pytest.mark.skipif(not SYNTHETIC.available(),
                                reason=f"the shared workload is not at {SYNTHETIC.WORKLOAD}")


@cache
def workload() -> Any:
    return SYNTHETIC.load_workload()


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    sqlite = SQLiteStore(tmp_path / "sessions.sqlite3")
    yield sqlite
    sqlite.close()


def test_the_conversion_keeps_the_workload() -> None:
    program = workload().program
    bank = program.bank
    assert len(bank.items) == 150
    types = [item.item.type.value for item in bank.items.values()]
    assert {t: types.count(t) for t in set(types)} == {
        "single_choice": 45, "likert": 45, "multi_choice": 20, "short_text": 20, "number": 20}
    assert len(bank.conditions) == 60
    assert len(bank.required_if) == 10
    assert len(bank.always_required) == 18
    assert len(bank.calculated) == 23
    assert [s.id for s in program.sections] == [f"s{n}" for n in range(1, 10)]
    assert len(workload().answers) == 123


def test_replay_reaches_the_documented_end_state(store: Store) -> None:
    data = workload()
    expected = data.expected
    interview = Interview.start(data.program, store, company="Synteettinen Oy", advisor="Anna")
    for name, value in data.answers:
        if interview.position.section != name.split(".")[0]:
            interview.go_to(name)
        assert name not in interview.live.hidden, f"{name} is answered while hidden"
        outcome = interview.answer(name, value)
        assert outcome.ok, outcome.problems
        assert outcome.changes is not None
    live = interview.live
    assert live.visible_count() == expected["visible_questions"] == 123
    assert len(live.hidden) == expected["hidden_questions"] == 27
    assert sorted(live.hidden) == sorted(expected["hidden_ids"])
    assert len(live.required) == expected["required_visible_questions"] == 23
    for name, value in {**expected["calculated_values"], **expected["expressions"]}.items():
        assert live.calculated[name] == (pytest.approx(value) if isinstance(value, float) else value), name
    assert live.calculated["s9.cv_total"] == 76
    assert live.calculated["s9.cv_band"] == "mid"
    assert live.calculated["s9.e_numbers_sum"] == 317
    assert live.calculated["s9.e_total_pct"] == pytest.approx(63.3333333)
    progress = interview.progress()
    assert (progress.answered, progress.visible, progress.required, progress.required_left) == (
        123, 123, 23, 0)
    assert all(s.view.status == "scored" for s in interview.overview().sections if s.view is not None)
    # The log holds every answer; a resumed interview has the same state.
    log = store.events(interview.session_id)
    assert sum(1 for e in log if e.type == "answered") == 123
    assert fold(log) == interview.state
    again = Interview.open(data.program, store, interview.session_id)
    assert (again.live.hidden, again.live.required, again.live.scores) == (live.hidden, live.required,
                                                                            live.scores)
