"""De minimis aid of the programme, checked against the ceiling of Regulation (EU) 2023/2831.

The analysis is aid of EUR 1 000 (its market price). The training path is aid of its
market price EUR 3 900 minus the company's own share: EUR 300 (micro), 600 (small) or
900 (medium). The ceiling is EUR 300 000 per single undertaking per Member State over
any period of three years, assessed on a rolling basis by grant date.

All money is ``Decimal`` (euros, cents allowed); no float arithmetic. Large enterprises
are not eligible for the programme: the statement says so and grants no aid.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from asiakasarvo_engine.scoring.sme import SizeClass

REGULATION = (
    "Commission Regulation (EU) 2023/2831 of 13 December 2023 on the application of "
    "Articles 107 and 108 TFEU to de minimis aid (OJ L, 2023/2831, 15.12.2023), Art. 3(2): "
    "at most EUR 300 000 per single undertaking per Member State over any period of three "
    "years (rolling)"
)

CEILING_EUR = Decimal(300_000)
ANALYSIS_AID_EUR = Decimal(1_000)
PATH_MARKET_PRICE_EUR = Decimal(3_900)
OWN_SHARE_EUR: dict[SizeClass, Decimal] = {
    SizeClass.MICRO: Decimal(300),
    SizeClass.SMALL: Decimal(600),
    SizeClass.MEDIUM: Decimal(900),
}
"""The company's own share of the training path, by size class (programme terms)."""

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class DeMinimisStatement:
    """The aid this programme would grant and how it fits under the ceiling (EUR, Decimal).

    ``headroom_before`` and ``headroom_after`` are never negative; ``excess`` is the
    amount by which the new aid would cross the ceiling (0 when it fits).
    """

    size_class: SizeClass
    eligible: bool
    path_included: bool
    analysis_aid: Decimal
    path_market_price: Decimal
    path_own_share: Decimal
    path_aid: Decimal
    total_new_aid: Decimal
    aid_received: Decimal
    ceiling: Decimal
    headroom_before: Decimal
    headroom_after: Decimal
    excess: Decimal
    exceeds_ceiling: bool
    warning_fi: str | None
    warning_en: str | None
    regulation: str = REGULATION


def _eur(amount: Decimal, lang: str) -> str:
    text = f"{amount:,.2f}".removesuffix(".00")
    if lang == "fi":
        return text.replace(",", "\u00a0").replace(".", ",") + "\u00a0€"
    return f"EUR {text}"


def _as_decimal(value: int | Decimal) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"aid_received must be int or Decimal, got {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"aid_received must be a finite non-negative amount, got {value!r}")
    return amount


def de_minimis_statement(
    size_class: SizeClass, aid_received: int | Decimal, *, include_path: bool
) -> DeMinimisStatement:
    """The programme's de minimis statement for one single undertaking.

    ``aid_received``: de minimis aid granted to the single undertaking in the last three
    years (rolling, by grant date), as the company declares it, in EUR. Raises
    ``ValueError`` for a negative or non-finite amount and ``TypeError`` for a float.
    """
    received = _as_decimal(aid_received)
    headroom_before = max(_ZERO, CEILING_EUR - received)

    if not size_class.is_sme:
        return DeMinimisStatement(
            size_class=size_class,
            eligible=False,
            path_included=False,
            analysis_aid=_ZERO,
            path_market_price=PATH_MARKET_PRICE_EUR,
            path_own_share=_ZERO,
            path_aid=_ZERO,
            total_new_aid=_ZERO,
            aid_received=received,
            ceiling=CEILING_EUR,
            headroom_before=headroom_before,
            headroom_after=headroom_before,
            excess=_ZERO,
            exceeds_ceiling=False,
            warning_fi=(
                "Suuri yritys (ei pk-yritys) ei ole hankkeen kohderyhmää: sille ei myönnetä "
                "analyysiä eikä valmennuspolkua de minimis -tukena."
            ),
            warning_en=(
                "A large enterprise (not an SME) is outside the programme's target group: it "
                "receives neither the analysis nor the training path as de minimis aid."
            ),
        )

    own_share = OWN_SHARE_EUR[size_class] if include_path else _ZERO
    path_aid = PATH_MARKET_PRICE_EUR - own_share if include_path else _ZERO
    total = ANALYSIS_AID_EUR + path_aid
    after = CEILING_EUR - received - total
    exceeds = after < 0
    excess = -after if exceeds else _ZERO
    warning_fi: str | None = None
    warning_en: str | None = None
    if exceeds:
        warning_fi = (
            f"Uusi de minimis -tuki {_eur(total, 'fi')} ylittäisi enimmäismäärän "
            f"{_eur(CEILING_EUR, 'fi')} kolmen vuoden aikana (ylitys {_eur(excess, 'fi')}); "
            f"tukitilaa on jäljellä {_eur(headroom_before, 'fi')} (asetus (EU) 2023/2831). "
            "Tukea ei voi myöntää tässä laajuudessa."
        )
        warning_en = (
            f"The new de minimis aid of {_eur(total, 'en')} would exceed the ceiling of "
            f"{_eur(CEILING_EUR, 'en')} over three years by {_eur(excess, 'en')}; the "
            f"headroom is {_eur(headroom_before, 'en')} (Regulation (EU) 2023/2831). "
            "The aid cannot be granted in this amount."
        )
    return DeMinimisStatement(
        size_class=size_class,
        eligible=True,
        path_included=include_path,
        analysis_aid=ANALYSIS_AID_EUR,
        path_market_price=PATH_MARKET_PRICE_EUR,
        path_own_share=own_share,
        path_aid=path_aid,
        total_new_aid=total,
        aid_received=received,
        ceiling=CEILING_EUR,
        headroom_before=headroom_before,
        headroom_after=max(_ZERO, after),
        excess=excess,
        exceeds_ceiling=exceeds,
        warning_fi=warning_fi,
        warning_en=warning_en,
    )
