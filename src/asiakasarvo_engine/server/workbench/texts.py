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
    "variant": ("Asialista", "Agenda"),
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
    "skip": ("Ohita", "Skip"),
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
        "Pikanäppäimet: Alt+→ seuraava, Alt+← edellinen, Alt+D ei tiedä, Alt+N ei koske, Alt+Z peru, "
        "Alt+S ohita, Alt+B takaisin hypyn jälkeen, Alt+E näkemykset eroavat (arviointikysymys)",
        "Shortcuts: Alt+→ next, Alt+← previous, Alt+D don't know, Alt+N not applicable, Alt+Z undo, "
        "Alt+S skip, Alt+B back after a jump, Alt+E views differ (rating questions)",
    ),
    "views_differ": ("Näkemykset eroavat: omistajat tai hallitus ovat tästä eri mieltä",
                     "Views differ: the owners or the board disagree on this"),
    "views_differ_help": ("Näkyy raportin neuvojan liitteessä vastauksen kohdalla; ei vaikuta pisteisiin.",
                          "Shown with the answer in the report's advisor appendix; never scored."),
    "differ_waits": ("Merkintä ”näkemykset eroavat” tallentuu vastauksen kanssa: valitse ensin vastaus.",
                     "'Views differ' is saved with the answer: choose the answer first."),
    "back_to_list": ("Analyysit", "Analyses"),
    "back": ("Takaisin", "Back"),
    "start_from_record": ("Tai aloita kaupparekisteriotteesta", "Or start from a business-register record"),
    "record_hint": ("PRH:n avoimen datan yritystiedot JSON-tiedostona (YTJ v3); nimi, Y-tunnus ja muut "
                    "perustiedot täyttyvät otteesta.",
                    "The company's PRH open-data record as a JSON file (YTJ v3); the name, business id and "
                    "other basics are filled from it."),
    "record_file": ("kaupparekisteriote", "register record"),
    "record_warnings": ("Kaupparekisterin huomiot", "Register warnings"),
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
    "analysis": ("Kirjallinen analyysi", "Written analysis"),
    "an_intro": (
        "Kentät näyttävät raportin nykyisen tekstin. Tallenna kukin kenttä erikseen; tyhjä kenttä tai "
        "koneen ehdotus palauttaa koneen tekstin. Muokata voi myös analyysin päättämisen jälkeen.",
        "The fields show the report's current text. Save each field on its own; an empty field, or the "
        "generated text, goes back to the generated text. Editing works after finishing too.",
    ),
    "an_warnings": ("Huomioita raportista", "Warnings about the report"),
    "an_summary": ("Yhteenveto hallitukselle", "Summary for the board"),
    "an_overall": ("Kokonaisarvio (kappale)", "Overall assessment (a paragraph)"),
    "an_findings": ("Päähavainnot", "Main findings"),
    "an_proposals": ("Ehdotukset hallitukselle", "Proposals for the board"),
    "an_strengths": ("Vahvuudet", "Strengths"),
    "an_weaknesses": ("Heikkoudet", "Weaknesses"),
    "an_opportunities": ("Mahdollisuudet", "Opportunities"),
    "an_threats": ("Uhat", "Threats"),
    "an_lines": (
        "Yksi kohta riviä kohden, enintään {n} kohtaa. Tyhjä palauttaa koneen ehdotuksen.",
        "One item a line, at most {n} items. Empty goes back to the generated text.",
    ),
    "an_generated": ("Koneen ehdotus", "Generated"),
    "an_level": ("Neuvojan kokonaistaso", "The advisor's overall level"),
    "an_level_computed": ("laskettu", "computed"),
    "an_level_reason": ("Kokonaistason perustelu", "Reason for the overall level"),
    "an_recs": ("Suositukset asiakkaalle", "Recommendations for the client"),
    "an_recs_hint": (
        "Valitse raporttiin enintään {n} suositusta ja anna niille järjestysnumero. Jos mitään ei "
        "valita, raportissa on koneen valinta. Valinnan tallennus lataa sivun uudelleen.",
        "Tick at most {n} recommendations for the report and give them a position number. With none "
        "ticked the report has the engine's choice. Saving the choice loads the page again.",
    ),
    "an_in_report": ("raporttiin", "in the report"),
    "an_position": ("Järjestys", "Position"),
    "an_recommendation": ("Suositus", "Recommendation"),
    "an_module": ("Moduuli", "Module"),
    "an_key": ("avainsuositus", "key recommendation"),
    "an_save_choice": ("Tallenna valinta", "Save the choice"),
    "an_chosen_engine": ("Nyt raportissa on koneen valinta.", "The report has the engine's choice now."),
    "an_chosen_advisor": ("Nyt raportissa on neuvojan valinta.", "The report has the advisor's choice now."),
    "an_chosen_texts": (
        "Raporttiin valittujen suositusten tekstit", "The texts of the chosen recommendations"
    ),
    "an_title": ("Otsikko", "Title"),
    "an_text": ("Teksti", "Text"),
    "an_first_step": ("Ensimmäinen askel", "First step"),
    "an_owner": ("Omistaja", "Owner"),
    "an_horizon": ("Aikajänne", "Horizon"),
    "an_edited": ("muokattu", "edited"),
    "an_no_recs": ("Säännöt eivät nostaneet suosituksia.", "The rules raised no recommendations."),
    "an_plan": ("Kehittämissuunnitelma (v0)", "Development plan (v0)"),
    "an_plan_hint": (
        "Suunnitelman tavoitteet ovat raportin avainsuosituksista (valinnan ensimmäiset).",
        "The plan's goals come from the report's key recommendations (the first of the choice).",
    ),
    "an_no_plan": ("Suunnitelmassa ei ole tavoitteita.", "The plan has no goals."),
    "an_goal": ("Tavoite", "Goal"),
    "an_responsible": ("Vastuuhenkilö", "Responsible person"),
    "an_quarter": ("Aloitusneljännes", "Starting quarter"),
    "an_quarter_hint": ("Muoto VVVV-Qn, esim. 2027-Q1.", "Format YYYY-Qn, e.g. 2027-Q1."),
    "an_deadline": ("Määräaika", "Deadline"),
    "an_target": ("Tavoitearvo", "Target"),
    "an_baseline": ("Lähtötaso", "Baseline"),
    "homework": ("Ennen tapaamista tai moduulin ennakkotehtävänä",
                 "Before the meeting or as module homework"),
    "homework_intro": (
        "Tämän istunnon asialista jättää nämä laajat kysymykset tapaamisen ulkopuolelle. Täytä ne ennen "
        "tapaamista tai anna ne moduulin ennakkotehtäväksi; vastatut kysymykset pisteytetään.",
        "This session's agenda leaves these extended questions out of the meeting. Fill them in before "
        "the meeting or give them as module homework; answered questions are scored.",
    ),
    "homework_open": ("avoinna", "open"),
    "hw_answered": ("vastattu", "answered"),
    "hw_open": ("avoinna", "open"),
    "hw_dont_know": ("merkitty: ei tiedä", "marked: don't know"),
    "hw_not_applicable": ("merkitty: ei koske", "marked: not applicable"),
    "an_links": ("Raportit", "Reports"),
    "an_client_html": ("Asiakasversio (HTML)", "Client version (HTML)"),
    "an_advisor_html": ("HTML ja neuvojan liite", "HTML with the advisor's appendix"),
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
