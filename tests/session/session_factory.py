"""Events for the session-store tests (imported by the test modules and the worker script)."""

from __future__ import annotations

from asiakasarvo_engine.scoring.result import Company, Pin
from asiakasarvo_engine.session.events import Answered, Event, Finished, NoteAdded, Reopened, Started, now

PIN = Pin(id="asiakasarvo", version="1.0.0", hash="sha256:" + "0" * 64)
ADVISOR = "Anna Neuvoja"


def started(company: str = "Testi Oy", business_id: str | None = "1234567-8", advisor: str = ADVISOR,
            time: str | None = None) -> Started:
    return Started(seq=1, time=time or now(), author=advisor, advisor=advisor,
                   company=Company(name=company, business_id=business_id), bank=PIN, rules=PIN)


def answered(seq: int, value: object = None, item: str = "s1.q1", note: str | None = None,
             author: str = ADVISOR) -> Answered:
    return Answered(seq=seq, time=now(), author=author, item=item,
                    value=seq if value is None else value, note=note)


def noted(seq: int, text: str, target: str | None = None) -> NoteAdded:
    return NoteAdded(seq=seq, time=now(), author=ADVISOR, target=target, text=text)


def finished(seq: int) -> Finished:
    return Finished(seq=seq, time=now(), author=ADVISOR)


def reopened(seq: int) -> Reopened:
    return Reopened(seq=seq, time=now(), author=ADVISOR)


def sample_log(answers: int = 5, company: str = "Testi Oy") -> list[Event]:
    """A started event, answers to items s1.q1.., a note and a finish."""
    log: list[Event] = [started(company)]
    for n in range(answers):
        log.append(answered(len(log) + 1, item=f"s1.q{n + 1}", value=n % 5 + 1))
    log.append(noted(len(log) + 1, "Asiakas mainitsi kilpailijan.", target="s1"))
    log.append(finished(len(log) + 1))
    return log
