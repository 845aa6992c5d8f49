"""Event times: what a valid time is, its instant, and the meeting's zone and date.

An event time is ISO 8601 with seconds and an explicit zone (``Z`` or ``+03:00``), a real
calendar date and a time of day with seconds 00-59 (a leap-second reading such as
``23:59:60Z`` is refused: Python, SQLite and most tools cannot represent it). Times are
compared by the instant they name, never as strings: ``10:00+03:00`` is before ``08:00Z``.

A session's meeting has a zone (an IANA name, ``Europe/Helsinki`` unless the session says
otherwise); the meeting's date is the start's date in that zone, so a meeting begun at
01.30 Helsinki time is dated by the Helsinki day, not the UTC one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/Helsinki"
"""The meeting's zone when a session names none (the project's companies are in Finland)."""

TIME_PATTERN = (r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d"
                r"(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$")
"""The shape of an event time (the JSON Schema's pattern); :func:`check_time` also checks the
calendar (no 31 April)."""
EXAMPLE = "2026-03-14T09:30:00.000000Z"
_SHAPE = re.compile(TIME_PATTERN)
_FRACTION = re.compile(r"\.(\d+)")


def time_problem(value: object) -> str | None:
    """Why ``value`` is not an event time (None when it is one)."""
    if not isinstance(value, str):
        return f"not text but {type(value).__name__}"
    if not _SHAPE.fullmatch(value):
        if re.fullmatch(r"[\d\-]+T[\d:.]+", value):
            return "a time without a zone (Z or an offset such as +02:00)"
        if re.search(r"T\d{2}:\d{2}:6\d", value):
            return "a leap second or a seconds field over 59"
        return "not an ISO 8601 time with seconds and a zone"
    try:
        instant(value)
    except ValueError:
        return "not a date and time of the calendar"
    return None


def check_time(value: object) -> str:
    """``value`` when it is an event time; else ValueError saying why and what is expected."""
    problem = time_problem(value)
    if problem is not None:
        raise ValueError(f"time {value!r:.60} is {problem}; expected an ISO 8601 time such as {EXAMPLE}")
    assert isinstance(value, str)
    return value


def instant(text: str) -> datetime:
    """The aware datetime of an event time (nanoseconds are cut to microseconds)."""
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), text, count=1)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no zone")
    return moment


def order_key(text: str) -> tuple[int, datetime]:
    """A sort key ordering event times by instant; a time that cannot be read sorts first
    (oldest), so one bad record never hides the others."""
    try:
        return 1, instant(text).astimezone(UTC)
    except (TypeError, ValueError):
        return 0, datetime.min.replace(tzinfo=UTC)


def later(reading: str, last: str) -> str:
    """``reading``, or ``last`` when the reading names an earlier instant (a clock set back):
    a log's times never run backwards."""
    return last if instant(reading) < instant(last) else reading


def runs_backwards(previous: str, current: str) -> bool:
    """Whether ``current`` names an earlier instant than ``previous``."""
    return instant(current) < instant(previous)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; ValueError when there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}; expected an IANA name such as {DEFAULT_ZONE}") from exc


def check_zone(name: str) -> str:
    """``name`` when it is a known IANA zone (ValueError otherwise)."""
    zone(name)
    return name


def meeting_date(time: str, zone_name: str = DEFAULT_ZONE) -> str:
    """The ISO date of ``time`` in the meeting's zone."""
    return instant(time).astimezone(zone(zone_name)).date().isoformat()
