"""A synthetic corpus of analyses with a known latent structure (``research synth``).

Every company gets a maturity factor, and every scored section a factor of its own
around it::

    theta[company, section] = company + section_mean[section] + size_effect[size] + deviation

with ``company ~ N(0, 1)``, ``section_mean ~ N(0, 0.3)`` (drawn once per corpus),
``size_effect`` = -0.25 / 0 / +0.35 for micro / small / medium and ``deviation ~ N(0, 0.5)``.
Each scored item then aims at the score ``100 * logistic(1.6 * (theta + difficulty + noise))``
(``difficulty ~ N(0, 0.35)`` per item and corpus, ``noise ~ N(0, 0.8)`` per answer) and
takes the answer on its own scale whose score under the shipped rules is nearest: a scale
point, a choice, a set of choices adding up to it, a number of rows or a figure. So a
section's score rises with its factor, the factors are the truth (``truth.json``) the
research tools must recover, and the answers stay on every item's scale.

Around that: provinces 40/40/20 % (100/100/50 of 250) with municipalities drawn from the
bank's own municipality choices by the province the bank derives; size classes with
consistent headcount, turnover and balance sheet; TOL 2008 industries; fictional names
and valid business ids; a few percent of items missing, skipped or "don't know"; and only
the items the bank's conditions show. The same seed gives the same bytes.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from asiakasarvo_engine.bank.answer_check import choices_of
from asiakasarvo_engine.bank.models import Bank, Item, QuestionType
from asiakasarvo_engine.bank.sample import sample_value
from asiakasarvo_engine.bank.ytunnus import check_digit
from asiakasarvo_engine.scoring.program import ItemProgram, ScoringProgram

PROVINCE_SHARES: tuple[tuple[str, float], ...] = (
    ("pohjois_karjala", 0.4), ("pohjois_savo", 0.4), ("etela_savo", 0.2))
"""The provinces of the programme and their shares (100/100/50 of 250, as in the seed)."""

SIZE_SHARES: tuple[tuple[str, float], ...] = (("micro", 0.6), ("small", 0.3), ("medium", 0.1))
SIZE_EFFECT: Mapping[str, float] = {"micro": -0.25, "small": 0.0, "medium": 0.35}
"""How much more mature, on the factor scale, a size class is on average."""

INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    # (TOL 2008 code, section letter, a word for the company name)
    ("25620", "C", "Konepaja"), ("16100", "C", "Saha"), ("10710", "C", "Leipomo"),
    ("31090", "C", "Kaluste"), ("41200", "F", "Rakennus"), ("43210", "F", "Sähkö"),
    ("43220", "F", "LVI"), ("46690", "G", "Tukku"), ("47190", "G", "Kauppa"),
    ("49410", "H", "Kuljetus"), ("55100", "I", "Hotelli"), ("56101", "I", "Ravintola"),
    ("62010", "J", "Ohjelmisto"), ("69201", "M", "Tilitoimisto"), ("71121", "M", "Suunnittelu"),
    ("73111", "M", "Mainostoimisto"), ("81210", "N", "Siivous"), ("02200", "A", "Metsäpalvelu"),
    ("86230", "Q", "Hammaslääkäri"), ("96021", "S", "Kampaamo"),
)
_SURNAMES = ("Lehtoranta", "Kivelä", "Hyvärinen", "Partanen", "Turunen", "Pesonen", "Miettinen",
             "Räsänen", "Korhonen", "Heikkinen", "Savolainen", "Karvonen", "Tikkanen", "Ruotsalainen",
             "Kinnunen", "Hämäläinen", "Pitkänen", "Toivanen", "Laitinen", "Koponen", "Huttunen",
             "Nevalainen", "Rönkkö", "Kettunen", "Voutilainen", "Väisänen", "Jääskeläinen", "Pakarinen")
_PLACES = ("Järvi", "Koski", "Salmi", "Harju", "Niemi", "Lahti", "Vaara", "Saari", "Kallio", "Ranta")
_ADVISORS = ("Pekka Räsänen", "Anna Kettunen", "Jari Miettinen", "Liisa Pesonen", "Mikko Huttunen")
_FORMS: tuple[tuple[str, float, str], ...] = (
    ("oy", 0.76, "Oy"), ("tmi", 0.1, "Tmi"), ("ky", 0.07, "Ky"), ("ay", 0.04, "Ay"),
    ("osuuskunta", 0.03, "osk"))

DONT_KNOW_RATE = 0.03
SKIPPED_RATE = 0.015
MISSING_RATE = 0.02
NOT_APPLICABLE_RATE = 0.01
"""Shares of the optional scored items left "don't know", skipped, with no answer at all,
and "not applicable" (where the scale allows it)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible answer (or, for a repeat group, its number of rows) and its score."""

    value: Any
    score: float


def _rng(label: str) -> random.Random:
    """A generator seeded by a label (a string seed is hashed with SHA-512: the same on
    every platform and Python version). Not for secrets: synthetic data only."""
    return random.Random(label)  # noqa: S311


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _target(theta: float, difficulty: float, rng: random.Random) -> float:
    return 100.0 * _logistic(1.6 * (theta + difficulty + rng.gauss(0.0, 0.8)))


_MATRIX_TRIES = 24
"""Sampled answers an expression-scored matrix is tried with."""


def _nearest(candidates: Sequence[Candidate], target: float, rng: random.Random) -> Any:
    best = min(abs(c.score - target) for c in candidates)
    tied = [c for c in candidates if abs(c.score - target) - best < 1e-9]
    return tied[0].value if len(tied) == 1 else rng.choice(tied).value


def _allocate(total: int, shares: Sequence[tuple[str, float]]) -> list[str]:
    """``total`` labels in the given shares, by largest remainder (100/100/50 of 250)."""
    exact = [(label, total * share) for label, share in shares]
    counts = {label: int(value) for label, value in exact}
    left = total - sum(counts.values())
    for label, _ in sorted(exact, key=lambda pair: -(pair[1] - int(pair[1])))[:left]:
        counts[label] += 1
    return [label for label, _ in shares for _ in range(counts[label])]


class _Generator:
    """The per-corpus parts: candidates of every scored item, municipalities, difficulties."""

    def __init__(self, program: ScoringProgram, seed: int) -> None:
        self.program = program
        self.bank: Bank = program.bank.loaded.bank
        self.seed = seed
        rng = _rng(f"synth:{seed}:corpus")
        self.section_ids = tuple(section.id for section in program.sections)
        self.section_mean = {sid: round(rng.gauss(0.0, 0.3), 4) for sid in self.section_ids}
        self.difficulty = {item.name: rng.gauss(0.0, 0.35) for item in program.items}
        self.item_programs = {item.name: item for item in program.items}
        self.candidates = {item.name: self._candidates(item) for item in program.items}
        self.municipalities = self._municipalities()

    def _municipalities(self) -> dict[str, list[str]]:
        """The bank's municipality choices grouped by the province the bank derives."""
        item = self.program.bank.items["basic_info.municipality"].item
        by_province: dict[str, list[str]] = {}
        for choice in choices_of(item, self.bank):
            state = self.program.bank.evaluate({"basic_info.municipality": choice.value})
            province = state.calculated.get("basic_info.province")
            if isinstance(province, str):
                by_province.setdefault(province, []).append(choice.value)
        return by_province

    def _score(self, item: ItemProgram, value: Any) -> float | None:
        state = self.program.bank.evaluate({item.name: value})
        return item.score(value, state.data)

    def _candidates(self, item: ItemProgram) -> list[Candidate]:
        """The answers an item can aim at, with their scores under the rules."""
        compiled = self.program.bank.items[item.name].item
        found: list[Candidate] = []
        if item.basis == "scale" and item.scale is not None:
            found = [Candidate(point, score) for point, score in item.scale.scores.items()]
        elif item.basis == "choices" and item.table is not None and not item.multi:
            for key, score in item.table.items():
                value: Any = key
                if compiled.type is QuestionType.BOOLEAN:
                    value = key == "true"
                found.append(Candidate(value, score))
        elif item.basis == "expression":
            rng = _rng(f"synth:{self.seed}:{item.name}")
            if compiled.type is QuestionType.SINGLE_CHOICE:  # each choice through the expression
                tried: list[Any] = [c.value for c in choices_of(compiled, self.bank)]
            elif compiled.type is QuestionType.MATRIX:  # sampled grids, each scored by the expression
                tried = [sample_value(compiled, self.bank, rng) for _ in range(_MATRIX_TRIES)]
            else:
                tried = _expression_values(compiled)
            for raw in tried:
                value = raw
                if compiled.type is QuestionType.REPEAT_GROUP:
                    value = self._rows(compiled, raw, rng)
                scored = self._score(item, value)
                if scored is not None:
                    found.append(Candidate(raw, scored))
        return found

    def _rows(self, item: Item, count: int, rng: random.Random) -> list[dict[str, Any]]:
        rows = [{field.id: sample_value(field, self.bank, rng) for field in item.items or []}
                for _ in range(count)]
        for index, row in enumerate(rows, start=1):
            for field in item.items or []:
                if field.id in {"name", "segment_name"}:
                    kind = rng.choice(("yhtiö", "ryhmä", "asiakkaat"))
                    row[field.id] = f"{rng.choice(_PLACES)}-{kind} {index}"
        return rows

    # --- one company -------------------------------------------------------------------

    def company(self, index: int, province: str, business_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The answers document and the truth of company ``index``."""
        rng = _rng(f"synth:{self.seed}:company:{index}")
        size = _pick(rng, SIZE_SHARES)
        form, suffix = _form(rng)
        code, letter, word = rng.choice(INDUSTRIES)
        name = f"{rng.choice(_SURNAMES)} {word} {suffix}" if form != "tmi" else \
            f"{word} {rng.choice(_SURNAMES)} {suffix}"
        company_factor = rng.gauss(0.0, 1.0)
        base = company_factor + SIZE_EFFECT[size]
        theta = {sid: round(base + self.section_mean[sid] + rng.gauss(0.0, 0.5), 4)
                 for sid in self.section_ids}
        municipality = rng.choice(self.municipalities[province])
        raw: dict[str, Any] = self._basics(rng, business_id, name, form=form, code=code,
                                                   municipality=municipality, size=size)
        self._fiscal_years(rng, raw, size)
        for section in self.bank.bodies():
            if section.id == "basic_info":
                continue
            for item in section.items:
                full = f"{section.id}.{item.id}"
                if full in raw:
                    continue
                entry = self._answer(full, item, theta.get(section.id), rng)
                if entry is not None:
                    raw[full] = entry
        self._consistent(raw, rng)
        answers = self._visible(raw)
        month, day = rng.randint(1, 11), rng.randint(1, 28)
        document = {
            "schema_version": "1.0", "kind": "answers",
            "bank": {"id": self.bank.id, "version": self.bank.version},
            "company": {"name": name, "business_id": business_id},
            "advisor": rng.choice(_ADVISORS),
            "date": f"2026-{month:02d}-{day:02d}",
            "answers": answers,
        }
        truth = {"business_id": business_id, "name": name, "province": province, "municipality": municipality,
                 "size_class": size, "industry": letter, "industry_code": code, "company_form": form,
                 "company_factor": round(company_factor, 4), "sections": theta}
        return document, truth

    def _basics(self, rng: random.Random, business_id: str, name: str, *, form: str, code: str,
                municipality: str, size: str) -> dict[str, Any]:
        headcount, turnover, balance = _size_figures(rng, size)
        owners = _owners(rng, 1 if form == "tmi" else rng.choice((1, 2, 2, 3, 4)))
        board = 0 if form in {"tmi", "ay", "ky"} else rng.choice((1, 2, 3, 3, 4, 5))
        raw: dict[str, Any] = {
            "basic_info.business_id": business_id, "basic_info.company_name": name,
            "basic_info.company_form": form, "basic_info.industry_code": code,
            "basic_info.industry_code_version": "tol2008",
            "basic_info.founding_year": rng.randint(1960, 2023),
            "basic_info.municipality": municipality,
            "basic_info.staff_headcount": headcount, "basic_info.turnover": turnover,
            "basic_info.balance_sheet_total": balance, "basic_info.ownership_links": "autonomous",
            "basic_info.owners": owners, "basic_info.board_members": board,
            "basic_info.customer_base": rng.choice(("b2b", "b2b", "b2c", "both")),
            "basic_info.customer_count": rng.randint(5, 2000),
            "basic_info.de_minimis_amount": rng.choice((0, 0, 5000, 12000, 23400, 40000)),
        }
        if board:
            raw["basic_info.outside_board_members"] = rng.random() < 0.3
        if rng.random() < 0.8:
            raw["basic_info.website"] = f"www.{_slug(name)}.fi"
        social = self.program.bank.items["basic_info.social_media"].item
        raw["basic_info.social_media"] = sample_value(social, self.bank, rng)
        return {key: value for key, value in raw.items() if key in self.program.bank.items}

    def _fiscal_years(self, rng: random.Random, raw: dict[str, Any], size: str) -> None:
        turnover = float(raw["basic_info.turnover"])
        balance = float(raw["basic_info.balance_sheet_total"])
        rows = []
        for back in range(rng.choice((2, 3, 3))):
            revenue = round(turnover * (1 - 0.06 * back + rng.gauss(0, 0.03)))
            margin = rng.gauss(0.05, 0.05)
            equity = round(balance * min(0.8, max(-0.1, rng.gauss(0.38, 0.18))))
            rows.append({
                "year": 2025 - back, "revenue": max(0, revenue),
                "ebitda": round(revenue * (margin + 0.03)), "operating_profit": round(revenue * margin),
                "net_profit": round(revenue * margin * 0.78), "equity": equity,
                "total_assets": round(balance * (1 - 0.04 * back)),
                "current_assets": round(balance * 0.45), "current_liabilities": round(balance * 0.3),
                "cash": round(balance * max(0.01, rng.gauss(0.1, 0.05)))})
        raw["financial_position.fiscal_years"] = rows
        raw["financial_position.figures_source"] = rng.choice(("audited", "audited", "unaudited"))
        figures = self.program.bank.items.get("financial_position.figures_source")
        if figures is not None:
            allowed = [c.value for c in choices_of(figures.item, self.bank)]
            if raw["financial_position.figures_source"] not in allowed:
                raw["financial_position.figures_source"] = allowed[0]

    def _answer(self, name: str, item: Item, theta: float | None, rng: random.Random) -> Any:
        """An item's raw answer (a bare value or a long-form status), None for no entry."""
        candidates = self.candidates.get(name)
        required = item.required
        if candidates is None:  # not scored: described, not measured
            if not required and rng.random() < 0.06:
                return None
            plausible = _PLAUSIBLE.get(name)
            return plausible(rng) if plausible is not None else sample_value(item, self.bank, rng)
        assert theta is not None
        if not required:
            draw = rng.random()
            scale = self.bank.scales.get(item.scale or "")
            if draw < DONT_KNOW_RATE and (scale is None or scale.allow_dont_know):
                return {"status": "dont_know"}
            draw -= DONT_KNOW_RATE
            if draw < SKIPPED_RATE:
                return {"status": "skipped"}
            draw -= SKIPPED_RATE
            if draw < MISSING_RATE:
                return None
            draw -= MISSING_RATE
            if draw < NOT_APPLICABLE_RATE and scale is not None and scale.allow_not_applicable:
                return {"status": "not_applicable"}
        target = _target(theta, self.difficulty[name], rng)
        program = self.item_programs[name]
        if program.basis == "choices" and program.multi and program.table is not None:
            return self._multi(item, program.table, target, rng)
        if program.basis == "columns":
            return self._matrix(item, program, theta, name, rng)
        value = _nearest(candidates, target, rng)
        if item.type is QuestionType.REPEAT_GROUP:
            return self._rows(item, int(value), rng)
        return value

    def _multi(self, item: Item, table: Mapping[str, float], target: float, rng: random.Random) -> list[str]:
        choices = choices_of(item, self.bank)
        scoring = [c.value for c in choices if table.get(c.value, 0) > 0 and not c.exclusive]
        zero = [c.value for c in choices if table.get(c.value, 0) == 0]
        limit = item.validation.max_count if item.validation and item.validation.max_count else len(scoring)
        rng.shuffle(scoring)
        chosen: list[str] = []
        total = 0.0
        for value in scoring:
            if total >= target or len(chosen) >= limit:
                break
            step = table[value]
            if total + step / 2 > target and chosen:
                break
            chosen.append(value)
            total += step
        if total < target / 2 and not chosen and zero:
            return [zero[0]]
        if not chosen:
            chosen = [min(scoring, key=lambda v: table[v])] if scoring else [choices[0].value]
        order = [c.value for c in choices]
        return sorted(chosen, key=order.index)

    def _matrix(self, item: Item, program: ItemProgram, theta: float, name: str,
                rng: random.Random) -> dict[str, dict[str, int]]:
        scored = dict(program.columns)
        value: dict[str, dict[str, int]] = {}
        for row in item.rows or []:
            cells: dict[str, int] = {}
            for column in item.columns or []:
                lookup = scored.get(column.id)
                if lookup is None:
                    cells[column.id] = rng.choice(self.bank.scales[column.scale].points).value
                else:
                    options = [Candidate(point, score) for point, score in lookup.scores.items()]
                    cells[column.id] = int(_nearest(options, _target(theta, self.difficulty[name], rng), rng))
            value[row.id] = cells
        return value

    def _consistent(self, raw: dict[str, Any], rng: random.Random) -> None:
        """Answers that must agree with each other do: the largest customer's share is
        within the five largest customers' share."""
        top5 = raw.get("business_model.top5_customer_share")
        if isinstance(top5, int | float) and not isinstance(top5, bool):
            raw["basic_info.largest_customer_share"] = round(rng.uniform(top5 / 5, top5))
        else:
            raw["basic_info.largest_customer_share"] = rng.randint(5, 60)

    def _visible(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Only the items the bank's conditions show, in bank order."""
        values = {name: value for name, value in raw.items()
                  if not (isinstance(value, dict) and "status" in value and len(value) == 1)}
        hidden = self.program.bank.evaluate(values).hidden
        return {name: raw[name] for name in self.program.bank.items if name in raw and name not in hidden}


_PLAUSIBLE: Mapping[str, Any] = {
    "owner_strategy.operating_profit_target": lambda rng: round(rng.uniform(2, 15), 1),
    "owner_strategy.solvency_target": lambda rng: rng.randint(20, 60),
    "superior_customer_value.nps_value": lambda rng: rng.randint(-20, 70),
    "superior_customer_value.nps_respondents": lambda rng: rng.randint(5, 80),
    "financial_position.fiscal_year_end_month":
        lambda rng: 12 if rng.random() < 0.85 else rng.choice((4, 6, 8)),
    "supporting_competence.path_participants": lambda rng: rng.randint(1, 5),
}
"""Plausible figures for unscored numbers (uniform over the item's bounds would not be)."""


def _expression_values(item: Item) -> list[Any]:
    """Values an expression-scored item is tried with: row counts of a group, figures of a number."""
    validation = item.validation
    low = validation.min if validation and validation.min is not None else 0.0
    high = validation.max if validation and validation.max is not None else 100.0
    if item.type is QuestionType.REPEAT_GROUP:
        most = int(validation.max_count) if validation and validation.max_count else 5
        least = int(validation.min_count) if validation and validation.min_count else 0
        return list(range(least, min(most, 5) + 1))
    if item.type is QuestionType.PERCENT:
        return list(range(max(0, int(low)), min(100, int(high)) + 1, 5))
    if item.type in {QuestionType.INTEGER, QuestionType.YEAR}:
        return sorted({int(low + (high - low) * f) for f in (0, 0.02, 0.05, 0.08, 0.12, 0.2, 0.3, 0.5)})
    return [round(low + (high - low) * f, 2) for f in (0, 0.1, 0.25, 0.5, 0.75, 1)]


def _pick(rng: random.Random, shares: Sequence[tuple[str, float]]) -> str:
    draw = rng.random()
    for label, share in shares:
        if draw < share:
            return label
        draw -= share
    return shares[-1][0]


def _form(rng: random.Random) -> tuple[str, str]:
    draw = rng.random()
    for form, share, suffix in _FORMS:
        if draw < share:
            return form, suffix
        draw -= share
    return _FORMS[0][0], _FORMS[0][2]


def _size_figures(rng: random.Random, size: str) -> tuple[int, int, int]:
    """Headcount, turnover and balance sheet that put a company in ``size`` (EU SME)."""
    if size == "micro":
        return rng.randint(1, 9), rng.randint(80, 1900) * 1000, rng.randint(30, 1800) * 1000
    if size == "small":
        return rng.randint(10, 49), rng.randint(2100, 9500) * 1000, rng.randint(1000, 9000) * 1000
    return rng.randint(50, 249), rng.randint(10500, 45000) * 1000, rng.randint(8000, 40000) * 1000


def _owners(rng: random.Random, count: int) -> list[dict[str, Any]]:
    cuts = sorted(rng.sample(range(5, 96), count - 1)) if count > 1 else []
    bounds = [0, *cuts, 100]
    family = rng.choice(_SURNAMES)
    first = ("Timo", "Janne", "Marja", "Kari", "Satu", "Heikki", "Anu", "Ville", "Tiina", "Olli")
    owners = []
    for index in range(count):
        owners.append({"name": f"{rng.choice(first)} {family}", "owner_type": "person",
                       "share": bounds[index + 1] - bounds[index],
                       "roles": ["ceo"] if index == 0 else [rng.choice(("board_member", "employee",
                                                                         "management"))],
                       "active": index == 0 or rng.random() < 0.6,
                       "generation": rng.choice(("gen1", "gen1", "gen2", "gen3"))})
    return owners


def _slug(name: str) -> str:
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a", " ": ""})
    return "".join(ch for ch in name.lower().translate(table) if ch.isalnum())[:40]


def business_ids(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct, valid, made-up business ids."""
    found: list[str] = []
    seen: set[str] = set()
    while len(found) < count:
        digits = f"{rng.randint(1000000, 3299999):07d}"
        check = check_digit(digits)
        if check is None or digits in seen:
            continue
        seen.add(digits)
        found.append(f"{digits}-{check}")
    return found


_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter when PyYAML has it (about ten times faster; the same text for these
documents, which a test checks), else PyYAML's own."""


@dataclass(frozen=True)
class SynthCorpus:
    """What ``synthesize`` wrote: the answers files and the truth file."""

    files: tuple[Path, ...]
    truth: Path


def synthesize(program: ScoringProgram, companies: int, seed: int, out: str | Path) -> SynthCorpus:
    """Write ``companies`` synthetic answers files and ``truth.json`` to ``out``.

    The files are named ``company-NNN.answers.yaml``; the same ``seed`` (and bank and
    rules) gives the same bytes. See the module docstring for the latent structure.
    """
    if companies < 1:
        raise ValueError("companies must be at least 1")
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    generator = _Generator(program, seed)
    rng = _rng(f"synth:{seed}:assign")
    provinces = _allocate(companies, PROVINCE_SHARES)
    rng.shuffle(provinces)
    ids = business_ids(companies, rng)
    width = max(3, len(str(companies)))
    files: list[Path] = []
    truths: list[dict[str, Any]] = []
    for index in range(companies):
        document, truth = generator.company(index + 1, provinces[index], ids[index])
        path = target / f"company-{index + 1:0{width}d}.answers.yaml"
        header = (f"# Synthetic analysis {index + 1} of {companies} (asiakasarvo research synth, "
                  f"seed {seed}).\n# The company, its people and its business id are made up.\n")
        text = yaml.dump(document, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100)
        path.write_text(header + text, encoding="utf-8")
        files.append(path)
        truths.append({"file": path.name, **truth})
    truth_document = {
        "seed": seed, "companies": companies,
        "bank": {"id": program.bank.loaded.bank.id, "version": program.bank.loaded.bank.version},
        "rules": {"id": program.rules.rules.id, "version": program.rules.rules.version},
        "model": ("theta[company, section] = company_factor + section_mean[section] + size_effect[size_class]"
                  " + N(0, 0.5); company_factor ~ N(0, 1); an item aims at 100 * logistic(1.6 * (theta + "
                  "difficulty + N(0, 0.8))) and takes the answer whose score is nearest"),
        "section_mean": generator.section_mean, "size_effect": dict(SIZE_EFFECT),
        "rates": {"dont_know": DONT_KNOW_RATE, "skipped": SKIPPED_RATE, "missing": MISSING_RATE,
                  "not_applicable": NOT_APPLICABLE_RATE},
        "analyses": truths,
    }
    truth_path = target / "truth.json"
    truth_path.write_text(json.dumps(truth_document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return SynthCorpus(tuple(files), truth_path)
