"""Writing a mapped register record into a session as ordinary ``answered`` events.

Every answer is signed by the author ``register`` (:data:`REGISTER_AUTHOR`) and its note
names the source and the record's date (``PRH/YTJ 2026-03-02: /companies/0/names``). An
item that already has an answer (of any status, by anyone) is never overwritten: it is
reported as kept. A value the bank refuses is not written and becomes a REG-013 warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from asiakasarvo_engine.diagnostics import Diagnostic, Span, make
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.prefill.mapping import BUSINESS_ID, map_record

if TYPE_CHECKING:
    from asiakasarvo_engine.prefill.record import CompanyRecord
    from asiakasarvo_engine.session.interview import Clock, Interview

REGISTER_AUTHOR = "register"


@dataclass(frozen=True, slots=True)
class PrefillSummary:
    """What a prefill did: items ``written`` {item: value}, items ``kept`` (already answered,
    left as they were) and the ``warnings`` (REG-010..015)."""

    session_id: str
    written: dict[str, Any]
    kept: tuple[str, ...]
    warnings: tuple[Diagnostic, ...]


def source_note(record: CompanyRecord, field: str) -> str:
    """The note kept with a prefilled answer: the register, the record's date and the field."""
    when = record.record_date.isoformat() if record.record_date else "date not known"
    return f"PRH/YTJ {when}: {field}"


def _check_company(interview: Interview, record: CompanyRecord) -> None:
    """Refuse a record of another company than the session's (its start or its answer)."""
    given = interview.answers.get(BUSINESS_ID)
    theirs = [interview.started.company.business_id, given.value if given is not None else None]
    for business_id in theirs:
        if isinstance(business_id, str) and business_id.strip() and business_id.strip() != record.business_id:
            raise LoadError([make("REG-006", pointer=f"{record.base}/businessId",
                                  span=Span(record.source or "<record>"), found=record.business_id,
                                  expected=business_id.strip())])


def prefill_session(interview: Interview, record: CompanyRecord, *,
                    clock: Clock | None = None) -> PrefillSummary:
    """Answer the mapped items of ``record`` in ``interview``'s session as ``register``.

    A record of another business id than the session's (given at the start or answered)
    is refused with REG-006 (:class:`LoadError`) before anything is written.

    When ``interview`` signs as someone else, the writes go through a second interview on
    the same store opened with the author ``register``; ``interview`` is reloaded
    afterwards so it sees them.
    """
    from asiakasarvo_engine.session.interview import Interview

    mapped = map_record(record)
    _check_company(interview, record)
    writer = interview
    if interview.author != REGISTER_AUTHOR:
        writer = Interview.open(interview.program, interview.store, interview.session_id,
                                author=REGISTER_AUTHOR, clock=clock)
    existing = writer.answers
    written: dict[str, Any] = {}
    kept: list[str] = []
    warnings = list(mapped.warnings)
    for item, value in mapped.answers.items():
        if item in existing:
            kept.append(item)
            continue
        outcome = writer.answer(item, value, note=source_note(record, mapped.fields[item]))
        if outcome.ok:
            written[item] = value
            continue
        problem = outcome.problems[0]
        warnings.append(make("REG-013", pointer=mapped.fields[item], span=Span(record.source or "<record>"),
                             expected=item, found=f"{value!r}: {problem.message()}"[:200]))
    if writer is not interview:
        interview.reload()
    return PrefillSummary(interview.session_id, written, tuple(kept), tuple(warnings))
