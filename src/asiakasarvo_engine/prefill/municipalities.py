"""The 44 municipalities of the project area with their Statistics Finland codes and province.

The area is the ESR+ selection proposal's (``seed-valintaesitys-2024.txt``: the
municipalities of Pohjois-Karjala, Pohjois-Savo and Etelä-Savo). The provinces are the
current ones: Heinävesi belongs to Pohjois-Karjala and Joroinen to Pohjois-Savo since the
start of 2021 (programme.md; the bank's ``basic_info.province`` expression says the same).

The three-digit codes are Statistics Finland's municipality numbers (kuntanumero), which
the PRH/YTJ open data uses in ``addresses[].postOffices[].municipalityCode``. They are
not in the shared domain material; they were taken from the Finnish national code
service's ``kunta`` code list (koodistoUri ``kunta``, ``koodiarvo``) as captured in
CSC-IT-Center-for-Science/oiva-frontend,
``src/components/02-organisms/CategoryFilter/storydata/kunnat.js`` (commit d04bad1c78a3),
and agree with Statistics Finland's municipality classification (kunta_1_20xx0101). The
``value`` is the bank's choice value of ``basic_info.municipality``.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Province = Literal["pohjois_karjala", "pohjois_savo", "etela_savo"]

PROVINCE_NAMES: dict[str, str] = {
    "pohjois_karjala": "Pohjois-Karjala",
    "pohjois_savo": "Pohjois-Savo",
    "etela_savo": "Etelä-Savo",
}


class Municipality(NamedTuple):
    """One municipality: its three-digit code, bank choice value, Finnish name and province."""

    code: str
    value: str
    name: str
    province: Province


_PK: Province = "pohjois_karjala"
_PS: Province = "pohjois_savo"
_ES: Province = "etela_savo"

MUNICIPALITIES: tuple[Municipality, ...] = (
    # Pohjois-Karjala (13)
    Municipality("090", "heinavesi", "Heinävesi", _PK),
    Municipality("146", "ilomantsi", "Ilomantsi", _PK),
    Municipality("167", "joensuu", "Joensuu", _PK),
    Municipality("176", "juuka", "Juuka", _PK),
    Municipality("260", "kitee", "Kitee", _PK),
    Municipality("276", "kontiolahti", "Kontiolahti", _PK),
    Municipality("422", "lieksa", "Lieksa", _PK),
    Municipality("426", "liperi", "Liperi", _PK),
    Municipality("541", "nurmes", "Nurmes", _PK),
    Municipality("309", "outokumpu", "Outokumpu", _PK),
    Municipality("607", "polvijarvi", "Polvijärvi", _PK),
    Municipality("707", "raakkyla", "Rääkkylä", _PK),
    Municipality("848", "tohmajarvi", "Tohmajärvi", _PK),
    # Pohjois-Savo (19)
    Municipality("140", "iisalmi", "Iisalmi", _PS),
    Municipality("171", "joroinen", "Joroinen", _PS),
    Municipality("204", "kaavi", "Kaavi", _PS),
    Municipality("239", "keitele", "Keitele", _PS),
    Municipality("263", "kiuruvesi", "Kiuruvesi", _PS),
    Municipality("297", "kuopio", "Kuopio", _PS),
    Municipality("402", "lapinlahti", "Lapinlahti", _PS),
    Municipality("420", "leppavirta", "Leppävirta", _PS),
    Municipality("595", "pielavesi", "Pielavesi", _PS),
    Municipality("686", "rautalampi", "Rautalampi", _PS),
    Municipality("687", "rautavaara", "Rautavaara", _PS),
    Municipality("749", "siilinjarvi", "Siilinjärvi", _PS),
    Municipality("762", "sonkajarvi", "Sonkajärvi", _PS),
    Municipality("778", "suonenjoki", "Suonenjoki", _PS),
    Municipality("844", "tervo", "Tervo", _PS),
    Municipality("857", "tuusniemi", "Tuusniemi", _PS),
    Municipality("915", "varkaus", "Varkaus", _PS),
    Municipality("921", "vesanto", "Vesanto", _PS),
    Municipality("925", "vierema", "Vieremä", _PS),
    # Etelä-Savo (12)
    Municipality("046", "enonkoski", "Enonkoski", _ES),
    Municipality("097", "hirvensalmi", "Hirvensalmi", _ES),
    Municipality("178", "juva", "Juva", _ES),
    Municipality("213", "kangasniemi", "Kangasniemi", _ES),
    Municipality("491", "mikkeli", "Mikkeli", _ES),
    Municipality("507", "mantyharju", "Mäntyharju", _ES),
    Municipality("588", "pertunmaa", "Pertunmaa", _ES),
    Municipality("593", "pieksamaki", "Pieksämäki", _ES),
    Municipality("623", "puumala", "Puumala", _ES),
    Municipality("681", "rantasalmi", "Rantasalmi", _ES),
    Municipality("740", "savonlinna", "Savonlinna", _ES),
    Municipality("768", "sulkava", "Sulkava", _ES),
)

BY_CODE: dict[str, Municipality] = {m.code: m for m in MUNICIPALITIES}
BY_VALUE: dict[str, Municipality] = {m.value: m for m in MUNICIPALITIES}


def normalize_code(code: str | int) -> str | None:
    """A municipality code as three digits (``90`` and ``"90"`` → ``"090"``); None when it is
    not one to three digits."""
    text = str(code).strip()
    if not text.isascii() or not text.isdigit() or not 1 <= len(text) <= 3:
        return None
    return text.zfill(3)


def by_code(code: str | int) -> Municipality | None:
    """The area's municipality with this code (string or integer), else None."""
    normalized = normalize_code(code)
    return BY_CODE.get(normalized) if normalized is not None else None
