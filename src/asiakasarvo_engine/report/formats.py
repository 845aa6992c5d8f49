"""Numbers, money, percentages and dates in the typography of the report's language.

Finnish: decimal comma, a no-break space between thousands and before ``%`` and ``€``,
dates ``d.m.yyyy``. English: decimal point, comma thousands, ``EUR 1,234``, dates
``21 October 2026``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

NBSP = "\u00a0"
MINUS = "\u2212"
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


@dataclass(frozen=True)
class Formats:
    """Formatting for one language (``fi`` or ``en``)."""

    lang: str
    missing: str = "–"
    zone: str | None = None
    """The IANA zone times are shown in (None: this machine's local time)."""

    def number(self, value: float | Decimal | None, digits: int = 1) -> str:
        """A number with ``digits`` decimals and grouped thousands."""
        if value is None:
            return self.missing
        text = f"{float(value):,.{digits}f}"
        if text.startswith("-") and float(text.replace(",", "")) == 0:
            text = text[1:]
        if self.lang == "fi":
            text = text.replace(",", NBSP).replace(".", ",")
        return text.replace("-", MINUS)

    def integer(self, value: float | Decimal | None) -> str:
        """A whole number with grouped thousands."""
        return self.number(value, 0)

    def plain(self, value: float | Decimal | None) -> str:
        """A number as entered: whole numbers without decimals, others with up to two."""
        if value is None:
            return self.missing
        number = float(value)
        if number.is_integer():
            return self.number(number, 0)
        digits = 1 if round(number, 1) == round(number, 2) else 2
        return self.number(number, digits)

    def percent(self, value: float | Decimal | None, digits: int = 1) -> str:
        """A value already in per cent: ``48,5 %`` / ``48.5%``."""
        if value is None:
            return self.missing
        text = self.number(value, digits)
        return f"{text}{NBSP}%" if self.lang == "fi" else f"{text}%"

    def share(self, value: float | None) -> str:
        """A share 0-1 as whole per cent."""
        return self.missing if value is None else self.percent(100 * value, 0)

    def money(self, value: float | Decimal | None) -> str:
        """Euros without cents: ``23 400 €`` / ``EUR 23,400``."""
        if value is None:
            return self.missing
        text = self.integer(value)
        return f"{text}{NBSP}€" if self.lang == "fi" else f"EUR{NBSP}{text}"

    def moment(self, value: str | None) -> str:
        """An event time (ISO 8601 with its zone) in the local time of ``zone`` (default: this
        machine's): ``27.11.2026 klo 19.47`` or ``27 November 2026 19:47``. Where the local
        time is ambiguous (the hour that repeats when summer time ends) the offset follows:
        ``25.10.2026 klo 3.50 (UTC+3)``."""
        if not value:
            return self.missing
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                return value
            local = moment.astimezone(ZoneInfo(self.zone) if self.zone else None)
        except (ValueError, KeyError):
            return value
        day = self.date(local.date().isoformat())
        if self.lang == "fi":
            shown = f"{day} klo {local.hour}.{local.minute:02d}"
        else:
            shown = f"{day} {local.hour:02d}:{local.minute:02d}"
        offset = local.utcoffset()
        if offset is not None and _ambiguous(local, self.zone is None):
            shown += f" ({self._offset(offset)})"
        return shown

    def _offset(self, offset: timedelta) -> str:
        """``UTC+3``, ``UTC-4``, ``UTC+5.30`` (``UTC+5:30`` in English)."""
        minutes = int(offset.total_seconds()) // 60
        sign = "+" if minutes >= 0 else "-"
        hours, rest = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours}" + (f"{'.' if self.lang == 'fi' else ':'}{rest:02d}" if rest else "")

    def date(self, value: str | None) -> str:
        """An ISO date (``2026-10-21``, or the date part of a date-time) for a reader."""
        if not value:
            return self.missing
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value
        if self.lang == "fi":
            return f"{day.day}.{day.month}.{day.year}"
        return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"

    def range(self, low: str, high: str) -> str:
        """``0–3`` with an en dash."""
        return f"{low}–{high}"


def _ambiguous(local: datetime, machine: bool) -> bool:
    """Whether the wall-clock time of ``local`` happens twice in its zone (summer time ends).

    For this machine's zone (``local`` has a fixed offset) the naive wall time is converted
    both ways through the system's rules (PEP 495 ``fold``)."""
    if not machine:
        other = local.replace(fold=1 - local.fold)
        return other.utcoffset() != local.utcoffset()
    naive = local.replace(tzinfo=None)
    return naive.replace(fold=0).astimezone().utcoffset() != naive.replace(fold=1).astimezone().utcoffset()
