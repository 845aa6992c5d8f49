"""JSON Logic conditions of a bank as SurveyJS expressions, for a subset translated exactly.

A condition holds when its JSON Logic value is truthy (json-logic-js 2.0.5). The subset
is what a condition of a questionnaire needs, each written so that SurveyJS gives the same
truth for every answer, an unanswered question included:

- ``and``, ``or``, ``!`` (``not``) and ``!!`` over conditions of the subset;
- ``==``, ``!=``, ``===``, ``!==`` between a question and a literal of its own kind (one of
  its choices for a single choice, a number for a scale or number question, true or false
  for a yes/no question); ``null`` for "not answered" with a choice, scale, number or yes/no
  question (whose answers are never ``""`` or ``[]``, which SurveyJS also calls empty);
- ``<``, ``<=``, ``>``, ``>=`` between a number question and a number: JSON Logic reads a
  missing answer as 0, so the translation says whether an empty answer holds;
- ``in`` of a single choice or number question in a literal list, and of one of a multi
  choice's values in it;
- a yes/no question alone (true when answered yes); ``true`` and ``false``.

Anything else (arithmetic, ``if``, ``var`` of a calculated value or into a group, a
comparison of two questions) is refused with the JSON pointer of the part that falls
outside, never translated approximately.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.bank.models import Item, QuestionType

_NUMERIC = frozenset({QuestionType.LIKERT, QuestionType.INTEGER, QuestionType.NUMBER, QuestionType.MONEY,
                      QuestionType.PERCENT, QuestionType.YEAR})
# Text is compared only as a choice value: SurveyJS compares strings ignoring case and
# surrounding spaces, which is exact for choice values (lower-case identifiers) alone.
_TEXTUAL = frozenset({QuestionType.SINGLE_CHOICE})
# Kinds whose answer is never "" or [] (SurveyJS calls both empty, JSON Logic does not).
_NULL_COMPARABLE = _NUMERIC | {QuestionType.SINGLE_CHOICE, QuestionType.BOOLEAN}
_EQUALITY = {"==": "=", "===": "=", "!=": "!=", "!==": "!="}
_ORDER = {"<": "<", "<=": "<=", ">": ">", ">=": ">="}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
# Whether ``0 op c`` holds: JSON Logic compares a missing answer (null) as 0.
_HOLDS_AT_ZERO = {"<": lambda c: c > 0, "<=": lambda c: c >= 0, ">": lambda c: c < 0,
                  ">=": lambda c: c <= 0}


@dataclass(frozen=True, slots=True)
class UntranslatableError(Exception):
    """A part of a condition outside the subset: where it is (a pointer into the rule) and why."""

    pointer: str
    found: str
    found_fi: str


def _fail(pointer: str, en: str, fi: str) -> UntranslatableError:
    return UntranslatableError(pointer, en, fi)


def _arity(op: str, here: str, count: int) -> UntranslatableError:
    return _fail(here, f"'{op}' with {count} arguments", f"'{op}', jolla {count} argumenttia")


@dataclass(frozen=True, slots=True)
class Translator:
    """Translates conditions that read the questions in ``questions`` (``section.item``)."""

    questions: dict[str, Item]
    choices: dict[str, frozenset[str]]
    """The choice values of every choice question, ``choices_from`` resolved."""

    def condition(self, rule: Any, pointer: str = "") -> str:
        """The SurveyJS expression that holds exactly when ``rule`` is truthy."""
        if isinstance(rule, bool):
            return "true" if rule else "false"
        if not isinstance(rule, dict) or len(rule) != 1:
            raise _fail(pointer, f"the value {_shown(rule)} as a condition",
                        f"arvo {_shown(rule)} ehtona")
        (op, args), = rule.items()
        here = jp.join(pointer, op)
        items = args if isinstance(args, list) else [args]

        def at(index: int) -> str:
            return jp.join(here, index) if isinstance(args, list) else here

        if op in {"and", "or"}:
            if not items:
                raise _fail(here, f"'{op}' without arguments", f"'{op}' ilman argumentteja")
            parts = [self.condition(value, at(index)) for index, value in enumerate(items)]
            return "(" + f" {op} ".join(parts) + ")"
        if op in {"!", "!!"}:
            if len(items) != 1:
                raise _arity(op, here, len(items))
            inner = self.condition(items[0], at(0))
            return f"!({inner})" if op == "!" else inner
        if op == "var":
            name, item = self._question(rule, pointer)
            if item.type is not QuestionType.BOOLEAN:
                raise _fail(here, f"{name} ({item.type.value}) alone as a condition; only a yes/no question "
                            "may stand alone", f"{name} ({item.type.value}) yksinään ehtona; vain kyllä/ei-"
                            "kysymys voi olla yksinään")
            return f"({{{name}}} notempty and {{{name}}} = true)"
        if op in _EQUALITY or op in _ORDER:
            if len(items) != 2:
                raise _arity(op, here, len(items))
            return self._compare(op, items[0], items[1], here, at)
        if op == "in":
            if len(items) != 2:
                raise _arity(op, here, len(items))
            return self._in(items[0], items[1], here, at)
        raise _fail(here, f"the operation '{op}'", f"operaatio '{op}'")

    def _question(self, node: Any, pointer: str) -> tuple[str, Item]:
        args = node["var"]
        here = jp.join(pointer, "var")
        if isinstance(args, list):
            if len(args) != 1:
                raise _fail(here, "'var' with a default value", "'var' oletusarvon kanssa")
            args = args[0]
        if not isinstance(args, str):
            raise _fail(here, "a 'var' whose name is computed", "'var', jonka nimi lasketaan")
        item = self.questions.get(args)
        if item is None:
            raise _fail(here, f"'{args}', which is not a question of the exported sections (a calculated "
                        "value, a path into an answer or a question left out)",
                        f"'{args}', joka ei ole vietävien osioiden kysymys (laskennallinen arvo, polku "
                        "vastauksen sisään tai pois jätetty kysymys)")
        return args, item

    def _is_var(self, node: Any) -> bool:
        return isinstance(node, dict) and len(node) == 1 and "var" in node

    def _compare(self, op: str, left: Any, right: Any, here: str, at: Any) -> str:
        if self._is_var(left) and not self._is_var(right):
            var, literal, literal_at, var_at = left, right, at(1), at(0)
        elif self._is_var(right) and not self._is_var(left):
            var, literal, literal_at, var_at = right, left, at(0), at(1)
            op = _FLIPPED.get(op, op)
        else:
            raise _fail(here, f"'{op}' that does not compare one question with a literal",
                        f"'{op}', joka ei vertaa yhtä kysymystä vakioon")
        name, item = self._question(var, var_at)
        ref = f"{{{name}}}"
        if op in _ORDER:
            if item.type not in _NUMERIC:
                raise _fail(here, f"'{op}' on {name} ({item.type.value}); only number and scale questions "
                            "are ordered", f"'{op}' kysymykselle {name} ({item.type.value}); vain luku- ja "
                            "asteikkokysymyksiä voi verrata suuruuden mukaan")
            number = _number(literal, literal_at)
            if _HOLDS_AT_ZERO[op](number):  # JSON Logic: an unanswered question reads as 0
                return f"({ref} empty or {ref} {_ORDER[op]} {_number_text(number)})"
            return f"({ref} notempty and {ref} {_ORDER[op]} {_number_text(number)})"
        equal = _EQUALITY[op] == "="
        if literal is None:
            if item.type not in _NULL_COMPARABLE:
                raise _fail(here, f"{name} ({item.type.value}) compared with null; SurveyJS also calls an "
                            "empty text or list empty", f"{name} ({item.type.value}) verrataan nulliin; "
                            "SurveyJS pitää myös tyhjää tekstiä tai listaa tyhjänä")
            return f"{ref} empty" if equal else f"{ref} notempty"
        text = self._literal_for(item, name, literal, literal_at)
        if equal:
            return f"({ref} notempty and {ref} = {text})"
        return f"({ref} empty or {ref} != {text})"

    def _literal_for(self, item: Item, name: str, literal: Any, pointer: str) -> str:
        if item.type is QuestionType.BOOLEAN and isinstance(literal, bool):
            return "true" if literal else "false"
        if item.type in _NUMERIC and isinstance(literal, int | float) and not isinstance(literal, bool):
            return _number_text(_number(literal, pointer))
        if item.type in _TEXTUAL and isinstance(literal, str):
            if literal not in self.choices.get(name, frozenset()):
                raise _fail(pointer, f"{literal!r}, which is not a choice of {name}",
                            f"{literal!r}, joka ei ole kysymyksen {name} vaihtoehto")
            return _string(literal, pointer)
        raise _fail(pointer, f"{_shown(literal)} compared with {name} ({item.type.value}), a value of "
                    "another kind (JSON Logic's loose equality would convert it)",
                    f"{_shown(literal)} verrataan kysymykseen {name} ({item.type.value}), eri lajin arvo "
                    "(JSON Logicin väljä yhtäsuuruus muuntaisi sen)")

    def _in(self, needle: Any, haystack: Any, here: str, at: Any) -> str:
        if self._is_var(needle) and isinstance(haystack, list):
            name, item = self._question(needle, at(0))
            if item.type not in _NUMERIC and item.type not in _TEXTUAL:
                raise _fail(at(0), f"{name} ({item.type.value}) looked up in a list",
                            f"kysymystä {name} ({item.type.value}) etsitään listasta")
            if not haystack:
                return "false"
            values = [self._literal_for(item, name, value, jp.join(at(1), index))
                      for index, value in enumerate(haystack)]
            ref = f"{{{name}}}"
            return f"({ref} notempty and {ref} anyof [{', '.join(values)}])"
        if isinstance(needle, str) and self._is_var(haystack):
            name, item = self._question(haystack, at(1))
            if item.type is not QuestionType.MULTI_CHOICE:
                raise _fail(at(1), f"'in' of a text in {name} ({item.type.value}); only a multi choice is "
                            "translated (a text would be searched for a substring)",
                            f"'in' tekstistä kysymyksessä {name} ({item.type.value}); vain monivalinta "
                            "käännetään (tekstistä etsittäisiin osamerkkijonoa)")
            if needle not in self.choices.get(name, frozenset()):
                raise _fail(at(0), f"{needle!r}, which is not a choice of {name}",
                            f"{needle!r}, joka ei ole kysymyksen {name} vaihtoehto")
            ref = f"{{{name}}}"
            return f"({ref} notempty and {ref} contains {_string(needle, at(0))})"
        raise _fail(here, "'in' that is neither a question in a literal list nor a text in a multi choice",
                    "'in', joka ei ole kysymys vakiolistassa eikä teksti monivalinnassa")


def _number(value: Any, pointer: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(pointer, f"{_shown(value)} where a number was expected",
                    f"{_shown(value)}, vaikka odotettiin lukua")
    return value


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 2**53 else repr(float(value))


def _string(value: str, pointer: str) -> str:
    if any(char in value for char in "'\"\\{}\n\r"):
        raise _fail(pointer, f"the text {value!r}, which holds a quote, a backslash, a brace or a line break",
                    f"teksti {value!r}, jossa on lainausmerkki, kenoviiva, aaltosulje tai rivinvaihto")
    return f"'{value}'"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
