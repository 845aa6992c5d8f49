"""Filling placeholders in recommendation texts: values as text, never markup or "None".

A placeholder is a name in braces, ``{basic_info.largest_customer_share}``. The value is
looked up in the trigger data; a choice prints as its label in the text's language, a
number in the language's format, a missing value as "ei tiedossa" / "not known".

A part of a text in square brackets that holds a placeholder is optional: it is shown
when every placeholder in it has a value, else the text after its ``|`` is (or nothing):
``[Liikevoitto oli {result.ratios.operating_margin} %.|Liikevoittoa ei ole laskettu.]``.
So a sentence about a figure reads right when the figure is missing, in either language,
instead of "Liikevoitto oli ei tiedossa %.". Brackets without a placeholder stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from asiakasarvo_engine.bank.answer_check import choices_of
from asiakasarvo_engine.bank.models import Bank, Item
from asiakasarvo_engine.rules.lint import PLACEHOLDER

_UNKNOWN = {"fi": "ei tiedossa", "en": "not known"}
OPTIONAL = re.compile(r"\[(?P<shown>[^\[\]|]*\{[^\[\]|]*)(?:\|(?P<otherwise>[^\[\]]*))?\]")
"""An optional part ``[text with {placeholder}|text shown instead]`` of a rule text."""
_BOOL = {"fi": ("kyllä", "ei"), "en": ("yes", "no")}


def lookup(data: Any, name: str) -> Any:
    """The value at a dotted name in nested data, or None."""
    node = data
    for part in name.split("."):
        if isinstance(node, Mapping):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def format_number(value: float, lang: str) -> str:
    """A number with at most one decimal, in the language's format (1 234,5 in Finnish)."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if lang == "fi":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def format_value(value: Any, lang: str, item: Item | None = None, bank: Bank | None = None) -> str:
    """A value as plain text in ``lang``."""
    if value is None or value in ("", []):
        return _UNKNOWN.get(lang, _UNKNOWN["en"])
    if isinstance(value, bool):
        yes, no = _BOOL.get(lang, _BOOL["en"])
        return yes if value else no
    if isinstance(value, int | float):
        return format_number(value, lang)
    labels = {c.value: c.label.get(lang, c.value) for c in choices_of(item, bank)} if item and bank else {}
    if isinstance(value, list):
        return ", ".join(format_value(v, lang, item, bank) for v in value)
    if isinstance(value, str):
        return labels.get(value, value)
    return _UNKNOWN.get(lang, _UNKNOWN["en"])


def has_value(value: Any) -> bool:
    """Whether a placeholder's value is there to be shown (not None, empty text or an empty list)."""
    return value is not None and value not in ("", [])


def fill(text: str, lang: str, data: Any, items: Mapping[str, Item], bank: Bank) -> str:
    """``text`` with every optional part decided and every placeholder replaced by its value
    as plain text."""
    def optional(match: re.Match[str]) -> str:
        shown = match.group("shown")
        if all(has_value(lookup(data, name.group(1))) for name in PLACEHOLDER.finditer(shown)):
            return shown
        return match.group("otherwise") or ""

    decided = OPTIONAL.sub(optional, text)
    decided = re.sub(r"[ \t]{2,}", " ", decided).strip() if decided != text else decided
    return PLACEHOLDER.sub(lambda m: format_value(lookup(data, m.group(1)), lang,
                                                  items.get(m.group(1)), bank), decided)
