"""Reading a saved PRH/YTJ open-data (v3) company record into a small typed model.

The record is the JSON of ``GET /opendata-ytj-api/v3/companies`` (``{"totalResults": n,
"companies": [...]}``, exactly one company) or a single company object from it (brief.md
§7.1-7.2). Field types vary between saved records and public clients, so codes are read
as strings or integers (``"16"`` or ``16``, ``"167"`` or ``167``), company forms as
numeric codes or letter abbreviations, and dates as ``yyyy-mm-dd`` or a timestamp that
starts with one. Unknown extra fields are ignored (the API adds fields); a record whose
shape is not a company record, or whose fields have the wrong type, raises
:class:`~asiakasarvo_engine.errors.LoadError` with REG-001..005 diagnostics that carry
the JSON pointer of the bad field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.diagnostics import Diagnostic, Span, make
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.sources import SourceDoc, parse_text, read_document

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_BUSINESS_ID = re.compile(r"^\d{7}-\d$")

VISITING_ADDRESS = 1
POSTAL_ADDRESS = 2


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Description(_Model):
    """A code's description in one language (PRH: 1 Finnish, 2 Swedish, 3 English)."""

    language: str
    text: str


class CompanyForm(_Model):
    """One entry of ``companyForms[]``: the code as given (``"16"``, ``"OY"``)."""

    code: str
    descriptions: tuple[Description, ...] = ()
    registration_date: date | None = None
    end_date: date | None = None


class BusinessLine(_Model):
    """``mainBusinessLine``: the TOL code and the code set it belongs to (TOIMI3, TOIMI4 ...)."""

    code: str
    code_set: str | None = None
    descriptions: tuple[Description, ...] = ()
    registration_date: date | None = None


class Situation(_Model):
    """One entry of ``companySituations[]`` (restructuring, liquidation, bankruptcy)."""

    code: str
    descriptions: tuple[Description, ...] = ()
    registration_date: date | None = None
    end_date: date | None = None
    pointer: str = ""


class Address(_Model):
    """One entry of ``addresses[]``: type 1 visiting, 2 postal; municipality codes as three digits."""

    type: int | None = None
    post_code: str | None = None
    city: str | None = None
    municipality_code: str | None = None
    pointer: str = ""
    municipality_pointer: str = ""


class CompanyRecord(_Model):
    """The facts of one company record that the prefill can use."""

    business_id: str
    name: str | None = None
    forms: tuple[CompanyForm, ...] = ()
    business_line: BusinessLine | None = None
    situations: tuple[Situation, ...] = ()
    addresses: tuple[Address, ...] = ()
    website: str | None = None
    registration_date: date | None = None
    business_id_date: date | None = None
    last_modified: date | None = None
    source: str = ""
    """The file or name the record was read from (for messages)."""
    base: str = ""
    """The JSON pointer of the company object in the document (``/companies/0`` or empty)."""

    @property
    def record_date(self) -> date | None:
        """The date the record speaks for: ``lastModified``, else the newest registration date."""
        if self.last_modified is not None:
            return self.last_modified
        dates = [d for d in (self.registration_date, self.business_id_date) if d is not None]
        return max(dates) if dates else None

    @property
    def current_form(self) -> CompanyForm | None:
        """The company form without an end date (the newest registered one)."""
        current = [f for f in self.forms if f.end_date is None] or list(self.forms)
        if not current:
            return None
        return max(current, key=lambda f: f.registration_date or date.min)

    @property
    def active_situations(self) -> tuple[Situation, ...]:
        """The situations that have not ended."""
        return tuple(s for s in self.situations if s.end_date is None)


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


class _Reader:
    """Walks the document, collecting REG diagnostics with pointers and positions."""

    def __init__(self, doc: SourceDoc | None, name: str) -> None:
        self.doc = doc
        self.name = name
        self.problems: list[Diagnostic] = []

    def span(self, pointer: str) -> Span:
        return self.doc.span(pointer) if self.doc is not None else Span(self.name)

    def fail(self, code: str, pointer: str, *, expected: object = "", found: object = "") -> None:
        self.problems.append(make(code, pointer=pointer, span=self.span(pointer), expected=expected,
                                  found=found))

    def wrong_type(self, pointer: str, value: object, expected: str) -> None:
        self.fail("REG-002", pointer, expected=expected, found=_type_name(value))

    def obj(self, value: object, pointer: str) -> dict[str, Any] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.wrong_type(pointer, value, "object")
            return None
        return value

    def array(self, value: object, pointer: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.wrong_type(pointer, value, "array")
            return []
        return value

    def objects(self, value: object, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(pointer, object)`` of each object in the array ``value`` (others are type errors)."""
        for index, entry in enumerate(self.array(value, pointer)):
            here = jp.join(pointer, index)
            item = self.obj(entry, here)
            if item is not None:
                yield here, item

    def text(self, value: object, pointer: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.wrong_type(pointer, value, "string")
            return None
        return value.strip() or None

    def code(self, value: object, pointer: str) -> str | None:
        """A code given as a string or an integer, as a string."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.wrong_type(pointer, value, "string or integer code")
            return None
        return str(value).strip() or None

    def date(self, value: object, pointer: str) -> date | None:
        text = self.text(value, pointer)
        if text is None:
            return None
        match = _DATE.match(text)
        if match is not None:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                pass
        self.fail("REG-004", pointer, expected="a date yyyy-mm-dd", found=repr(text)[:60])
        return None

    def descriptions(self, value: object, pointer: str) -> tuple[Description, ...]:
        found: list[Description] = []
        for here, item in self.objects(value, pointer):
            language = self.code(item.get("languageCode"), jp.join(here, "languageCode")) or ""
            text = self.text(item.get("description"), jp.join(here, "description"))
            if text is not None:
                found.append(Description(language=language, text=text))
        return tuple(found)


def _company_object(reader: _Reader, data: object) -> tuple[dict[str, Any] | None, str]:
    """The company object of a response or of a single-company document, and its pointer."""
    if not isinstance(data, dict):
        reader.fail("REG-001", "", expected="a JSON object with companies[] or businessId",
                    found=_type_name(data))
        return None, ""
    if "companies" in data:
        companies = data["companies"]
        if not isinstance(companies, list):
            reader.wrong_type("/companies", companies, "array")
            return None, ""
        if len(companies) != 1:
            reader.fail("REG-005", "/companies", found=len(companies))
            return None, ""
        company = reader.obj(companies[0], "/companies/0")
        if company is None and companies[0] is None:
            reader.wrong_type("/companies/0", None, "object")
        return company, "/companies/0"
    if "businessId" in data:
        return data, ""
    reader.fail("REG-001", "", expected="a JSON object with companies[] or businessId",
                found="an object with keys " + ", ".join(sorted(data)[:8]) if data else "an empty object")
    return None, ""


def _business_id(reader: _Reader, company: dict[str, Any], base: str) -> tuple[str | None, date | None]:
    here = jp.join(base, "businessId")
    raw = company.get("businessId")
    if raw is None:
        reader.fail("REG-003", here, expected="businessId")
        return None, None
    value: str | None
    when: date | None = None
    if isinstance(raw, str):
        value = raw
    else:
        entry = reader.obj(raw, here)
        if entry is None:
            return None, None
        if entry.get("value") is None:
            reader.fail("REG-003", jp.join(here, "value"), expected="businessId.value")
            return None, None
        value = reader.text(entry.get("value"), jp.join(here, "value"))
        when = reader.date(entry.get("registrationDate"), jp.join(here, "registrationDate"))
        here = jp.join(here, "value")
    if value is None:
        return None, None
    value = value.strip()
    if not _BUSINESS_ID.match(value):
        reader.fail("REG-004", here, expected="a business id NNNNNNN-N", found=repr(value)[:40])
        return None, None
    return value, when


def _name(reader: _Reader, company: dict[str, Any], base: str) -> str | None:
    """The current company name: ``names[]`` of type 1 (else any type) without an end date."""
    pointer = jp.join(base, "names")
    candidates: list[tuple[bool, date, str]] = []
    for here, item in reader.objects(company.get("names"), pointer):
        name = reader.text(item.get("name"), jp.join(here, "name"))
        kind = reader.code(item.get("type"), jp.join(here, "type"))
        start = reader.date(item.get("registrationDate"), jp.join(here, "registrationDate"))
        end = reader.date(item.get("endDate"), jp.join(here, "endDate"))
        if name is not None and end is None:
            candidates.append((kind == "1", start or date.min, name))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


def _forms(reader: _Reader, company: dict[str, Any], base: str) -> tuple[CompanyForm, ...]:
    pointer = jp.join(base, "companyForms")
    forms: list[CompanyForm] = []
    for here, item in reader.objects(company.get("companyForms"), pointer):
        if item.get("type") is None:
            reader.fail("REG-003", jp.join(here, "type"), expected="companyForms[].type")
            continue
        code = reader.code(item.get("type"), jp.join(here, "type"))
        descriptions = reader.descriptions(item.get("descriptions"), jp.join(here, "descriptions"))
        start = reader.date(item.get("registrationDate"), jp.join(here, "registrationDate"))
        end = reader.date(item.get("endDate"), jp.join(here, "endDate"))
        if code is not None:
            forms.append(CompanyForm(code=code, descriptions=descriptions, registration_date=start,
                                     end_date=end))
    return tuple(forms)


def _business_line(reader: _Reader, company: dict[str, Any], base: str) -> BusinessLine | None:
    here = jp.join(base, "mainBusinessLine")
    item = reader.obj(company.get("mainBusinessLine"), here)
    if item is None:
        return None
    code = reader.code(item.get("type"), jp.join(here, "type"))
    code_set = reader.code(item.get("typeCodeSet"), jp.join(here, "typeCodeSet"))
    descriptions = reader.descriptions(item.get("descriptions"), jp.join(here, "descriptions"))
    start = reader.date(item.get("registrationDate"), jp.join(here, "registrationDate"))
    if code is None:
        return None
    return BusinessLine(code=code, code_set=code_set.upper() if code_set else None,
                        descriptions=descriptions, registration_date=start)


def _situations(reader: _Reader, company: dict[str, Any], base: str) -> tuple[Situation, ...]:
    pointer = jp.join(base, "companySituations")
    found: list[Situation] = []
    for here, item in reader.objects(company.get("companySituations"), pointer):
        code = reader.code(item.get("type"), jp.join(here, "type")) or ""
        descriptions = reader.descriptions(item.get("descriptions"), jp.join(here, "descriptions"))
        start = reader.date(item.get("registrationDate"), jp.join(here, "registrationDate"))
        end = reader.date(item.get("endDate"), jp.join(here, "endDate"))
        found.append(Situation(code=code, descriptions=descriptions, registration_date=start,
                               end_date=end, pointer=here))
    return tuple(found)


def _addresses(reader: _Reader, company: dict[str, Any], base: str) -> tuple[Address, ...]:
    from asiakasarvo_engine.prefill.municipalities import normalize_code

    pointer = jp.join(base, "addresses")
    found: list[Address] = []
    for here, item in reader.objects(company.get("addresses"), pointer):
        kind_text = reader.code(item.get("type"), jp.join(here, "type"))
        kind: int | None = None
        if kind_text is not None:
            if kind_text.isdigit():
                kind = int(kind_text)
            else:
                reader.fail("REG-004", jp.join(here, "type"), expected="1 (visiting) or 2 (postal)",
                            found=repr(kind_text)[:20])
        post_code = reader.code(item.get("postCode"), jp.join(here, "postCode"))
        city: str | None = None
        municipality: str | None = None
        municipality_at = ""
        offices = jp.join(here, "postOffices")
        for at, post in reader.objects(item.get("postOffices"), offices):
            code = reader.code(post.get("municipalityCode"), jp.join(at, "municipalityCode"))
            if code is not None and municipality is None:
                normalized = normalize_code(code)
                if normalized is None:
                    reader.fail("REG-004", jp.join(at, "municipalityCode"),
                                expected="a municipality code of three digits", found=repr(code)[:20])
                municipality = normalized
                municipality_at = jp.join(at, "municipalityCode")
            language = reader.code(post.get("languageCode"), jp.join(at, "languageCode"))
            name = reader.text(post.get("city"), jp.join(at, "city"))
            if name is not None and (city is None or language == "1"):
                city = name
        found.append(Address(type=kind, post_code=post_code, city=city, municipality_code=municipality,
                             pointer=here, municipality_pointer=municipality_at))
    return tuple(found)


def _website(reader: _Reader, company: dict[str, Any], base: str) -> str | None:
    here = jp.join(base, "website")
    raw = company.get("website")
    if raw is None or isinstance(raw, str):
        return reader.text(raw, here)
    item = reader.obj(raw, here)
    if item is None:
        return None
    return reader.text(item.get("url"), jp.join(here, "url"))


def record_from_data(data: object, *, name: str = "<record>", doc: SourceDoc | None = None) -> CompanyRecord:
    """The record in parsed JSON ``data``; raises :class:`LoadError` (REG-001..005)."""
    reader = _Reader(doc, name)
    company, base = _company_object(reader, data)
    if company is None:
        raise LoadError(reader.problems or [make("REG-001", span=Span(name), found="no company")])
    business_id, business_id_date = _business_id(reader, company, base)
    record: dict[str, Any] = {
        "name": _name(reader, company, base),
        "forms": _forms(reader, company, base),
        "business_line": _business_line(reader, company, base),
        "situations": _situations(reader, company, base),
        "addresses": _addresses(reader, company, base),
        "website": _website(reader, company, base),
        "registration_date": reader.date(company.get("registrationDate"), jp.join(base, "registrationDate")),
        "last_modified": reader.date(company.get("lastModified"), jp.join(base, "lastModified")),
    }
    if reader.problems or business_id is None:
        raise LoadError(reader.problems)
    return CompanyRecord(business_id=business_id, business_id_date=business_id_date, source=name,
                         base=base, **record)


def read_record(path: str | Path) -> CompanyRecord:
    """Read a saved record file (``.json``); raises :class:`LoadError` (SRC-* or REG-*)."""
    doc, diagnostics = read_document(path)
    if doc is None or diagnostics:
        raise LoadError(diagnostics)
    return record_from_data(doc.data, name=doc.name, doc=doc)


def parse_record(text: str, name: str = "<record>") -> CompanyRecord:
    """Read a record given as JSON text (e.g. an upload); raises :class:`LoadError`."""
    doc, diagnostics = parse_text(text, name, fmt="json")
    if doc is None or diagnostics:
        raise LoadError(diagnostics)
    return record_from_data(doc.data, name=doc.name, doc=doc)
