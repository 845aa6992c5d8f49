"""EU SME size class by Commission Recommendation 2003/361/EC (Annex, Article 2).

A class holds when the staff limit holds AND at least one of the two financial limits
holds (annual turnover OR annual balance-sheet total):

============  ===========  ==================  ========================
class         staff (AWU)  turnover            balance-sheet total
============  ===========  ==================  ========================
micro         fewer than 10   <= EUR 2 million   <= EUR 2 million
small         fewer than 50   <= EUR 10 million  <= EUR 10 million
medium        fewer than 250  <= EUR 50 million  <= EUR 43 million
============  ===========  ==================  ========================

Anything else is a large enterprise (not an SME). Edges are exact: 10 staff is not
micro, EUR 2 000 000 turnover is within the micro limit.

The decision itself (limits, three-valued logic) is :mod:`asiakasarvo_engine.eu_sme`, which
the bank's calculated ``basic_info.size_class`` uses too (``aa.sme_size_class``); this module
adds the limit checks, labels and reasons of the scoring's result.

Missing figures: three-valued logic. A missing figure makes its own limit *unknown*; the
class is still determined when the present figures decide it (for example, 5 staff and
a EUR 1.5 million balance sheet make a micro enterprise whatever the turnover; 300 staff
make a large one whatever the financials). Otherwise the result is undetermined
(``size_class is None``), names the missing figures and lists the classes still
possible. Negative or non-finite figures raise ``ValueError``.

Limitations (stated in every result): only the company's own figures are used. The
Recommendation requires adding partner enterprises' data pro rata (holdings of 25 % or
more) and linked enterprises' data in full, treats an enterprise controlled 25 % or more
by public bodies as not an SME, and changes the class only when a ceiling is crossed in
two consecutive accounting periods. The caller must account for these (the company's
declaration), e.g. by passing aggregated figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from asiakasarvo_engine.eu_sme import (
    LIMITS,
    SizeClass,
    SizeLimits,
    figure,
    possible_classes,
    qualifies,
)

__all__ = ["FIGURES", "LIMITS", "SOURCE", "LimitCheck", "SizeClass", "SizeClassResult", "SizeLimits",
           "sme_size_class"]

SOURCE = (
    "Commission Recommendation 2003/361/EC of 6 May 2003 concerning the definition of "
    "micro, small and medium-sized enterprises (OJ L 124, 20.5.2003, p. 36-41), Annex, Article 2"
)

FIGURES: tuple[str, ...] = ("staff_headcount", "annual_turnover", "balance_sheet_total")
"""Input names: staff in annual work units (AWU), money in EUR."""

LIMITATION_FI = (
    "Kokoluokka on laskettu vain yrityksen omista luvuista. Suositus 2003/361/EY edellyttää, "
    "että kumppaniyritysten (omistus vähintään 25 %) luvut lisätään omistusosuuden mukaisesti "
    "ja sidosyritysten luvut kokonaan; julkisyhteisöjen vähintään 25 %:n määräysvallassa oleva "
    "yritys ei ole pk-yritys; luokka muuttuu vasta, kun raja ylittyy kahtena peräkkäisenä "
    "tilikautena. Tarkista yrityksen oma ilmoitus."
)
LIMITATION_EN = (
    "The size class uses only the company's own figures. Recommendation 2003/361/EC requires "
    "adding partner enterprises' data (holdings of 25 % or more) pro rata and linked "
    "enterprises' data in full; an enterprise 25 % or more controlled by public bodies is not "
    "an SME; the class changes only when a ceiling is crossed in two consecutive accounting "
    "periods. Check the company's own declaration."
)


@dataclass(frozen=True, slots=True)
class LimitCheck:
    """One limit of one class: the figure, its value, the ceiling and whether it held.

    ``held`` is None when the figure is missing.
    """

    size_class: SizeClass
    figure: str
    value: float | None
    limit: int
    comparison: str  # "<" (staff) or "<=" (money)
    held: bool | None


@dataclass(frozen=True, slots=True)
class SizeClassResult:
    """The size class (None when undetermined), the limit checks and fi/en texts."""

    size_class: SizeClass | None
    possible_classes: tuple[SizeClass, ...]
    missing: tuple[str, ...]
    figures: tuple[float | None, float | None, float | None]
    """Staff, turnover and balance-sheet total as the decision read them (``FIGURES``)."""
    label_fi: str
    label_en: str
    limitation_fi: str = LIMITATION_FI
    limitation_en: str = LIMITATION_EN
    source: str = SOURCE

    @property
    def checks(self) -> tuple[LimitCheck, ...]:
        """Every limit of every class (micro, small, medium) against the figures; derived
        when asked, since scoring a corpus never reads them."""
        staff, turnover, balance = self.figures
        return tuple(check for limits in LIMITS for check in _checks_for(limits, staff, turnover, balance))

    @property
    def determined(self) -> bool:
        """True when the figures given decide the class."""
        return self.size_class is not None

    @property
    def reason_fi(self) -> str:
        """Why, in Finnish: each class tried and the limits that held or failed."""
        return _reasons(self, "fi")

    @property
    def reason_en(self) -> str:
        """Why, in English."""
        return _reasons(self, "en")


def _fmt_money(value: float, lang: str) -> str:
    whole = f"{value:,.0f}"
    if lang == "fi":
        return whole.replace(",", "\u00a0") + "\u00a0€"
    return f"EUR {whole}"


def _fmt_staff(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "fi" else text


_NAMES = {
    "staff_headcount": ("henkilöstö", "staff"),
    "annual_turnover": ("liikevaihto", "turnover"),
    "balance_sheet_total": ("taseen loppusumma", "balance-sheet total"),
}


def _describe(check: LimitCheck, lang: str) -> str:
    name = _NAMES[check.figure][0 if lang == "fi" else 1]
    money = check.figure != "staff_headcount"
    limit = _fmt_money(check.limit, lang) if money else str(check.limit)
    if check.value is None:
        return f"{name} puuttuu" if lang == "fi" else f"{name} missing"
    value = _fmt_money(check.value, lang) if money else _fmt_staff(check.value, lang)
    op = check.comparison if check.held else (">=" if check.comparison == "<" else ">")
    return f"{name} {value} {op} {limit}"


def _checks_for(
    limits: SizeLimits, staff: float | None, turnover: float | None, balance: float | None
) -> tuple[LimitCheck, LimitCheck, LimitCheck]:
    cls = limits.size_class
    held_staff, held_turnover, held_balance = limits.held(staff, turnover, balance)
    return (
        LimitCheck(cls, "staff_headcount", staff, limits.staff_fewer_than, "<", held_staff),
        LimitCheck(cls, "annual_turnover", turnover, limits.turnover_at_most_eur, "<=", held_turnover),
        LimitCheck(cls, "balance_sheet_total", balance, limits.balance_sheet_at_most_eur, "<=",
                   held_balance),
    )


def _qualifies(checks: tuple[LimitCheck, LimitCheck, LimitCheck]) -> bool | None:
    return qualifies((checks[0].held, checks[1].held, checks[2].held))


def _why(checks: tuple[LimitCheck, LimitCheck, LimitCheck], lang: str) -> str:
    """Explain a held or failed qualification from its checks."""
    return ", ".join(_describe(check, lang) for check in checks)


def sme_size_class(
    staff_headcount: float | None,
    annual_turnover: float | None,
    balance_sheet_total: float | None,
) -> SizeClassResult:
    """Classify an enterprise as micro, small, medium or large from its own figures.

    Staff in annual work units (AWU, may be fractional), money in EUR. A missing figure
    (None) is unknown; see the module docstring for the policy.
    """
    staff = figure("staff_headcount", staff_headcount)
    turnover = figure("annual_turnover", annual_turnover)
    balance = figure("balance_sheet_total", balance_sheet_total)
    missing = tuple(
        name for name, value in zip(FIGURES, (staff, turnover, balance), strict=True)
        if value is None
    )
    possible = possible_classes(staff, turnover, balance)
    decided = possible[0] if len(possible) == 1 else None

    if decided is None:
        options_fi = " / ".join(c.label_fi for c in possible)
        options_en = " / ".join(c.label_en for c in possible)
        label_fi = f"ei määritettävissä ({options_fi})"
        label_en = f"undetermined ({options_en})"
    else:
        label_fi, label_en = decided.label_fi, decided.label_en
    return SizeClassResult(
        size_class=decided,
        possible_classes=tuple(possible),
        missing=missing,
        figures=(staff, turnover, balance),
        label_fi=label_fi,
        label_en=label_en,
    )


def _reasons(result: SizeClassResult, lang: str) -> str:
    """The classes tried in order (up to the one that held) with their limit checks."""
    fi = lang == "fi"
    parts: list[str] = []
    for index, limits in enumerate(LIMITS):
        checks = result.checks[3 * index: 3 * index + 3]
        verdict = _qualifies((checks[0], checks[1], checks[2]))
        label = limits.size_class.label_fi if fi else limits.size_class.label_en
        why = _why((checks[0], checks[1], checks[2]), lang)
        if verdict is True:
            parts.append(f"{label}: rajat täyttyvät ({why})" if fi else f"{label}: limits held ({why})")
            break
        if verdict is False:
            parts.append(f"ei {label} ({why})" if fi else f"not {label} ({why})")
        else:
            parts.append(f"{label}: ratkeamatta ({why})" if fi else f"{label}: open ({why})")
    if result.size_class is SizeClass.LARGE:
        parts.append("henkilöstöraja tai molemmat talousrajat ylittyvät keskisuurellakin" if fi
                     else "the staff limit or both financial limits fail even for medium-sized")
    if result.size_class is None and result.missing:
        names = ", ".join(_NAMES[m][0 if fi else 1] for m in result.missing)
        parts.append(f"puuttuu: {names}" if fi else f"missing: {names}")
    return "; ".join(parts)
