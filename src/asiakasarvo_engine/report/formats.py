"""Numbers, money, percentages and dates in the typography of the report's language.

Finnish: decimal comma, a no-break space between thousands and before ``%`` and ``€``,
dates ``d.m.yyyy``. English: decimal point, comma thousands, ``EUR 1,234``, dates
``21 October 2026``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

NBSP = "\u00a0"
MINUS = "\u2212"
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


@dataclass(frozen=True)
class Formats:
    """Formatting for one language (``fi`` or ``en``)."""

    lang: str
    missing: str = "–"

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
        """An event time (ISO 8601, UTC) in this machine's local time: ``27.11.2026 klo 19.47``
        or ``27 November 2026 19:47``."""
        if not value:
            return self.missing
        try:
            local = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone()
        except ValueError:
            return value
        day = self.date(local.date().isoformat())
        if self.lang == "fi":
            return f"{day} klo {local.hour}.{local.minute:02d}"
        return f"{day} {local.hour:02d}:{local.minute:02d}"

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
