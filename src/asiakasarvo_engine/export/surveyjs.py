"""A question bank as a SurveyJS survey (the JSON that survey-core's ``Model`` takes).

One page per section; one question per item, named ``section.item`` like the engine's
answers, so a SurveyJS result maps back to an answers file key for key and value for
value (a matrix is ``{row: {column: point}}``, a repeat group a list of entries). Texts are
plain strings in one language, or with ``lang="both"`` SurveyJS's localizable form
``{"default": English, "fi": Finnish}`` with the survey's ``locale`` set to Finnish.
``visible_if`` and ``required_if`` become ``visibleIf`` and ``requiredIf`` through
:mod:`asiakasarvo_engine.export.surveyjs_logic`; the survey clears a question's value when
it is hidden (``clearInvisibleValues: "onHidden"``), as the engine leaves a hidden item's
answer out of every condition. What SurveyJS cannot say exactly is refused with SJS-001 (a
condition) or SJS-002 (an item), each at its file, line, column and JSON pointer; nothing
is exported then.

Left out on purpose, as neither changes which questions are shown or required: the
calculated values (the engine computes them from the answers) and the "don't know" / "not
applicable" statuses (a status, not a value, in the engine's answers).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.bank.answer_check import choices_of
from asiakasarvo_engine.bank.expressions import to_json_logic
from asiakasarvo_engine.bank.load import LoadedBank
from asiakasarvo_engine.bank.models import Bank, Item, QuestionType, Scale, SectionBody
from asiakasarvo_engine.diagnostics import Diagnostic, make, rank
from asiakasarvo_engine.export.surveyjs_logic import Translator, UntranslatableError

Lang = Literal["fi", "en", "both"]
LANGS: tuple[Lang, ...] = ("fi", "en", "both")

_NUMBER_INPUTS = {QuestionType.INTEGER, QuestionType.NUMBER, QuestionType.MONEY, QuestionType.PERCENT,
                  QuestionType.YEAR}
_BUSINESS_ID = r"^[0-9]{7}-[0-9]$"


@dataclass(frozen=True, slots=True)
class SurveyExport:
    """The survey JSON (None when something could not be exported) and the problems."""

    survey: dict[str, Any] | None
    diagnostics: tuple[Diagnostic, ...]


def export_surveyjs(loaded: LoadedBank, lang: Lang = "both",
                    sections: Iterable[str] | None = None) -> SurveyExport:
    """The bank as a SurveyJS survey, or every reason it cannot be one (SJS-001, SJS-002,
    SJS-003 for an unknown section). ``sections`` limits the export to those section ids,
    in bank order; a condition that reads a question left out is then refused."""
    bank = loaded.bank
    bodies = bank.bodies()
    wanted = None if sections is None else list(dict.fromkeys(sections))
    problems: list[Diagnostic] = []
    known = [body.id for body in bodies]
    for section_id in wanted or []:
        if section_id not in known:
            problems.append(make("SJS-003", found=section_id, expected=", ".join(known)))
    chosen = [(index, body) for index, body in enumerate(bodies) if wanted is None or body.id in wanted]
    questions = {f"{body.id}.{item.id}": item for _, body in chosen for item in body.items}
    choices = {name: frozenset(c.value for c in choices_of(item, bank)) for name, item in questions.items()
               if item.type in {QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE}}
    writer = _Writer(loaded, lang, Translator(questions, choices), problems)
    pages = [writer.page(body, jp.join("/sections", index)) for index, body in chosen]
    survey: dict[str, Any] = {"title": writer.text(bank.title)}
    if bank.description:
        survey["description"] = writer.text(bank.description)
    if lang != "en":
        survey["locale"] = "fi"
    survey["clearInvisibleValues"] = "onHidden"
    survey["pages"] = pages
    found = rank(problems)
    return SurveyExport(None if found else survey, found)


@dataclass
class _Writer:
    loaded: LoadedBank
    lang: Lang
    translator: Translator
    problems: list[Diagnostic]

    @property
    def bank(self) -> Bank:
        return self.loaded.bank

    def text(self, text: dict[str, str]) -> str | dict[str, str]:
        fi, en = text.get("fi", ""), text.get("en", "")
        if self.lang == "fi":
            return fi or en
        if self.lang == "en":
            return en or fi
        return {"default": en or fi, "fi": fi or en}

    def page(self, body: SectionBody, pointer: str) -> dict[str, Any]:
        page: dict[str, Any] = {"name": body.id, "title": self.text(body.title)}
        if body.intro:
            page["description"] = self.text(body.intro)
        page["elements"] = [self.question(f"{body.id}.{item.id}", item, jp.join(pointer, "items", index))
                            for index, item in enumerate(body.items)]
        return page

    def question(self, name: str, item: Item, pointer: str, *, field: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "text", "name": name, "title": self.text(item.text)}
        if item.help:
            out["description"] = self.text(item.help)
        out.update(self._body(name, item, pointer))
        if item.required:
            out["isRequired"] = True
        for kind, key in (("visible_if", "visibleIf"), ("required_if", "requiredIf")):
            source = getattr(item, kind)
            if source is None or (kind == "required_if" and item.required):
                continue  # a plain ``required`` wins over ``required_if`` in the engine too
            if field:
                self._refuse_item(jp.join(pointer, kind), name, f"{kind} on a field of a repeat group",
                                  f"{kind} toistuvan ryhmän kentässä")
                continue
            translated = self._condition(name, kind, source, jp.join(pointer, kind))
            if translated is not None:
                out[key] = translated
        return out

    def _condition(self, name: str, kind: str, source: Any, pointer: str) -> str | None:
        try:
            return self.translator.condition(to_json_logic(source))
        except UntranslatableError as exc:
            inner = exc.pointer if not isinstance(source, str) else ""
            where = jp.join(pointer, *jp.parts(inner)) if inner else pointer
            self.problems.append(make(
                "SJS-001", pointer=where, span=self.loaded.locator.span(where),
                found=f"{name} {kind}: {exc.found}", found_fi=f"{name} {kind}: {exc.found_fi}",
                expected="comparisons of a question with a literal, and/or/not, in",
                expected_fi="kysymyksen vertailut vakioon, and/or/not, in"))
            return None

    def _refuse_item(self, pointer: str, name: str, en: str, fi: str) -> None:
        self.problems.append(make("SJS-002", pointer=pointer, span=self.loaded.locator.span(pointer),
                                  found=f"{name}: {en}", found_fi=f"{name}: {fi}"))

    def _points(self, scale_id: str | None) -> list[dict[str, Any]]:
        scale: Scale | None = self.bank.scales.get(scale_id or "")
        return [{"value": p.value, "text": self.text(p.label)} for p in (scale.points if scale else [])]

    def _body(self, name: str, item: Item, pointer: str) -> dict[str, Any]:
        kind = item.type
        valid = item.validation
        out: dict[str, Any] = {}
        if kind in {QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE}:
            out["type"] = "radiogroup" if kind is QuestionType.SINGLE_CHOICE else "checkbox"
            choices = []
            for choice in choices_of(item, self.bank):
                entry: dict[str, Any] = {"value": choice.value, "text": self.text(choice.label)}
                if choice.exclusive and kind is QuestionType.MULTI_CHOICE:
                    entry["isExclusive"] = True
                choices.append(entry)
            out["choices"] = choices
            if valid and kind is QuestionType.MULTI_CHOICE:
                if valid.min_count is not None:
                    out["minSelectedChoices"] = valid.min_count
                if valid.max_count is not None:
                    out["maxSelectedChoices"] = valid.max_count
        elif kind is QuestionType.LIKERT:
            out.update(type="rating", rateValues=self._points(item.scale), displayMode="buttons")
        elif kind is QuestionType.BOOLEAN:
            out["type"] = "boolean"
        elif kind is QuestionType.MATRIX:
            out.update(type="matrixdropdown", cellType="radiogroup",
                       rows=[{"value": row.id, "text": self.text(row.label)} for row in item.rows or []],
                       columns=[{"name": col.id, "title": self.text(col.label), "cellType": "radiogroup",
                                 "choices": self._points(col.scale)} for col in item.columns or []])
        elif kind is QuestionType.REPEAT_GROUP:
            out.update(type="paneldynamic", panelCount=0,
                       templateElements=[self.question(field.id, field, jp.join(pointer, "items", index),
                                                       field=True)
                                         for index, field in enumerate(item.items or [])])
            if valid and valid.min_count is not None:
                out["minPanelCount"] = valid.min_count
            if valid and valid.max_count is not None:
                out["maxPanelCount"] = valid.max_count
        elif kind in _NUMBER_INPUTS:
            out["inputType"] = "number"
            if valid and valid.min is not None:
                out["min"] = valid.min
            if valid and valid.max is not None:
                out["max"] = valid.max
            if kind in {QuestionType.INTEGER, QuestionType.YEAR}:
                out["step"] = 1
            if item.unit:
                out["placeholder"] = self.text(item.unit)
        elif kind is QuestionType.DATE:
            out["inputType"] = "date"
        elif kind is QuestionType.LONG_TEXT:
            out["type"] = "comment"
        elif kind is QuestionType.BUSINESS_ID:
            out["validators"] = [{"type": "regex", "regex": _BUSINESS_ID}]
        if kind in {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT} and valid:
            if valid.max_length is not None:
                out["maxLength"] = valid.max_length
            validators = []
            if valid.min_length is not None:
                validators.append({"type": "text", "minLength": valid.min_length})
            if valid.pattern is not None:
                validators.append({"type": "regex", "regex": valid.pattern})
            if validators:
                out["validators"] = validators
        return out
