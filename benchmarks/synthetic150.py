"""The shared synthetic 150-question workload as a bank and a rule set of this engine.

``../shared/bench/synthetic150.json`` (see its README) is a SurveyJS-like questionnaire:
9 sections, 150 questions, JSON Logic conditions over bare question ids. This module turns
it into the engine's formats, in memory:

* questions: radiogroup -> single_choice, rating -> likert on a 1-5 scale, checkbox ->
  multi_choice, text -> short_text, number -> number; ``required``, ``visible_if`` and
  ``required_if`` carried over;
* calculated values and the three expressions -> calculated values (``cv_sN_*`` in
  section ``sN``, ``cv_total``/``cv_band`` and the expressions in the section the file
  names, else the last section);
* every variable is qualified with its section (``q003`` -> ``s1.q003``);
* a minimal rule set: the rating items of each section scored on an even 0-100 scale,
  the rest declared unscored, five levels.

The documents are loaded through the ordinary loaders (schema, lint, compile), from a
temporary folder. Used by ``benchmarks/bench_interview.py`` and the interview tests.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asiakasarvo_engine.scoring.program import ScoringProgram, load_program

SHARED = Path(os.environ.get("ASIAKASARVO_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")
BENCH = SHARED / "bench"
WORKLOAD = BENCH / "synthetic150.json"
ANSWERS = BENCH / "answers150.json"

_TYPES = {"radiogroup": "single_choice", "rating": "likert", "checkbox": "multi_choice",
          "text": "short_text", "number": "number"}
AGENDA_MINUTES = 20


def _text(fi: str, en: str) -> dict[str, str]:
    return {"fi": fi, "en": en}


@dataclass(frozen=True)
class Workload:
    """The converted workload: the program, the script of answers and the expected end state."""

    program: ScoringProgram
    answers: list[tuple[str, Any]]
    """``(section.item, value)`` in the order the advisor gives them."""
    expected: dict[str, Any]
    """``expected_after_answers`` of the workload file, names qualified."""
    names: dict[str, str]
    """Bare workload id -> ``section.id``."""


def _qualify(rule: Any, names: dict[str, str]) -> Any:
    """The rule with every ``var`` naming a question or calculated value qualified."""
    if isinstance(rule, list):
        return [_qualify(part, names) for part in rule]
    if not isinstance(rule, dict):
        return rule
    out: dict[str, Any] = {}
    for op, args in rule.items():
        if op == "var":
            if isinstance(args, str):
                out[op] = names.get(args, args)
            elif isinstance(args, list) and args and isinstance(args[0], str):
                out[op] = [names.get(args[0], args[0]), *(_qualify(a, names) for a in args[1:])]
            else:
                out[op] = _qualify(args, names)
        else:
            out[op] = _qualify(args, names)
    return out


def _calc_section(calc_id: str, sections: list[str], given: str | None) -> str:
    if given:
        return given
    for section in sections:
        if calc_id.startswith(f"cv_{section}_"):
            return section
    return sections[-1]


def documents(workload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(bank document, rules document, bare id -> qualified name) for a workload file's data."""
    sections = [s["id"] for s in workload["sections"]]
    names: dict[str, str] = {q["id"]: f"{q['section']}.{q['id']}" for q in workload["questions"]}
    calcs = [(c, _calc_section(c["id"], sections, c.get("section")))
             for c in [*workload["calculated_values"], *workload["expressions"]]]
    names.update({c["id"]: f"{section}.{c['id']}" for c, section in calcs})
    bodies: dict[str, dict[str, Any]] = {
        s["id"]: {"id": s["id"], "title": _text(f"Osio {s['id'][1:]}", s.get("title") or s["id"]),
                  "agenda_minutes": AGENDA_MINUTES, "items": [], "calculated": []}
        for s in workload["sections"]}
    rated: dict[str, list[str]] = {s: [] for s in sections}
    unscored: dict[str, dict[str, str]] = {s: {} for s in sections}
    for q in workload["questions"]:
        number = q["id"].lstrip("q").lstrip("0") or "0"
        item: dict[str, Any] = {"id": q["id"], "type": _TYPES[q["type"]],
                                "text": _text(f"Kysymys {number}", q.get("title") or q["id"])}
        if q["type"] in ("radiogroup", "checkbox"):
            item["choices"] = [{"value": c, "label": _text(c, c)} for c in q["choices"]]
        if q["type"] == "rating":
            item["scale"] = "rating5"
            rated[q["section"]].append(q["id"])
        else:
            unscored[q["section"]][q["id"]] = f"a {q['type']} question; only ratings score"
        if q.get("required"):
            item["required"] = True
        if q.get("visible_if") is not None:
            item["visible_if"] = _qualify(q["visible_if"], names)
        if q.get("required_if") is not None:
            item["required_if"] = _qualify(q["required_if"], names)
        bodies[q["section"]]["items"].append(item)
    for calc, section in calcs:
        bodies[section]["calculated"].append({"id": calc["id"], "title": _text(calc["id"], calc["id"]),
                                              "expression": _qualify(calc["expression"], names)})
    bank = {
        "schema_version": "1.0", "kind": "question_bank", "id": "synthetic150", "version": "1.0.0",
        "title": _text("Synteettinen 150 kysymyksen kysely", "Synthetic 150-question questionnaire"),
        "scales": {"rating5": {
            "title": _text("Arvio 1-5", "Rating 1-5"),
            "points": [{"value": v, "label": _text(str(v), str(v))} for v in range(1, 6)]}},
        "sections": [bodies[s] for s in sections]}
    level_names = [("Alku", "Initial"), ("Kehittyvä", "Developing"), ("Vakiintunut", "Established"),
                   ("Järjestelmällinen", "Systematic"), ("Edelläkävijä", "Leading")]
    policy_text = _text("Synteettinen.", "Synthetic.")
    rules = {
        "schema_version": "1.0", "kind": "scoring_rules", "id": "synthetic150", "version": "1.0.0",
        "title": _text("Synteettisen kyselyn pisteytys", "Scoring of the synthetic questionnaire"),
        "bank": {"id": "synthetic150"},
        "missing_data": {
            "version": "1.0.0",
            "answered": {"completeness": "answered", "description": policy_text},
            "dont_know": {"completeness": "missing", "description": policy_text},
            "not_applicable": {"completeness": "excluded", "description": policy_text},
            "skipped": {"completeness": "missing", "description": policy_text},
            "hidden": {"completeness": "excluded", "description": policy_text}},
        "scales": {"rating5": {"scores": [0, 25, 50, 75, 100]}},
        "sections": {s: {"weight": 1, "min_answered_share": 0.5,
                         "items": {q: {} for q in rated[s]}, "unscored": unscored[s]}
                     for s in sections if rated[s]},
        "descriptive_sections": {s: "no rating questions" for s in sections if not rated[s]},
        "levels": [{"level": n + 1, "min_score": 20 * n, "name": _text(*level_names[n]),
                    "description": _text(*level_names[n])} for n in range(5)]}
    return bank, rules, names


def load_workload(path: Path = WORKLOAD, answers: Path = ANSWERS) -> Workload:
    """Convert and compile the workload; read the answer script."""
    workload = json.loads(path.read_text(encoding="utf-8"))
    bank, rules, names = documents(workload)
    with tempfile.TemporaryDirectory(prefix="synthetic150-") as folder:
        bank_path = Path(folder) / "bank.json"
        rules_path = Path(folder) / "rules.json"
        bank_path.write_text(json.dumps(bank), encoding="utf-8")
        rules_path.write_text(json.dumps(rules), encoding="utf-8")
        program = load_program(rules_path, bank_path)
    script = [(names[qid], value) for qid, value in json.loads(answers.read_text(encoding="utf-8"))]
    expected = dict(workload["expected_after_answers"])
    expected["hidden_ids"] = [names[q] for q in expected["hidden_ids"]]
    expected["calculated_values"] = {names[k]: v for k, v in expected["calculated_values"].items()}
    expected["expressions"] = {names[k]: v for k, v in expected["expressions"].items()}
    return Workload(program, script, expected, names)


def available() -> bool:
    """Whether the shared workload files are there (they live beside the repository)."""
    return WORKLOAD.is_file() and ANSWERS.is_file()


def end_state_problems(workload: Workload, hidden: Collection[str], required: Collection[str],
                       calculated: Mapping[str, Any]) -> list[str]:
    """How an evaluated state differs from the workload's documented end state (empty: it matches)."""
    expected = workload.expected
    items = len(workload.program.bank.items)
    problems = []
    if items - len(hidden) != expected["visible_questions"]:
        problems.append(f"{items - len(hidden)} visible, expected {expected['visible_questions']}")
    if sorted(hidden) != sorted(expected["hidden_ids"]):
        problems.append(f"hidden {sorted(set(hidden) ^ set(expected['hidden_ids']))} differ")
    if len(required) != expected["required_visible_questions"]:
        problems.append(f"{len(required)} visible and required, "
                        f"expected {expected['required_visible_questions']}")
    for name, value in {**expected["calculated_values"], **expected["expressions"]}.items():
        got = calculated.get(name)
        if isinstance(value, float) and isinstance(got, int | float):
            same = abs(got - value) < 1e-9
        else:
            same = type(got) is type(value) and got == value
        if not same:
            problems.append(f"{name} = {got!r}, expected {value!r}")
    return problems
