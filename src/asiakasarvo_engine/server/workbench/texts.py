"""The workbench's own words, Finnish first and English always present."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TEXTS: dict[str, tuple[str, str]] = {
    "app": ("Asiakasarvoanalyysi", "Customer-value analysis"),
    "sessions": ("Analyysit", "Analyses"),
    "search": ("Hae yrityksen nimellä", "Search by company name"),
    "company": ("Yritys", "Company"),
    "business_id": ("Y-tunnus", "Business ID"),
    "advisor": ("Hallitusasiantuntija", "Advisor"),
    "started": ("Aloitettu", "Started"),
    "progress": ("Eteneminen", "Progress"),
    "finished": ("Valmis", "Finished"),
    "yes": ("Kyllä", "Yes"),
    "no": ("Ei", "No"),
    "open": ("Avaa", "Open"),
    "none_yet": ("Ei vielä analyyseja.", "No analyses yet."),
    "none_found": ("Hakua vastaavia analyyseja ei löytynyt.", "No analyses match the search."),
    "start": ("Aloita uusi analyysi", "Start a new analysis"),
    "start_button": ("Aloita", "Start"),
    "company_name": ("Yrityksen nimi", "Company name"),
    "business_id_hint": (
        "Muoto 1234567-8; tarkistusnumero tarkistetaan.", "Format 1234567-8; the check digit is verified."
    ),
    "business_id_ok": ("Y-tunnus on kelvollinen.", "The business ID is valid."),
    "name_required": ("Anna yrityksen nimi.", "Give the company's name."),
    "sign_in": ("Kirjaudu", "Sign in"),
    "user": ("Käyttäjätunnus", "User name"),
    "password": ("Salasana", "Password"),
    "local_hint": (
        "Avaa osoite, jonka asiakasarvo serve tulosti (siinä on kertakäyttöinen tunniste).",
        "Open the URL that asiakasarvo serve printed (it carries a one-time token).",
    ),
    "signed_in_as": ("Kirjautunut", "Signed in as"),
    "language": ("In English", "Suomeksi"),
    "sections": ("Osiot", "Sections"),
    "minutes": ("min", "min"),
    "planned": ("suunniteltu", "planned"),
    "spent": ("käytetty", "spent"),
    "over_time": ("Aika ylittyi", "Over time"),
    "help": ("Ohje", "Help"),
    "prompt": ("Fasilitointivinkki (vain neuvojalle)", "Facilitation prompt (advisor only)"),
    "dont_know": ("Ei tiedä", "Don't know"),
    "not_applicable": ("Ei koske", "Not applicable"),
    "clear": ("Tyhjennä vastaus", "Clear the answer"),
    "undo": ("Peru viimeisin", "Undo the latest"),
    "previous": ("Edellinen", "Previous"),
    "next": ("Seuraava", "Next"),
    "saved": ("Tallennettu", "Saved"),
    "not_saved": ("Ei tallennettu", "Not saved"),
    "status_dont_know": ("Merkitty: ei tiedä", "Marked: don't know"),
    "status_not_applicable": ("Merkitty: ei koske", "Marked: not applicable"),
    "status_skipped": ("Ohitettu", "Skipped"),
    "conflict": (
        "Istuntoa muutettiin toisessa välilehdessä tai toisen käyttäjän toimesta, eikä tätä muutosta "
        "tallennettu. Lataa sivu, niin näet nykyisen tilan, ja tee muutos uudelleen.",
        "The session was changed in another tab or by another user, and this change was not saved. "
        "Reload the page to see the current state, then make the change again.",
    ),
    "reload": ("Lataa uudelleen", "Reload"),
    "add_row": ("Lisää rivi", "Add a row"),
    "remove_row": ("Poista rivi", "Remove the row"),
    "choose": ("Valitse", "Choose"),
    "filter": ("Suodata vaihtoehtoja", "Filter the choices"),
    "note": ("Muistiinpano", "Note"),
    "add_note": ("Lisää osion muistiinpano", "Add the section note"),
    "notes": ("Muistiinpanot", "Notes"),
    "live": ("Tilannekuva", "Live picture"),
    "overall": ("Kokonaisuus", "Overall"),
    "level": ("Taso", "Level"),
    "score": ("Pisteet", "Score"),
    "no_score": ("ei vielä pisteitä", "no score yet"),
    "answered": ("vastattu", "answered"),
    "required_left": ("pakollisia jäljellä", "required left"),
    "finished_note": ("Analyysi on merkitty valmiiksi; avaa se uudelleen muuttaaksesi.",
                      "The analysis is finished; reopen it to change it."),
    "end": ("Kaikki kysymykset on käyty läpi.", "Every question has been gone through."),
    "required": ("pakollinen", "required"),
    "keys": (
        "Pikanäppäimet: Alt+→ seuraava, Alt+← edellinen, Alt+D ei tiedä, Alt+N ei koske, Alt+Z peru",
        "Shortcuts: Alt+→ next, Alt+← previous, Alt+D don't know, Alt+N not applicable, Alt+Z undo",
    ),
    "back_to_list": ("Analyysit", "Analyses"),
    "report": ("Raportti", "Report"),
    "present": ("Asiakkaan näkymä", "Client's screen"),
    "overview": ("Kokonaiskuva", "Overview"),
    "phases": ("Vaiheet", "Phases"),
    "phase_pre_meeting": ("Valmistelu ennen tapaamista", "Preparation before the meeting"),
    "phase_meeting": ("Tapaaminen", "The meeting"),
    "phase_assessment": ("Neuvojan arvio", "The advisor's assessment"),
    "section_note": (
        "Osion muistiinpano (esim. hypoteesi tapaamiseen)", "A note on the section (e.g. a hypothesis)"
    ),
    "answer_note": (
        "Muistiinpano vastaukseen (näkyy raportissa)", "A note with the answer (shown in the report)"
    ),
    "note_waits": (
        "Muistiinpano tallentuu vastauksen kanssa: valitse vastaus tai Ei tiedä / Ei koske.",
        "The note is saved with the answer: give an answer, or don't know / not applicable.",
    ),
    "meeting": ("Tapaaminen", "Meeting"),
    "agenda": ("Asialista ja aika", "Agenda and time"),
    "pause": ("Tauko (kello pysähtyy)", "Break (the clock stops)"),
    "section": ("Osio", "Section"),
    "coverage": ("Kattavuus", "Coverage"),
    "time": ("Aika", "Time"),
    "missing_required": ("Pakollisia vastaamatta", "Required, not answered"),
    "override": ("Neuvojan taso", "Advisor's level"),
    "computed": ("Laskettu taso", "Computed level"),
    "justification": ("Perustelu", "Justification"),
    "save": ("Tallenna", "Save"),
    "finish": ("Päätä analyysi", "Finish the analysis"),
    "reopen": ("Avaa uudelleen", "Reopen"),
    "missing_before_finish": ("Pakollisia kysymyksiä vastaamatta", "Required questions not answered"),
    "all_required": ("Kaikkiin pakollisiin kysymyksiin on vastattu.", "Every required question is answered."),
}


def translator(lang: str) -> Any:
    """``t(key)``: the workbench's text in ``lang``; an unknown key shows itself."""
    index = 0 if lang == "fi" else 1

    def t(key: str) -> str:
        pair = TEXTS.get(key)
        return pair[index] if pair else key

    return t


def localized(text: Mapping[str, str] | None, lang: str) -> str:
    """A bank text in ``lang``, else Finnish, else any."""
    if not text:
        return ""
    return text.get(lang) or text.get("fi") or next(iter(text.values()), "")
