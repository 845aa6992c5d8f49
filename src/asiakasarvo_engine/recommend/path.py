"""Who goes on the training path: the five modules ranked by the company's own
recommendations, the company's will and resources from the closing block, the advisor's
decision, and the path's de minimis aid as conditional on joining.

The programme selects for the path those with the need, the will and the financial
resources (ESR+ selection proposal 5.2.2024). The need is what the analysis found: each
fired recommendation points to one training module, so a module's count of
recommendations (and of key ones) ranks the five. The will and the resources are the
answers of the closing block ``next_steps``; the decision is the advisor's.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from asiakasarvo_engine.scoring.result import (
    ModuleNeed,
    PathCandidate,
    PathChoice,
    Result,
)

SECTION = "next_steps"
"""The bank section that holds the path questions."""

MODULES = ("1", "2", "3", "4", "5")

_NON_PROFIT_FORMS = frozenset({"yhdistys", "saatio"})

_NO_ACTIVITY: dict[str, str] = {
    "fi": ("Yhteisö ei harjoita taloudellista toimintaa, joten se ei ole EU:n pk-määritelmän mukainen "
           "yritys: analyysi ja polku eivät ole sille de minimis -tukea, eikä se kuulu hankkeen "
           "kohderyhmään sellaisenaan. Tarkista asia ennen päätöstä."),
    "en": ("The organisation carries on no economic activity, so it is not an enterprise under the EU SME "
           "definition: the analysis and the path are not de minimis aid to it, and it is not in the "
           "programme's target group as such. Check this before the decision."),
}


def _eur(amount: Decimal, lang: str) -> str:
    text = f"{amount:,.0f}"
    return text.replace(",", "\u00a0") + "\u00a0€" if lang == "fi" else f"EUR {text}"


def _aid_text(decision: str | None, aid: Decimal, own_share: Decimal) -> dict[str, str]:
    """The path's de minimis aid, always as conditional on the company joining."""
    fi_aid, en_aid = _eur(aid, "fi"), _eur(aid, "en")
    fi_own, en_own = _eur(own_share, "fi"), _eur(own_share, "en")
    price_fi = f"markkinahinta 3\u00a0900\u00a0€ vähennettynä omarahoituksella {fi_own}"
    price_en = f"market price EUR 3,900 less the own share of {en_own}"
    if decision == "yes":
        return {
            "fi": (f"Jos yritys osallistuu polulle, kuten asiantuntija esittää, polku on sille de minimis "
                   f"-tukea {fi_aid} ({price_fi}). Tuki myönnetään vasta, kun osallistuminen vahvistuu."),
            "en": (f"If the company joins the path, as the advisor proposes, the path is de minimis aid of "
                   f"{en_aid} to it ({price_en}). The aid is granted only once the participation is "
                   "confirmed."),
        }
    if decision == "no":
        return {
            "fi": (f"Asiantuntija ei esitä yritystä polulle; polun de minimis -tuki ({fi_aid}) syntyy vain, "
                   "jos yritys kuitenkin osallistuu."),
            "en": (f"The advisor does not propose the company for the path; its de minimis aid "
                   f"({en_aid}) arises only if the company takes part after all."),
        }
    return {
        "fi": (f"Polun de minimis -tuki {fi_aid} ({price_fi}) syntyy vain, jos yritys osallistuu polulle; "
               "päätös on vielä tekemättä."),
        "en": (f"The path's de minimis aid of {en_aid} ({price_en}) arises only if the company joins the "
               "path; the decision is still open."),
    }


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def module_needs(result: Result, modules: Mapping[str, Mapping[str, str]],
                 chosen: frozenset[str]) -> list[ModuleNeed]:
    """The five modules ranked by how many of the company's recommendations point to them
    (then by key recommendations, then in module order); ``chosen`` are the modules the
    company itself named (``supporting_competence.training_needs``)."""
    items = result.recommendations.items if result.recommendations is not None else []
    counts: dict[str, list[str]] = {module: [] for module in MODULES}
    keys: dict[str, int] = dict.fromkeys(MODULES, 0)
    for rec in items:
        module = str(rec.module)
        if module in counts:
            counts[module].append(rec.id)
            keys[module] += rec.key
    order = sorted(MODULES, key=lambda m: (-len(counts[m]), -keys[m], int(m)))
    return [ModuleNeed(module=int(m), title=dict(modules.get(m, {"fi": m, "en": m})), rank=rank,
                       recommendations=len(counts[m]), key_recommendations=keys[m],
                       recommendation_ids=counts[m], company_chose=f"module_{m}" in chosen)
            for rank, m in enumerate(order, start=1)]


def path_choice(result: Result, answers: Mapping[str, Any],
                modules: Mapping[str, Mapping[str, str]]) -> PathChoice:
    """The path part of a result from its answers (``section.item`` to answered values)."""
    def get(item: str) -> Any:
        return answers.get(f"{SECTION}.{item}")

    rows = get("path_candidates")
    candidates = [PathCandidate(name=str(row.get("name") or ""), role=_text(row.get("role")))
                  for row in (rows if isinstance(rows, list) else []) if isinstance(row, dict)]
    needs = answers.get("supporting_competence.training_needs")
    chosen = frozenset(needs) if isinstance(needs, list) else frozenset()
    decision = get("advisor_path_decision")
    decision = decision if decision in {"yes", "no", "later"} else None
    form = answers.get("basic_info.company_form")
    activity = answers.get("basic_info.economic_activity")
    undertaking = not (form in _NON_PROFIT_FORMS and activity == "none")
    de_minimis = result.indicators.de_minimis if result.indicators is not None else None
    aid = None
    if de_minimis is not None and de_minimis.eligible and undertaking:
        own_share = de_minimis.path_own_share
        path_aid = de_minimis.path_market_price - own_share
        aid = (path_aid, own_share)
    return PathChoice(
        modules=module_needs(result, modules, chosen),
        will=_text(get("path_will")),
        own_share_affordable=_text(get("own_share_affordable")),
        five_days_available=_text(get("five_days_available")),
        candidates=candidates,
        decision=decision,
        decision_reason=_text(get("advisor_path_reason")),
        undertaking=undertaking,
        undertaking_note=None if undertaking else dict(_NO_ACTIVITY),
        path_aid=None if aid is None else aid[0],
        own_share=None if aid is None else aid[1],
        aid_condition=None if aid is None else _aid_text(decision, aid[0], aid[1]),
    )
