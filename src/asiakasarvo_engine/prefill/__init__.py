"""Business-register prefill: a saved PRH/YTJ open-data company record fills ``basic_info``.

:mod:`.record` reads the record, :mod:`.mapping` maps it to the bank's items,
:mod:`.write` writes the answers into a session as the author ``register`` and
:mod:`.municipalities` holds the 44 municipalities of the area with their codes;
:mod:`.fetch` asks the PRH open-data API for a record when the user wants it fetched.
"""

from asiakasarvo_engine.prefill.mapping import Mapped, map_record
from asiakasarvo_engine.prefill.record import CompanyRecord, parse_record, read_record, record_from_data
from asiakasarvo_engine.prefill.write import REGISTER_AUTHOR, PrefillSummary, prefill_session

__all__ = ["REGISTER_AUTHOR", "CompanyRecord", "Mapped", "PrefillSummary", "map_record", "parse_record",
           "prefill_session", "read_record", "record_from_data"]
