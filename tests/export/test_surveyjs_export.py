"""``export-bank --format surveyjs``: structure, texts, translated conditions and coded refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from asiakasarvo_engine.bank.answer_check import choices_of
from asiakasarvo_engine.bank.expressions import known_names, sites, to_json_logic
from asiakasarvo_engine.bank.load import load_bank
from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.export.surveyjs import export_surveyjs
from asiakasarvo_engine.export.surveyjs_logic import Translator, UntranslatableError

ROOT = Path(__file__).resolve().parents[2]
FEEDBACK = ROOT / "question_banks" / "palaute" / "bank.yaml"


def _elements(survey: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for page in survey["pages"] for e in page["elements"]}


def test_feedback_bank_exports_page_per_section_with_both_languages() -> None:
    loaded = load_bank(FEEDBACK)
    export = export_surveyjs(loaded, "both")
    assert export.diagnostics == ()
    survey = export.survey
    assert survey is not None
    assert [p["name"] for p in survey["pages"]] == [s.id for s in loaded.bank.bodies()]
    assert survey["locale"] == "fi"
    assert survey["clearInvisibleValues"] == "onHidden"
    assert survey["pages"][0]["title"] == {"default": "Respondent and privacy",
                                           "fi": "Vastaaja ja tietosuoja"}
    elements = _elements(survey)
    assert len(elements) == sum(len(s.items) for s in loaded.bank.bodies())
    usefulness = elements["module_2.usefulness"]
    assert usefulness["type"] == "rating"
    assert usefulness["isRequired"] is True
    assert [v["value"] for v in usefulness["rateValues"]] == [1, 2, 3, 4, 5]
    assert usefulness["rateValues"][0]["text"] == {"default": "Not at all useful",
                                                   "fi": "Ei lainkaan hyödyllinen"}
    assert usefulness["visibleIf"] == "({respondent.survey} notempty and {respondent.survey} = 'module_2')"
    themes = elements["module_2.themes"]
    assert themes["type"] == "matrixdropdown"
    assert [r["value"] for r in themes["rows"]] == ["board_work", "responsibility", "ai",
                                                    "knowledge_management"]
    assert themes["columns"][0]["name"] == "useful"
    assert [c["value"] for c in themes["columns"][0]["choices"]] == [1, 2, 3, 4, 5]
    actions = elements["follow_up.implemented_actions"]
    assert actions["type"] == "paneldynamic"
    assert [f["name"] for f in actions["templateElements"]] == ["action", "module", "status"]
    assert actions["maxPanelCount"] == 10
    assert actions["requiredIf"] == ("({follow_up.plan_status} notempty and {follow_up.plan_status} "
                                     "anyof ['partly', 'mostly', 'completed'])")
    barriers = elements["follow_up.barriers"]
    assert barriers["type"] == "checkbox"
    assert [c["value"] for c in barriers["choices"] if c.get("isExclusive")] == ["nothing"]
    assert elements["module_1.trainer_improve"]["visibleIf"] == (
        "({module_1.trainer} notempty and ({module_1.trainer} empty or {module_1.trainer} <= 2))")
    assert elements["follow_up.metric_name"]["requiredIf"] == (
        "({follow_up.metric_in_use} notempty and {follow_up.metric_in_use} = true)")


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_one_language_gives_plain_strings(lang: str) -> None:
    loaded = load_bank(FEEDBACK)
    survey = export_surveyjs(loaded, lang).survey  # type: ignore[arg-type]
    assert survey is not None
    role = _elements(survey)["respondent.role"]
    item = loaded.bank.bodies()[0].items[2]
    assert role["title"] == item.text[lang]
    assert role["choices"][0]["text"] == (item.choices or [])[0].label[lang]
    assert ("locale" in survey) is (lang == "fi")


def _translator(**questions: Any) -> Translator:
    from asiakasarvo_engine.bank.models import Item

    items = {name.replace("__", "."): Item.model_validate(spec) for name, spec in questions.items()}
    choices = {name: frozenset(c.value for c in item.choices or []) for name, item in items.items()}
    return Translator(items, choices)


LIKERT = {"id": "x", "type": "likert", "scale": "s", "text": {"fi": "x", "en": "x"}}
CHOICE = {"id": "c", "type": "single_choice", "text": {"fi": "c", "en": "c"},
          "choices": [{"value": "a", "label": {"fi": "a", "en": "a"}},
                      {"value": "b", "label": {"fi": "b", "en": "b"}}]}
MULTI = {**CHOICE, "id": "m", "type": "multi_choice"}
TEXT = {"id": "t", "type": "short_text", "text": {"fi": "t", "en": "t"}}


@pytest.mark.parametrize(("rule", "expected"), [
    ({"<": [{"var": "s.x"}, 3]}, "({s.x} empty or {s.x} < 3)"),  # null reads as 0, and 0 < 3
    ({">": [{"var": "s.x"}, 3]}, "({s.x} notempty and {s.x} > 3)"),
    ({"<": [3, {"var": "s.x"}]}, "({s.x} notempty and {s.x} > 3)"),
    ({">=": [{"var": "s.x"}, -1]}, "({s.x} empty or {s.x} >= -1)"),
    ({"==": [{"var": "s.x"}, None]}, "{s.x} empty"),
    ({"!=": [{"var": "s.c"}, "a"]}, "({s.c} empty or {s.c} != 'a')"),
    ({"!": {"in": ["a", {"var": "s.m"}]}}, "!(({s.m} notempty and {s.m} contains 'a'))"),
    ({"or": [{"in": [{"var": "s.c"}, ["a", "b"]]}, {"==": [{"var": "s.x"}, 2.5]}]},
     "(({s.c} notempty and {s.c} anyof ['a', 'b']) or ({s.x} notempty and {s.x} = 2.5))"),
    ({"!!": [{"in": [{"var": "s.c"}, []]}]}, "false"),
])
def test_translations(rule: Any, expected: str) -> None:
    translator = _translator(s__x=LIKERT, s__c=CHOICE, s__m=MULTI, s__t=TEXT)
    assert translator.condition(rule) == expected


@pytest.mark.parametrize(("rule", "pointer"), [
    ({"if": [{"var": "s.x"}, True, False]}, "/if"),
    ({"<": [{"+": [{"var": "s.x"}, 1]}, 3]}, "/<"),
    ({"==": [{"var": "s.x"}, {"var": "s.c"}]}, "/=="),
    ({"and": [{"==": [{"var": "s.c"}, "a"]}, {"==": [{"var": "s.t"}, None]}]}, "/and/1/=="),
    ({"==": [{"var": "s.c"}, "A"]}, "/==/1"),  # not a choice: SurveyJS would ignore the case
    ({"==": [{"var": "s.x"}, "3"]}, "/==/1"),  # loose equality would convert the text
    ({"in": ["a", {"var": "s.t"}]}, "/in/1"),  # a substring search in JSON Logic
    ({"==": [{"var": "s.gone"}, 1]}, "/==/0/var"),
    ({"<": [{"var": "s.c"}, 1]}, "/<"),
    ({"var": "s.x"}, "/var"),
    ({"!": [{"var": ["s.x", 1]}]}, "/!/0/var"),
])
def test_outside_the_subset_is_refused_where_it_is(rule: Any, pointer: str) -> None:
    translator = _translator(s__x=LIKERT, s__c=CHOICE, s__m=MULTI, s__t=TEXT)
    with pytest.raises(UntranslatableError) as caught:
        translator.condition(rule)
    assert caught.value.pointer == pointer
    assert caught.value.found and caught.value.found_fi


BANK = """\
schema_version: "1.0"
kind: question_bank
id: mini
version: 1.0.0
title: {fi: Mini, en: Mini}
scales:
  s5:
    title: {fi: A, en: A}
    points:
      - {value: 1, label: {fi: "1", en: "1"}}
      - {value: 2, label: {fi: "2", en: "2"}}
sections:
  - id: s
    title: {fi: S, en: S}
    items:
      - id: x
        type: likert
        scale: s5
        text: {fi: X, en: X}
      - id: y
        type: short_text
        text: {fi: Y, en: Y}
        visible_if: {"if": [{"var": "s.x"}, true, false]}
      - id: z
        type: short_text
        text: {fi: Z, en: Z}
        visible_if: "s.x_twice > 2"
        required_if: {"and": [true, {"<": [{"var": "s.x"}, {"var": "s.x"}]}]}
      - id: ok
        type: short_text
        text: {fi: OK, en: OK}
        visible_if: "s.x >= 2"
    calculated:
      - id: x_twice
        title: {fi: K, en: K}
        expression: "s.x * 2"
"""


def test_every_untranslatable_condition_is_an_error_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    export = export_surveyjs(load_bank(path), "fi")
    assert export.survey is None
    found = [(d.code, d.pointer, d.span.line if d.span else None) for d in export.diagnostics]
    lines = BANK.splitlines()

    def line(start: str) -> int:
        return next(n for n, text in enumerate(lines, 1) if text.strip().startswith(start))

    assert found == [
        ("SJS-001", "/sections/0/items/1/visible_if/if", line('visible_if: {"if"')),
        ("SJS-001", "/sections/0/items/2/visible_if", line('visible_if: "s.x_twice')),
        ("SJS-001", "/sections/0/items/2/required_if/and/1/<", line("required_if:")),
    ]
    z = export.diagnostics[1]
    assert "s.z visible_if" in z.message("en") and "'s.x_twice'" in z.message("en")
    assert "s.z visible_if" in z.message("fi") and "laskennallinen" in z.message("fi")


def test_main_bank_is_refused_with_each_condition_outside_the_subset() -> None:
    loaded = load_bank()
    export = export_surveyjs(loaded, "both")
    assert export.survey is None
    assert export.diagnostics
    assert {d.code for d in export.diagnostics} == {"SJS-001"}
    _, calculated = known_names(loaded.bank)
    reported = {d.pointer for d in export.diagnostics}
    reads_calculated = [site.pointer for site in sites(loaded.bank) if site.kind != "calculated"
                        and any(name in json.dumps(to_json_logic(site.source)) for name in calculated)]
    assert reads_calculated
    for pointer in reads_calculated:
        assert any(p == pointer or p.startswith(pointer + "/") for p in reported), pointer
    for diagnostic in export.diagnostics:
        assert diagnostic.span is not None and diagnostic.span.line is not None
        assert "_if" in diagnostic.pointer
    # Every refused condition is reported, each once, not only the first one met.
    questions = {f"{b.id}.{i.id}": i for b in loaded.bank.bodies() for i in b.items}
    translator = Translator(questions, {n: frozenset(c.value for c in choices_of(i, loaded.bank))
                                        for n, i in questions.items()})
    refused = set()
    for site in sites(loaded.bank):
        if site.kind == "calculated" or (site.kind == "required_if" and questions[site.owner].required):
            continue
        try:
            translator.condition(to_json_logic(site.source))
        except UntranslatableError:
            refused.add(site.pointer)
    assert len(export.diagnostics) == len(refused)
    assert {next(s for s in refused if p == s or p.startswith(s + "/")) for p in reported} == refused


def test_cli_writes_the_survey_and_refuses_with_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "palaute.surveyjs.json"
    done = runner.invoke(cli, ["--lang", "en", "export-bank", str(FEEDBACK), "--format", "surveyjs",
                               "--lang", "fi", "-o", str(out)])
    assert done.exit_code == 0, done.output
    survey = json.loads(out.read_text(encoding="utf-8"))
    assert survey["pages"][1]["title"] == "Palaute asiakasarvoanalyysista"
    refused = runner.invoke(cli, ["--lang", "en", "export-bank"])
    assert refused.exit_code == 1
    assert "error SJS-001" in refused.output and "not exported" in refused.output
    unknown = runner.invoke(cli, ["export-bank", str(FEEDBACK), "--section", "module_9"])
    assert unknown.exit_code == 1 and "SJS-003" in unknown.output
    alone = runner.invoke(cli, ["export-bank", str(FEEDBACK), "--section", "module_1"])
    assert alone.exit_code == 1 and "SJS-001" in alone.output and "respondent.survey" in alone.output
    pair = runner.invoke(cli, ["export-bank", str(FEEDBACK), "--section", "respondent", "--section",
                               "module_1"])
    assert pair.exit_code == 0, pair.output
    assert [p["name"] for p in json.loads(pair.output)["pages"]] == ["respondent", "module_1"]
