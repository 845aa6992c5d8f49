"""Mapping a PRH/YTJ company record to answers of the shipped bank's ``basic_info`` section.

What is mapped (item ← record field):

- ``basic_info.business_id`` ← ``businessId.value``
- ``basic_info.company_name`` ← the current ``names[]`` entry (type 1, no ``endDate``)
- ``basic_info.company_form`` ← the current ``companyForms[]`` entry: numeric codes of the
  company-form code list (5 Ay, 6 aatteellinen yhdistys, 13 Ky, 14 osuuskunta, 16 Oy,
  17 Oyj, 18 säätiö; "16" = Osakeyhtiö is in brief.md §7.2, the rest as listed with their
  letter codes AY, AYH, KY, OK, OY, OYJ, SÄÄ in DjangoCodez/MainProject,
  ``Soe.Business/Util/API/AvionData/Enum/CompanyFormType.cs``), the letter codes, or else
  the form's description (e.g. "Elinkeinonharjoittaja" → ``tmi``). A form the bank has no
  choice for (e.g. a housing company) is a REG-012 warning; ``other`` is not chosen for it,
  since the bank's "other" asks for the advisor's words.
- ``basic_info.industry_code`` ← ``mainBusinessLine.type`` (dots and spaces removed) and
  ``basic_info.industry_code_version`` ← ``mainBusinessLine.typeCodeSet``: TOIMI3 →
  ``tol2008``, TOIMI4 → ``tol2025`` (brief.md §7.3; the bank's help text); any other code
  set → ``unknown`` with a REG-015 warning, so the section letter is never derived from a
  code of an unknown classification.
- ``basic_info.founding_year`` ← the year of ``registrationDate`` (else of
  ``businessId.registrationDate``).
- ``basic_info.municipality`` ← the municipality code of the visiting address (type 1),
  else of the postal address (type 2), looked up among the 44 municipalities of the area
  (:mod:`.municipalities`); ``basic_info.province`` is then calculated by the bank. A
  code outside the area is a REG-011 warning and the item stays empty. YTJ's open data
  has no separate domicile (kotipaikka) field, so the address's municipality stands for it.
- ``basic_info.website`` ← ``website`` (a string or ``{"url": ...}``).

Situations (``companySituations[]`` without an ``endDate``: restructuring, liquidation,
bankruptcy) are REG-010 warnings, not answers: the bank has no item for them.

Not mapped, because the bank cannot hold them or YTJ does not give them: register entries
(VAT, employer register; the bank has no item), trade-register and business-id status
codes (their meanings must come from the REK_KDI/STATUS3 code lists, brief.md §7.2),
auxiliary and parallel names (the bank asks for them in the note), the addresses
themselves, and everything YTJ does not hold: headcount, turnover, balance sheet, owners,
board and customers. Values are checked when written (:func:`.write.prefill_session`),
where a value the bank refuses becomes a REG-013 warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from asiakasarvo_engine.diagnostics import Diagnostic, Span, make
from asiakasarvo_engine.prefill.municipalities import by_code
from asiakasarvo_engine.prefill.record import POSTAL_ADDRESS, VISITING_ADDRESS, CompanyRecord, Description

SECTION = "basic_info"
BUSINESS_ID = f"{SECTION}.business_id"
COMPANY_NAME = f"{SECTION}.company_name"
COMPANY_FORM = f"{SECTION}.company_form"
INDUSTRY_CODE = f"{SECTION}.industry_code"
INDUSTRY_CODE_VERSION = f"{SECTION}.industry_code_version"
FOUNDING_YEAR = f"{SECTION}.founding_year"
MUNICIPALITY = f"{SECTION}.municipality"
WEBSITE = f"{SECTION}.website"

MAPPED_ITEMS: tuple[str, ...] = (BUSINESS_ID, COMPANY_NAME, COMPANY_FORM, INDUSTRY_CODE,
                                 INDUSTRY_CODE_VERSION, FOUNDING_YEAR, MUNICIPALITY, WEBSITE)
"""Every item the prefill may answer, in the bank's order of ``basic_info``."""

NUMERIC_FORMS: dict[str, str] = {
    "5": "ay", "6": "yhdistys", "13": "ky", "14": "osuuskunta", "16": "oy", "17": "oyj",
    "18": "saatio",
}
LETTER_FORMS: dict[str, str] = {
    "AY": "ay", "AYH": "yhdistys", "KY": "ky", "OK": "osuuskunta", "OY": "oy", "OYJ": "oyj",
    "SÄÄ": "saatio", "SAA": "saatio",
}
KNOWN_OTHER_FORMS: frozenset[str] = frozenset({
    "2", "3", "4", "7", "8", "9", "10", "11", "12", "15", "19", "20", "21", "22", "23", "24", "25",
    "80", "83", "84", "AOY", "ASH", "ASY", "ETS", "ETY", "SCE", "SCP", "HY", "KOY", "KVJ", "KVY",
    "OP", "SE", "SL", "SP", "TYH", "VALTLL", "VOJ", "VOY", "VY",
})
"""Codes of the same list that have no choice in the bank (housing companies, banks ...)."""

_DESCRIBED_FORMS: dict[str, str] = {
    "osakeyhtiö": "oy", "limited company": "oy", "aktiebolag": "oy",
    "julkinen osakeyhtiö": "oyj", "public limited company": "oyj", "publikt aktiebolag": "oyj",
    "avoin yhtiö": "ay", "general partnership": "ay", "partnership": "ay", "öppet bolag": "ay",
    "kommandiittiyhtiö": "ky", "limited partnership": "ky", "kommanditbolag": "ky",
    "osuuskunta": "osuuskunta", "co-operative": "osuuskunta", "cooperative": "osuuskunta",
    "andelslag": "osuuskunta",
    "säätiö": "saatio", "foundation": "saatio", "stiftelse": "saatio",
    "aatteellinen yhdistys": "yhdistys", "yhdistys": "yhdistys", "rekisteröity yhdistys": "yhdistys",
    "non-profit association": "yhdistys", "association": "yhdistys", "ideell förening": "yhdistys",
    "elinkeinonharjoittaja": "tmi", "yksityinen elinkeinonharjoittaja": "tmi",
    "private trader": "tmi", "sole trader": "tmi", "enskild näringsidkare": "tmi",
}

CODE_SET_VERSIONS: dict[str, str] = {"TOIMI3": "tol2008", "TOIMI4": "tol2025"}

_SITUATIONS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("SANE", ("saneeraus", "restructuring", "sanering"), "restructuring", "yrityssaneeraus"),
    ("SELTILA", ("selvitystila", "liquidation", "likvidation"), "liquidation", "selvitystila"),
    ("KONK", ("konkurssi", "bankruptcy", "konkurs"), "bankruptcy", "konkurssi"),
)


@dataclass(frozen=True, slots=True)
class Mapped:
    """What a record says for the bank: ``answers`` {item: value} in bank order, where each
    came from (``fields``: item → JSON pointer in the record) and the warnings."""

    answers: dict[str, Any]
    fields: dict[str, str] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()


def _described(descriptions: tuple[Description, ...]) -> str | None:
    for description in descriptions:
        choice = _DESCRIBED_FORMS.get(" ".join(description.text.split()).casefold())
        if choice is not None:
            return choice
    return None


def _label(code: str, descriptions: tuple[Description, ...]) -> str:
    text = next((d.text for d in descriptions if d.language == "1"), None) or next(
        (d.text for d in descriptions), None)
    return f"{code} ({text})" if text else code


def form_choice(code: str, descriptions: tuple[Description, ...] = ()) -> str | None:
    """The bank's ``company_form`` choice for a form code (numeric or letters) or its
    description; None when the bank has no choice for it."""
    key = code.strip().upper()
    if key.isdigit():
        key = str(int(key))
    choice = NUMERIC_FORMS.get(key) or LETTER_FORMS.get(key)
    if choice is not None:
        return choice
    if key in KNOWN_OTHER_FORMS:
        return None
    return _described(descriptions)


def situation_kind(code: str, descriptions: tuple[Description, ...]) -> tuple[str, str] | None:
    """The situation as (English, Finnish) words, or None when neither code nor text tells."""
    key = code.strip().upper()
    texts = " ".join(d.text for d in descriptions).casefold()
    for known, words, en, fi in _SITUATIONS:
        if key == known or any(word in texts for word in words):
            return en, fi
    return None


def _where(record: CompanyRecord, pointer: str) -> Span:
    return Span(record.source) if record.source else Span("<record>")


def map_record(record: CompanyRecord) -> Mapped:
    """The answers and warnings for ``record`` (see the module for what is mapped)."""
    answers: dict[str, Any] = {}
    fields: dict[str, str] = {}
    warnings: list[Diagnostic] = []
    base = record.base

    def warn(code: str, pointer: str, **details: Any) -> None:
        warnings.append(make(code, pointer=pointer, span=_where(record, pointer), **details))

    answers[BUSINESS_ID] = record.business_id
    fields[BUSINESS_ID] = f"{base}/businessId"
    if record.name is not None:
        answers[COMPANY_NAME] = record.name
        fields[COMPANY_NAME] = f"{base}/names"
    else:
        warn("REG-014", f"{base}/names", found="names[]", expected=COMPANY_NAME)

    form = record.current_form
    if form is None:
        warn("REG-014", f"{base}/companyForms", found="companyForms[]", expected=COMPANY_FORM)
    else:
        choice = form_choice(form.code, form.descriptions)
        if choice is None:
            warn("REG-012", f"{base}/companyForms", found=_label(form.code, form.descriptions))
        else:
            answers[COMPANY_FORM] = choice
            fields[COMPANY_FORM] = f"{base}/companyForms"

    line = record.business_line
    if line is None:
        warn("REG-014", f"{base}/mainBusinessLine", found="mainBusinessLine", expected=INDUSTRY_CODE)
    else:
        answers[INDUSTRY_CODE] = re.sub(r"[.\s]", "", line.code)
        fields[INDUSTRY_CODE] = f"{base}/mainBusinessLine/type"
        version = CODE_SET_VERSIONS.get(line.code_set or "")
        if version is None:
            warn("REG-015", f"{base}/mainBusinessLine/typeCodeSet", found=line.code_set or "(none)")
            version = "unknown"
        answers[INDUSTRY_CODE_VERSION] = version
        fields[INDUSTRY_CODE_VERSION] = f"{base}/mainBusinessLine/typeCodeSet"

    founded = record.registration_date or record.business_id_date
    if founded is not None:
        answers[FOUNDING_YEAR] = founded.year
        fields[FOUNDING_YEAR] = (f"{base}/registrationDate" if record.registration_date
                                 else f"{base}/businessId/registrationDate")
    else:
        warn("REG-014", f"{base}/registrationDate", found="registrationDate", expected=FOUNDING_YEAR)

    located = sorted((a for a in record.addresses if a.municipality_code is not None),
                     key=lambda a: {VISITING_ADDRESS: 0, POSTAL_ADDRESS: 1}.get(a.type or 0, 2))
    if not located:
        warn("REG-014", f"{base}/addresses", found="addresses[].postOffices[].municipalityCode",
             expected=MUNICIPALITY)
    else:
        address = located[0]
        municipality = by_code(address.municipality_code or "")
        if municipality is None:
            where = f" {address.city}" if address.city else ""
            warn("REG-011", address.municipality_pointer or address.pointer,
                 found=f"{address.municipality_code}{where}")
        else:
            answers[MUNICIPALITY] = municipality.value
            fields[MUNICIPALITY] = address.pointer

    if record.website is not None:
        answers[WEBSITE] = record.website
        fields[WEBSITE] = f"{base}/website"

    for situation in record.active_situations:
        kind = situation_kind(situation.code, situation.descriptions)
        en, fi = kind if kind is not None else (_label(situation.code, situation.descriptions),) * 2
        since = situation.registration_date.isoformat() if situation.registration_date else "-"
        warnings.append(make("REG-010", pointer=situation.pointer, span=_where(record, situation.pointer),
                             found=en, found_fi=fi, expected=since))

    ordered = {item: answers[item] for item in MAPPED_ITEMS if item in answers}
    return Mapped(ordered, {item: fields[item] for item in ordered}, tuple(warnings))
