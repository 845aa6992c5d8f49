"""Reading PRH/YTJ v3 records: both shapes, field-type variants, and coded errors with pointers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.prefill.mapping import form_choice, map_record
from asiakasarvo_engine.prefill.record import parse_record, read_record

DATA = Path(__file__).parent / "data"
C = "/companies/0"


def _company(**changes: Any) -> dict[str, Any]:
    company = json.loads((DATA / "oy_joensuu.json").read_text(encoding="utf-8"))["companies"][0]
    company.update(changes)
    return company


def _codes(exc: pytest.ExceptionInfo[LoadError]) -> list[tuple[str, str]]:
    return [(d.code, d.pointer) for d in exc.value.diagnostics]


def test_a_response_and_a_single_company_read_alike() -> None:
    response = read_record(DATA / "oy_joensuu.json")
    single = parse_record(json.dumps(_company()))
    assert response.base == "/companies/0" and single.base == ""
    assert map_record(response).answers == map_record(single).answers
    assert response.addresses[1].pointer == C + "/addresses/1"
    assert single.addresses[1].pointer == "/addresses/1"
    assert response.business_id == "1234567-1"
    assert response.name == "Kuvitteellinen Sahapaja Oy"  # the current name, not the ended one
    assert response.record_date is not None and response.record_date.isoformat() == "2026-02-20"


def test_integer_codes_and_numeric_forms_read_as_strings() -> None:
    record = read_record(DATA / "ry_heinavesi.json")
    assert record.addresses[0].municipality_code == "090"
    assert record.addresses[0].post_code == "79700"
    assert record.business_line is not None and record.business_line.code == "94991"
    form = record.current_form
    assert form is not None and form.code == "6"
    assert map_record(record).answers["basic_info.company_form"] == "yhdistys"


@pytest.mark.parametrize(("code", "choice"), [("16", "oy"), (16, "oy"), ("016", "oy"), ("OY", "oy"),
                                              ("oyj", "oyj"), ("5", "ay"), ("KY", "ky"), ("14", "osuuskunta"),
                                              ("SÄÄ", "saatio"), ("AYH", "yhdistys"), ("KOY", None),
                                              ("2", None)])
def test_form_codes(code: str | int, choice: str | None) -> None:
    assert form_choice(str(code)) == choice


def test_an_unknown_form_code_falls_back_on_its_description() -> None:
    from asiakasarvo_engine.prefill.record import Description

    assert form_choice("99", (Description(language="1", text="Elinkeinonharjoittaja"),)) == "tmi"
    assert form_choice("99", (Description(language="1", text="Jokin muu"),)) is None


def test_timestamps_are_read_as_their_dates() -> None:
    record = parse_record(json.dumps(_company(registrationDate="2015-04-01T00:00:00Z")))
    assert record.registration_date is not None and record.registration_date.year == 2015


@pytest.mark.parametrize(("document", "expected"), [
    ([], [("REG-001", "")]),
    ({"totalResults": 0}, [("REG-001", "")]),
    ({"companies": []}, [("REG-005", "/companies")]),
    ({"companies": [_company(), _company()]}, [("REG-005", "/companies")]),
    ({"companies": {"a": 1}}, [("REG-002", "/companies")]),
    ({"companies": [{k: v for k, v in _company().items() if k != "businessId"}]},
     [("REG-003", C + "/businessId")]),
    ({"companies": [_company(businessId={"value": "12345"})]}, [("REG-004", C + "/businessId/value")]),
    ({"companies": [_company(businessId={"registrationDate": "2015-04-01"})]},
     [("REG-003", C + "/businessId/value")]),
    ({"companies": [_company(names="Kuvitteellinen Oy")]}, [("REG-002", C + "/names")]),
    ({"companies": [_company(registrationDate="2015-13-45")]}, [("REG-004", C + "/registrationDate")]),
    ({"companies": [_company(companyForms=[{"descriptions": []}])]},
     [("REG-003", C + "/companyForms/0/type")]),
    ({"companies": [_company(companyForms=[{"type": True}])]}, [("REG-002", C + "/companyForms/0/type")]),
    ({"companies": [_company(addresses=[{"type": 1, "postOffices": [{"municipalityCode": 1670}]}])]},
     [("REG-004", C + "/addresses/0/postOffices/0/municipalityCode")]),
    ({"companies": [_company(addresses=[{"type": "käynti"}])]}, [("REG-004", C + "/addresses/0/type")]),
    ({"companies": [_company(mainBusinessLine=["16100"])]}, [("REG-002", C + "/mainBusinessLine")]),
])
def test_malformed_records_give_a_code_and_a_pointer(document: object,
                                                     expected: list[tuple[str, str]]) -> None:
    with pytest.raises(LoadError) as exc:
        parse_record(json.dumps(document))
    assert _codes(exc) == expected


def test_a_file_error_has_its_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"businessId": ', encoding="utf-8")
    with pytest.raises(LoadError) as exc:
        read_record(broken)
    assert [d.code for d in exc.value.diagnostics] == ["SRC-007"]
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"companies": [_company(names=5)]}, indent=1), encoding="utf-8")
    with pytest.raises(LoadError) as exc:
        read_record(wrong)
    diagnostic = exc.value.diagnostics[0]
    assert diagnostic.code == "REG-002" and diagnostic.span is not None and diagnostic.span.line
    assert "fi" in diagnostic.to_dict()["message"] and diagnostic.message("fi") != diagnostic.message("en")


def test_the_mapping_warns_of_situations_forms_and_the_area() -> None:
    liquidation = map_record(read_record(DATA / "ky_liquidation.json"))
    assert [(w.code, w.found) for w in liquidation.warnings] == [("REG-010", "liquidation")]
    assert "selvitystila" in liquidation.warnings[0].message("fi")
    assert liquidation.answers["basic_info.industry_code_version"] == "tol2025"
    outside = map_record(read_record(DATA / "oy_tampere.json"))
    assert [w.code for w in outside.warnings] == ["REG-012", "REG-015", "REG-011"]
    assert "basic_info.municipality" not in outside.answers
    assert "basic_info.company_form" not in outside.answers
    assert outside.warnings[2].pointer == "/companies/0/addresses/0/postOffices/0/municipalityCode"
    assert outside.answers["basic_info.industry_code"] == "6201"
    assert outside.answers["basic_info.industry_code_version"] == "unknown"


def test_mapped_items_and_choices_exist_in_the_shipped_bank() -> None:
    from asiakasarvo_engine import load_bank
    from asiakasarvo_engine.prefill.mapping import _DESCRIBED_FORMS, LETTER_FORMS, MAPPED_ITEMS, NUMERIC_FORMS

    section = next(s for s in load_bank().bank.bodies() if s.id == "basic_info")
    items = {item.id: item for item in section.items}
    assert {item.split(".", 1)[1] for item in MAPPED_ITEMS} <= set(items)
    forms = {c.value for c in items["company_form"].choices or []}
    assert set(NUMERIC_FORMS.values()) | set(LETTER_FORMS.values()) | set(_DESCRIBED_FORMS.values()) <= forms
    versions = {c.value for c in items["industry_code_version"].choices or []}
    assert {"tol2008", "tol2025", "unknown"} <= versions
