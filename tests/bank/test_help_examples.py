"""Examples in the shipped bank's texts pass the checks the program applies to answers."""

from __future__ import annotations

import re

from asiakasarvo_engine.bank.load import load_bank
from asiakasarvo_engine.bank.models import QuestionType
from asiakasarvo_engine.bank.ytunnus import business_id_issue

_BUSINESS_ID = re.compile(r"\b\d{7}-\d\b")


def test_every_business_id_example_passes_its_own_check_digit() -> None:
    bank = load_bank().bank
    checked = 0
    for body in bank.bodies():
        for item in body.items:
            if item.type is not QuestionType.BUSINESS_ID:
                continue
            for texts in (item.text, item.help or {}, item.prompt or {}):
                for lang, text in texts.items():
                    for example in _BUSINESS_ID.findall(text):
                        checked += 1
                        assert business_id_issue(example) is None, (item.id, lang, example)
    assert checked >= 2  # the Y-tunnus help gives an example in both languages
