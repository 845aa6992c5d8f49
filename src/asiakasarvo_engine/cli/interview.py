"""``asiakasarvo interview``: the advisor's terminal runner over the Interview API.

A plain line-by-line dialogue (no full-screen UI), so it works the same at a terminal
and with piped input: each question is shown with its section, the progress and the
agenda clock, its choices or scale points, the help and the facilitation prompt; each
line read is an answer or a ``:command`` (``:help`` lists them). Every accepted answer
is a durable event in the session store before the next question is shown, so a
session stopped in any way (``:quit``, end of input, a crash) resumes where it stopped
with ``asiakasarvo interview --session ID``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

import click

from asiakasarvo_engine.bank.review import _TYPES as TYPE_WORDS  # the bank review's names of the types
from asiakasarvo_engine.cli.sessions import (
    choices_of,
    chosen_store,
    lang_of,
    one_line,
    opened,
    store_option,
    value_text,
)
from asiakasarvo_engine.report.formats import Formats
from asiakasarvo_engine.sources import MAX_DEPTH, json_too_deep

if TYPE_CHECKING:
    from asiakasarvo_engine.bank.models import Bank, Choice, Item
    from asiakasarvo_engine.diagnostics import Diagnostic
    from asiakasarvo_engine.scoring.program import ScoringProgram
    from asiakasarvo_engine.session.interview import Changes, Interview, SectionView

LONG_LIST = 12
"""A choice list longer than this is shown in columns, without the values."""
SCREEN_WIDTH = 100
NOTE_MARK = " ## "
"""Separates an answer from the note kept with it: ``48 ## was 55 % in 2024``."""

WORDS: dict[str, dict[str, str]] = {
    "fi": {
        "session": "Istunto", "resume": "Jatka myöhemmin: {command}",
        "started": "Uusi istunto {id} aloitettu ({company}, hallitusasiantuntija {advisor}).",
        "resumed": "Jatketaan istuntoa {id} ({company}).",
        "variant": "Asialista: {variant}, {minutes} min.",
        "section": "Osio", "progress": "vastattu {answered}/{visible}",
        "required_left": "pakollisia auki {n}",
        "clock": "aika {spent:.0f}/{planned} min", "total": "yhteensä {spent:.0f}/{planned} min",
        "question": "kysymys", "required": "pakollinen", "hidden": "piilossa ehdon vuoksi",
        "help": "Ohje", "prompt": "Kysy", "current": "Nykyinen vastaus", "keep": "Enter pitää sen",
        "choices_hint": "numero, arvo tai nimen alku",
        "multi_hint": "yksi tai useampi numero (esim. 1 3) tai nimi (pilkuin), [] = ei mitään",
        "scale_hint": "asteikon arvo", "bool_hint": "k/e (kyllä/ei)", "number_hint": "luku",
        "text_hint": "teksti yhdellä rivillä (\"JSON-merkkijono\" rivinvaihtoja varten)",
        "date_hint": "päivämäärä VVVV-KK-PP", "bid_hint": "y-tunnus, esim. 1234567-1",
        "matrix_hint": "RIVI=ARVO,ARVO... tai RIVI.SARAKE=ARVO välilyönnein eroteltuina, tai JSON",
        "group_hint": "JSON-lista kohteista; + {...} lisää yhden kohteen",
        "specify": "tarkenna muistiinpanossa: ... ## teksti",
        "fields": "Kentät", "rows": "Rivit", "columns": "Sarakkeet", "unit": "yksikkö",
        "dk_na": "{dk}{na}", "dk": ":dk = en osaa sanoa", "na": ":na = ei koske meitä",
        "saved": "  Tallennettu: {name}{value}", "shown": "näkyviin", "hidden_now": "piiloon",
        "now_required": "pakolliseksi",
        "calculated": "laskettu", "overall": "Kokonaisindeksi", "level": "taso",
        "insufficient": "liian vähän tietoa", "end": "Kaikki kysymykset käyty läpi. :finish päättää "
        "istunnon, :overview näyttää pisteet, :back palaa.", "no_item": "Tässä osiossa ei ole näkyviä "
        "kysymyksiä.", "undone": "Peruttu: {what}.",
        "note_saved": "Muistiinpano tallennettu ({target}).", "session_note": "istunto",
        "override_saved": "Osion {section} taso: laskettu {computed}, hallitusasiantuntijan arvio "
                          "{override}.",
        "override_removed": "Osion {section} hallitusasiantuntijan arvio poistettu (laskettu {computed}).",
        "agenda": "Aikataulu", "planned": "suunniteltu", "spent": "käytetty", "now": "nyt",
        "finished": "Istunto päätetty.", "required_open": "Pakollisia vastaamatta: {items}",
        "overrides": "Hallitusasiantuntijan arviot", "computed": "laskettu",
        "advisor_level": "hallitusasiantuntijan arvio",
        "justification": "perustelu",
        "is_finished": "Istunto on päätetty; :reopen avaa sen uudelleen, :overview näyttää pisteet.",
        "reopened": "Istunto avattu uudelleen.", "unknown_command": "Tuntematon komento {cmd}; :help "
        "näyttää komennot.", "usage": "Käyttö: {usage}", "bye": "Istunto {id} tallennettu.",
        "answer_syntax": "Vastausta ei voitu lukea: {reason}", "dont_know": "en osaa sanoa",
        "command_hint": "komennot alkavat kaksoispisteellä: {cmd}",
        "commands": "Ohje: :help tai ? · lopetus: :quit (tallentaa, jatkuu myöhemmin)",
        "not_applicable": "ei koske meitä", "skipped": "ohitettu", "cleared": "vastaus poistettu",
        "no_position": "Ei nykyistä kysymystä.", "overview": "Yleiskuva",
        "overview_legend": "vastattu/näkyvissä, !N = pakollisia auki, * = nykyinen osio",
        "conflict": "Toinen kirjoittaja ehti ensin; istunto luettiin uudelleen. Yritä uudelleen.",
        "error": "virhe", "warning": "varoitus", "info": "huom",
        "undo_answered": "vastaus kysymykseen {item}",
        "undo_cleared": "vastauksen poisto kysymyksestä {item}", "undo_note": "muistiinpano ({target})",
        "undo_override": "hallitusasiantuntijan arvio osiolle {section}",
        "undo_other": "viimeisin muutos",
        "required_skipped": "  Pakollinen kysymys {name} jäi vastaamatta; :back palaa siihen.",
        "way_back": "  (takaisin kohtaan {origin}: :goto -)",
        "no_way_back": "Ei aiempaa kohtaa, johon palata.",
        "unknown_target": "Ei kysymystä eikä osiota {target!r}{hint}",
        "did_you_mean": "; tarkoititko {name!r}?",
        "finish_open": "Pakollisia kysymyksiä on vastaamatta {n}:",
        "finish_ask": "Päätetäänkö istunto silti? k = päätä nyt, e = jatka ensimmäisestä avoimesta (k/e)",
        "finish_kept": "Istuntoa ei päätetty; jatketaan kohdasta {name}.",
        "matrix_changed": "     muutettiin: {cells}", "matrix_kept": "     ennallaan: {rows}",
        "several": "{text!r} sopii useaan vaihtoehtoon: {choices}",
        "differ_key": ":eroavat = näkemykset eroavat",
        "views_differ": "näkemykset eroavat", "views_agree": "näkemykset eivät enää eroa",
        "differ_needs_answer": "Anna ensin vastaus; sitten :eroavat merkitsee, että omistajien tai "
                               "hallituksen näkemykset eroavat.",
    },
    "en": {
        "session": "Session", "resume": "Resume later: {command}",
        "started": "New session {id} started ({company}, advisor {advisor}).",
        "resumed": "Resuming session {id} ({company}).",
        "variant": "Agenda: {variant}, {minutes} min.",
        "section": "Section", "progress": "answered {answered}/{visible}",
        "required_left": "required open {n}",
        "clock": "time {spent:.0f}/{planned} min", "total": "total {spent:.0f}/{planned} min",
        "question": "question", "required": "required", "hidden": "hidden by its condition",
        "help": "Help", "prompt": "Ask", "current": "Current answer", "keep": "Enter keeps it",
        "choices_hint": "a number, a value or the start of a name",
        "multi_hint": "one or more numbers (e.g. 1 3) or names (with commas), [] for none",
        "scale_hint": "a scale point", "bool_hint": "y/n (yes/no)", "number_hint": "a number",
        "text_hint": "text on one line (a \"JSON string\" for line breaks)",
        "date_hint": "a date YYYY-MM-DD", "bid_hint": "a business id such as 1234567-1",
        "matrix_hint": "ROW=VALUE,VALUE... or ROW.COLUMN=VALUE separated by spaces, or JSON",
        "group_hint": "a JSON list of entries; + {...} adds one entry",
        "specify": "specify in the note: ... ## text",
        "fields": "Fields", "rows": "Rows", "columns": "Columns", "unit": "unit",
        "dk_na": "{dk}{na}", "dk": ":dk = don't know", "na": ":na = not applicable",
        "saved": "  OK #{seq} {name}{value}", "shown": "shown", "hidden_now": "hidden",
        "now_required": "now required",
        "calculated": "calculated", "overall": "Overall index", "level": "level",
        "insufficient": "insufficient data", "end": "All questions done. :finish closes the session, "
        ":overview shows the scores, :back goes back.", "no_item": "This section has no visible "
        "questions.", "undone": "Undid event #{seq} ({type}{what}).",
        "note_saved": "Note saved (#{seq}, {target}).", "session_note": "session",
        "override_saved": "Section {section} level: computed {computed}, advisor's {override}.",
        "override_removed": "Advisor's level for {section} removed (computed {computed}).",
        "agenda": "Agenda", "planned": "planned", "spent": "spent", "now": "now",
        "finished": "Session finished.", "required_open": "Required and unanswered: {items}",
        "overrides": "Advisor overrides", "computed": "computed", "advisor_level": "advisor's level",
        "justification": "justification",
        "is_finished": "The session is finished; :reopen opens it again, :overview shows the scores.",
        "reopened": "Session reopened.", "unknown_command": "Unknown command {cmd}; :help lists the "
        "commands.", "usage": "Usage: {usage}", "bye": "Session {id} saved.",
        "answer_syntax": "Could not read the answer: {reason}", "dont_know": "don't know",
        "command_hint": "commands start with a colon: {cmd}",
        "commands": "Help: :help or ? · stop: :quit (saves; resume later)",
        "not_applicable": "not applicable", "skipped": "skipped", "cleared": "answer removed",
        "no_position": "No current question.", "overview": "Overview",
        "overview_legend": "answered/visible, !N = required still open, * = current section",
        "conflict": "Another writer got there first; the session was read again. Try again.",
        "error": "error", "warning": "warning", "info": "info",
        "undo_answered": " {item}", "undo_cleared": " {item}", "undo_note": " {target}",
        "undo_override": " {section}", "undo_other": "",
        "required_skipped": "  Required question {name} left unanswered; :back returns to it.",
        "way_back": "  (back to {origin}: :goto -)", "no_way_back": "No earlier place to go back to.",
        "unknown_target": "No item or section {target!r}{hint}", "did_you_mean": "; did you mean {name!r}?",
        "finish_open": "{n} required questions are still unanswered:",
        "finish_ask": "Finish the session anyway? y = finish now, n = carry on from the first open one (y/n)",
        "finish_kept": "The session was not finished; carrying on from {name}.",
        "matrix_changed": "     changed: {cells}", "matrix_kept": "     unchanged: {rows}",
        "several": "{text!r} fits several choices: {choices}",
        "differ_key": ":differ = views differ",
        "views_differ": "views differ", "views_agree": "views no longer differ",
        "differ_needs_answer": "Answer first; then :differ marks that the owners' or the board's "
                               "views differ.",
    },
}

COMMAND_WORDS = frozenset({"help", "h", "quit", "q", "exit", "back", "next", "n", "skip", "undo", "finish",
                           "overview", "agenda", "show", "goto", "note", "clear", "dk", "na",
                           "differ", "eroavat"})
"""Commands typed without the colon: an answer that cannot be read is then hinted at."""

HELP: dict[str, str] = {
    "en": """\
Answer the question on one line, or give a command.
  single choice   the choice's number, value or name (or its start)   2   or   Kuopio   or   kuo
  multi choice    numbers or values with spaces, names with commas   1 3 4   or   Facebook, LinkedIn
  scale           the point's value                       4
  yes/no          y or n (also yes/no, k/e, true/false)   y
  number          digits; spaces, a decimal comma, % and € are fine   6 820 000
  text            the line as it is; a line that is a JSON string ("...\\n...") is decoded
  matrix          ROW=V,V,... gives a row's columns in order; ROW.COL=V one cell
                  (ROW and COL are numbers or ids), separated by spaces; or a JSON object
                  1=4,4 2=4,3   or   customer_segments.evidence=4
                  (rows and cells given change the answer, the others stay; JSON replaces it)
  repeat group    a JSON list of entries [{"name": "...", ...}]; + {...} adds one entry
  note with it    append  ##  and the note:   48 ## was 55 % in 2024
Commands:
  (empty line)    next question, leaving this one as it is
  :back           previous question          :goto SECTION|ITEM   jump there (:goto - back again)
  :skip [NOTE]    mark skipped, go on        :dk [NOTE] don't know   :na [NOTE] not applicable
  :clear          remove this answer         :undo  take back the latest change
  :note TEXT      note on this question (on the section when there is none)
  :differ         (or :eroavat) views differ: the owners or the board disagree on this rating;
                  again to take it off (kept with the answer, shown to the advisor, never scored)
  :overview       live scores and progress   :agenda  planned vs spent minutes
  :override SECTION LEVEL JUSTIFICATION      the advisor's level (LEVEL - removes it)
  :show           this question again        :finish  close with the result (asks if required are open)
  :reopen         open a finished session    :quit  stop; resume with --session ID
  :help or ?      this text
""",
    "fi": """\
Vastaa kysymykseen yhdellä rivillä tai anna komento.
  yksi valinta    valinnan numero, arvo tai nimi (tai sen alku)   2   tai   Kuopio   tai   kuo
  monivalinta     numerot tai arvot välilyönnein, nimet pilkuin   1 3 4   tai   Facebook, LinkedIn
  asteikko        asteikon arvo                           4
  kyllä/ei        k tai e (myös kyllä/ei, y/n, true/false)   k
  luku            numerot; välilyönnit, desimaalipilkku, % ja € käyvät   6 820 000
  teksti          rivi sellaisenaan; JSON-merkkijonona ("...\\n...") annettu rivi puretaan
  matriisi        RIVI=A,A,... antaa rivin sarakkeet järjestyksessä; RIVI.SARAKE=A yhden
                  solun (numerot tai tunnukset), välilyönnein; tai JSON-olio
                  1=4,4 2=4,3   tai   customer_segments.evidence=4
                  (annetut rivit ja solut muuttuvat, muut pysyvät; JSON korvaa koko vastauksen)
  toistoryhmä     JSON-lista kohteista [{"name": "...", ...}]; + {...} lisää yhden
  muistiinpano    lisää vastauksen perään  ##  ja teksti:   48 ## oli 55 % 2024
Komennot:
  (tyhjä rivi)    seuraava kysymys, tämä jää ennalleen
  :back           edellinen kysymys          :goto OSIO|KYSYMYS   siirry (:goto - takaisin)
  :skip [TEKSTI]  merkitse ohitetuksi        :dk [TEKSTI] en osaa sanoa   :na [TEKSTI] ei koske meitä
  :clear          poista tämä vastaus        :undo  peru viimeisin muutos
  :note TEKSTI    muistiinpano tähän kysymykseen (tai osioon, jos kysymystä ei ole)
  :eroavat        (tai :differ) näkemykset eroavat: omistajat tai hallitus ovat eri mieltä tästä
                  arviosta; uudelleen poistaa merkinnän (pysyy vastauksessa, ei vaikuta pisteisiin)
  :overview       pisteet ja edistyminen     :agenda  suunniteltu ja käytetty aika
  :override OSIO TASO PERUSTELU              hallitusasiantuntijan arvio tasosta (TASO - poistaa)
  :show           näytä kysymys uudelleen    :finish  päätä ja näytä tulos (kysyy, jos pakollisia on auki)
  :reopen         avaa päätetty istunto      :quit  lopeta; jatka --session ID
  :help tai ?     tämä ohje
""",
}

_YES = {"y", "yes", "k", "kyllä", "kylla", "true", "1", "j", "ja"}
_NO = {"n", "no", "e", "ei", "false", "0"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")


class AnswerSyntaxError(ValueError):
    """A line that cannot be read as an answer of the item's type (the message says why)."""

    def __init__(self, en: str, fi: str) -> None:
        super().__init__(en)
        self.texts = {"en": en, "fi": fi}

    def text(self, lang: str) -> str:
        """The reason in ``fi`` or ``en``."""
        return self.texts.get(lang, self.texts["en"])


_WHAT = {"multi choice": "monivalinta", "matrix": "matriisi", "entry": "kohde", "repeat group": "toistoryhmä",
         "row": "rivin", "column": "sarakkeen"}


# --- reading answers ------------------------------------------------------------------------

def split_note(text: str) -> tuple[str, str | None]:
    """The answer and the note after ``##`` (a JSON value may hold ``##`` itself)."""
    stripped = text.strip()
    if stripped[:1] in ('"', "[", "{") and json_too_deep(stripped, "") is None:
        try:
            _, end = json.JSONDecoder().raw_decode(stripped)
        except ValueError:
            pass
        else:
            rest = stripped[end:].strip()
            if not rest:
                return stripped, None
            if rest.startswith("##"):
                return stripped[:end], rest[2:].strip() or None
    answer, mark, note = stripped.partition(NOTE_MARK.strip())
    if not mark:
        return stripped, None
    return answer.strip(), note.strip() or None


def _json(text: str, what: str) -> Any:
    deep = json_too_deep(text, "")
    if deep is not None:  # refused before the decoder's recursion could fail on it
        column = deep.span.column if deep.span else 1
        raise AnswerSyntaxError(
            f"{what}: nested deeper than {MAX_DEPTH} levels (column {column})",
            f"{_WHAT[what]}: sisäkkäisyys yli {MAX_DEPTH} tasoa (sarake {column})")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise AnswerSyntaxError(f"{what}: not valid JSON ({exc})",
                                f"{_WHAT[what]}: ei kelpaa JSONiksi ({exc})") from None


def parse_text(text: str) -> str:
    """A text answer: the line, or the string a JSON string literal stands for."""
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        try:
            value = json.loads(text)
        except ValueError:
            return text
        if isinstance(value, str):
            return value
    return text


def parse_number(text: str) -> int | float:
    """A number as people type it: ``6 820 000``, ``6,5``, ``48 %``, ``1200 €``."""
    cleaned = re.sub(r"[\s\u00a0\u202f_]", "", text)
    cleaned = re.sub(r"(%|€|eur|EUR)$", "", cleaned).replace(",", ".")
    if _INTEGER.match(cleaned):
        return int(cleaned)
    if _NUMBER.match(cleaned):
        return float(cleaned)
    raise AnswerSyntaxError(f"{text!r} is not a number", f"{text!r} ei ole luku")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _choice(choices: Sequence[Choice], token: str) -> str:
    """The value of the choice ``token`` names: its value, its number, its label in either
    language (any case), or the start of exactly one value or label."""
    values: list[str] = [c.value for c in choices]
    token = token.strip()
    if token in values:
        return token
    if token.isdigit() and 1 <= int(token) <= len(values):
        return values[int(token) - 1]
    wanted = _fold(token)
    names = [(value, {_fold(value), *(_fold(label) for label in c.label.values())})
             for value, c in zip(values, choices, strict=True)]
    for whole in (True, False):
        found = list(dict.fromkeys(value for value, known in names if wanted and any(
            n == wanted if whole else n.startswith(wanted) for n in known)))
        if len(found) == 1:
            return found[0]
        if found:
            def listing(lang: str, found: list[str] = found) -> str:
                shown = [f"{values.index(v) + 1}) {choices[values.index(v)].label.get(lang, v)}"
                         for v in found[:12]]
                return ", ".join(shown) + (", …" if len(found) > 12 else "")
            raise AnswerSyntaxError(WORDS["en"]["several"].format(text=token, choices=listing("en")),
                                    WORDS["fi"]["several"].format(text=token, choices=listing("fi")))
    raise AnswerSyntaxError(f"{token!r} is neither a choice number 1-{len(values)} nor a choice value "
                            "or name",
                            f"{token!r} ei ole valinnan numero 1-{len(values)} eikä valinnan arvo tai nimi")


def _choices(choices: Sequence[Choice], text: str) -> list[str]:
    """A multi choice: parts separated by commas or semicolons, each a choice (a label may
    hold spaces), or else numbers or values separated by spaces."""
    chosen: list[str] = []
    for part in (p.strip() for p in re.split(r"[,;]+", text)):
        if not part:
            continue
        try:
            chosen.append(_choice(choices, part))
        except AnswerSyntaxError:
            tokens = part.split()
            if len(tokens) == 1:
                raise
            chosen.extend(_choice(choices, token) for token in tokens)
    return chosen


def _scalar(bank: Bank, item: Item, text: str) -> Any:
    from asiakasarvo_engine.bank.models import QuestionType

    kind = item.type
    if kind is QuestionType.SINGLE_CHOICE:
        return _choice(choices_of(bank, item), text)
    if kind is QuestionType.MULTI_CHOICE:
        if text.startswith("["):
            return _json(text, "multi choice")
        return _choices(choices_of(bank, item), text)
    if kind is QuestionType.LIKERT:
        try:
            return int(text)
        except ValueError:
            raise AnswerSyntaxError(f"{text!r} is not a scale point (a whole number)",
                                    f"{text!r} ei ole asteikon arvo (kokonaisluku)") from None
    if kind is QuestionType.BOOLEAN:
        word = text.lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
        raise AnswerSyntaxError(f"{text!r} is not yes or no (y/n)", f"{text!r} ei ole kyllä tai ei (k/e)")
    if kind in (QuestionType.INTEGER, QuestionType.YEAR, QuestionType.NUMBER, QuestionType.MONEY,
                QuestionType.PERCENT):
        return parse_number(text)
    return parse_text(text)


def _matrix(item: Item, text: str, current: Any = None) -> dict[str, dict[str, Any]]:
    """A matrix answer: a JSON object replaces the answer; ``ROW=...`` and ``ROW.COLUMN=V``
    change those cells of the current answer and keep the rest."""
    if text.startswith("{"):
        value = _json(text, "matrix")
        if not isinstance(value, dict):
            raise AnswerSyntaxError("a matrix is a JSON object of rows", "matriisi on rivien JSON-olio")
        return value
    rows = [r.id for r in item.rows or []]
    columns = [c.id for c in item.columns or []]
    found: dict[str, dict[str, Any]] = {}
    if isinstance(current, dict):
        found = {row: dict(cells) for row, cells in current.items() if isinstance(cells, dict)}
    for part in text.split():
        key, equals, raw = part.partition("=")
        if not equals or not raw:
            raise AnswerSyntaxError(f"{part!r}: expected ROW=VALUE,... or ROW.COLUMN=VALUE",
                                    f"{part!r}: odotettiin RIVI=ARVO,... tai RIVI.SARAKE=ARVO")
        row_key, dot, column_key = key.partition(".")
        row = _pick(rows, row_key, "row")
        values = raw.split(",")
        if dot:
            if len(values) != 1:
                raise AnswerSyntaxError(f"{part!r}: one cell takes one value",
                                        f"{part!r}: yhteen soluun annetaan yksi arvo")
            targets = [_pick(columns, column_key, "column")]
        else:
            if len(values) > len(columns):
                raise AnswerSyntaxError(f"{part!r}: {len(values)} values for {len(columns)} columns",
                                        f"{part!r}: {len(values)} arvoa {len(columns)} sarakkeelle")
            targets = columns[:len(values)]
        for column, value in zip(targets, values, strict=True):
            found.setdefault(row, {})[column] = parse_number(value) if value.strip() else None
    return found


def _pick(ids: Sequence[str], key: str, what: str) -> str:
    if key in ids:
        return key
    if key.isdigit() and 1 <= int(key) <= len(ids):
        return ids[int(key) - 1]
    raise AnswerSyntaxError(f"{key!r} is neither a {what} number 1-{len(ids)} nor a {what} id",
                            f"{key!r} ei ole {_WHAT[what]} numero 1-{len(ids)} eikä {_WHAT[what]} tunnus")


def parse_answer(bank: Bank, item: Item, text: str, current: Any = None) -> Any:
    """The value a line stands for as an answer to ``item`` (raises AnswerSyntaxError).

    ``current`` is the item's present value (a repeat group's ``+ {...}`` adds to it, a
    matrix's ``ROW=...`` changes those cells of it).
    The value is checked against the item by the Interview API, not here.
    """
    from asiakasarvo_engine.bank.models import QuestionType

    text = text.strip()
    if item.type is QuestionType.MATRIX:
        return _matrix(item, text, current)
    if item.type is QuestionType.REPEAT_GROUP:
        if text.startswith("+"):
            entry = _json(text[1:].strip(), "entry")
            if not isinstance(entry, dict):
                raise AnswerSyntaxError("+ takes one JSON object {...}", "+ ottaa yhden JSON-olion {...}")
            return [*(current if isinstance(current, list) else []), entry]
        value = _json(text, "repeat group")
        return value if isinstance(value, list) else [value]
    return _scalar(bank, item, text)


# --- the runner ------------------------------------------------------------------------------

@dataclass
class _Io:
    read: Callable[[], str]
    """Reads one line ('' at the end of input)."""
    echo_input: bool
    """Whether to print what was read (piped input, so the transcript reads as a dialogue)."""


class Runner:
    """The dialogue over one :class:`Interview`."""

    def __init__(self, interview: Interview, lang: str, io: _Io, store_path: str | None = None) -> None:
        self.interview = interview
        self.store_path = store_path
        """The store to name in the resume command (None: the default store)."""
        self.lang = lang
        self.words = WORDS[lang]
        self.io = io
        self.bank = interview.program.bank.loaded.bank
        self.formats = Formats(lang, missing="-")
        self.sections = [body.id for body in self.bank.bodies()]
        self.titles = {body.id: body.title.get(lang, body.id) for body in self.bank.bodies()}
        self.items = interview.program.bank.items
        self.shown: tuple[str | None, str | None] | None = None
        self.warned: set[str] = set()
        self.way_back: str | None = None
        """Where the latest :goto left from (``:goto -`` returns there)."""

    # ---------------------------------------------------------------- output

    def say(self, text: str = "") -> None:
        click.echo(text)

    def problems(self, diagnostics: Sequence[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            # The JSON pointer is for machines; the Finnish message names the item itself.
            pointer = f" [{diagnostic.pointer}]" if diagnostic.pointer and self.lang == "en" else ""
            severity = self.words.get(str(diagnostic.severity), str(diagnostic.severity))
            self.say(f"  {severity} {diagnostic.code}{pointer}: {diagnostic.message(self.lang)}")

    def error(self, code: str, message: object) -> None:
        """An error of a command, in the dialogue's language."""
        localized = getattr(message, "message", None)  # store errors with fi/en texts (SES-030, SES-040)
        text = localized(self.lang) if callable(localized) else message
        self.say(f"{self.words['error']} {code}: {text}")

    def ack(self, seq: int | None, name: str, value: str = "") -> None:
        """An accepted change: ``Tallennettu: item = value`` (``OK #seq item = value`` in English)."""
        self.say(self.words["saved"].format(seq=seq, name=name, value=value))

    def header(self) -> str:
        interview, words = self.interview, self.words
        position = interview.position
        progress = interview.progress()
        parts = [words["progress"].format(answered=progress.answered, visible=progress.visible)]
        if progress.required_left:
            parts.append(words["required_left"].format(n=progress.required_left))
        agenda = interview.agenda()
        line = next((ln for ln in agenda.lines if ln.section == position.section), None)
        if line is not None and line.planned_minutes:
            parts.append(words["clock"].format(spent=line.spent_minutes, planned=line.planned_minutes))
        parts.append(words["total"].format(spent=agenda.spent_minutes, planned=agenda.planned_minutes))
        return " | ".join(parts)

    def show(self) -> None:
        """The current question in full (or where the dialogue stands when there is none)."""
        interview, words, lang = self.interview, self.words, self.lang
        position = interview.position
        self.shown = (position.section, position.item)
        self.say()
        if position.section is not None:
            number = self.sections.index(position.section) + 1
            title = self.titles[position.section]
            self.say(f"== {words['section']} {number}/{len(self.sections)}: {title} ==  {self.header()}")
        if interview.finished:
            self.say(words["is_finished"])
            return
        if position.item is None:
            self.say(words["end"] if self._at_end() else words["no_item"])
            return
        name = position.item
        item = self.items[name].item
        section_items = [n for n in self.items if self.items[n].section == position.section
                         and n not in interview.live.hidden]
        flags = []
        if name in section_items:
            flags.append(f"{words['question']} {section_items.index(name) + 1}/{len(section_items)}")
        if name in interview.live.required:
            flags.append(words["required"])
        if not position.visible:
            flags.append(words["hidden"])
        self.say(f"[{name}] ({', '.join(flags)})")
        self.say(item.text.get(lang, ""))
        self.say_choices(item)
        if item.unit is not None:
            self.say(f"  ({words['unit']}: {item.unit.get(lang, '')})")
        if item.help is not None:
            self.say(f"{words['help']}: {item.help.get(lang, '')}")
        if item.prompt is not None:
            self.say(f"{words['prompt']}: {item.prompt.get(lang, '')}")
        entry = interview.answers.get(name)
        if entry is not None:
            shown = (value_text(self.bank, item, entry.value, lang) if entry.status.value == "answered"
                     else f"({words[entry.status.value]})")
            note = f" {NOTE_MARK.strip()} {one_line(entry.note, 200)}" if entry.note else ""
            differ = f" ({words['views_differ']})" if entry.views_differ else ""
            self.say(f"{words['current']}: {one_line(shown, 300)}{differ}{note}  ({words['keep']})")
        if self.way_back is not None:
            if self.way_back == name:
                self.way_back = None
            else:
                self.say(words["way_back"].format(origin=self.way_back))

    def _at_end(self) -> bool:
        hidden = self.interview.live.hidden
        later = [n for n in self.items if n not in hidden]
        position = self.interview.position
        if position.section is None or not later:
            return True
        last_section = self.items[later[-1]].section
        return self.sections.index(position.section) >= self.sections.index(last_section)

    def say_choices(self, item: Item) -> None:
        from asiakasarvo_engine.bank.models import QuestionType

        words, lang, bank = self.words, self.lang, self.bank
        kind = item.type
        if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE):
            choices = choices_of(bank, item)
            if len(choices) > LONG_LIST:
                self.say_columns(choices)
            else:
                for index, choice in enumerate(choices, start=1):
                    extra = " *" if choice.exclusive and kind is QuestionType.MULTI_CHOICE else ""
                    extra += f"  ({words['specify']})" if choice.other else ""
                    self.say(f"  {index:>2}) {choice.label.get(lang, choice.value)}  [{choice.value}]{extra}")
            hint = words["choices_hint" if kind is QuestionType.SINGLE_CHOICE else "multi_hint"]
        elif kind is QuestionType.LIKERT and item.scale in bank.scales:
            scale = bank.scales[item.scale]
            for point in scale.points:
                self.say(f"  {point.value:>2} = {point.label.get(lang, '')}")
            extras = [words["dk"]] if scale.allow_dont_know else []
            extras += [words["na"]] if scale.allow_not_applicable else []
            extras.append(words["differ_key"])
            hint = words["scale_hint"] + ("; " + ", ".join(extras) if extras else "")
        elif kind is QuestionType.MATRIX:
            self.say(f"  {words['rows']}:")
            for index, row in enumerate(item.rows or [], start=1):
                self.say(f"    {index:>2}. {row.label.get(lang, row.id)}  [{row.id}]")
            self.say(f"  {words['columns']}:")
            for index, column in enumerate(item.columns or [], start=1):
                column_scale = bank.scales.get(column.scale)
                points = ", ".join(f"{p.value} {p.label.get(lang, '')}"
                                   for p in (column_scale.points if column_scale else []))
                self.say(f"    {index:>2}. {column.label.get(lang, column.id)}  [{column.id}]  ({points})")
            hint = words["matrix_hint"]
        elif kind is QuestionType.REPEAT_GROUP:
            self.say(f"  {words['fields']}:")
            for field in item.items or []:
                options = ""
                if field.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE):
                    options = ": " + ", ".join(c.value for c in choices_of(bank, field))
                required = f", {words['required']}" if field.required else ""
                kind_word = TYPE_WORDS[lang].get(field.type.value, field.type.value)
                self.say(f"    {field.id} ({kind_word}{required}){options}  "
                         f"{field.text.get(lang, '')}")
            hint = words["group_hint"]
        elif kind is QuestionType.BOOLEAN:
            hint = words["bool_hint"]
        elif kind is QuestionType.DATE:
            hint = words["date_hint"]
        elif kind is QuestionType.BUSINESS_ID:
            hint = words["bid_hint"]
        elif kind in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
            hint = words["text_hint"]
        else:
            hint = words["number_hint"]
        if kind is not QuestionType.LIKERT:  # a scale says itself whether it allows them
            hint += f"; {words['dk']}, {words['na']}"
        self.say(f"  ({hint})")

    def say_columns(self, choices: Sequence[Any]) -> None:
        """A long list of choices as numbered names in columns (column by column), so it
        fits the screen; a choice is then typed by its number or the start of its name."""
        cells = []
        for index, choice in enumerate(choices, start=1):
            mark = " *" if choice.exclusive else ""
            mark += " (…)" if choice.other else ""
            cells.append(f"{index:>2}) {choice.label.get(self.lang, choice.value)}{mark}")
        width = max(len(cell) for cell in cells) + 2
        count = max(1, min(4, (SCREEN_WIDTH - 2) // width))
        rows = -(-len(cells) // count)
        for row in range(rows):
            line = "".join(cells[i].ljust(width) for i in range(row, len(cells), rows))
            self.say("  " + line.rstrip())

    def changes(self, changes: Changes | None) -> None:
        if changes is None:
            return
        words = self.words
        if changes.shown:
            self.say(f"     + {words['shown']}: {', '.join(changes.shown)}")
        if changes.hidden:
            self.say(f"     - {words['hidden_now']}: {', '.join(changes.hidden)}")
        if changes.required:
            self.say(f"     ! {words['now_required']}: {', '.join(changes.required)}")
        scores = [self.view_text(self.titles.get(sid, sid), view) for sid, view in changes.sections.items()]
        if scores:
            scores.append(self.view_text(words["overall"], changes.overall))
            self.say("     " + " | ".join(scores))

    def view_text(self, title: str, view: SectionView) -> str:
        words = self.words
        if view.score is None or view.level is None:
            text = f"{title}: {words['insufficient']}"
        else:
            text = f"{title}: {self.formats.number(view.score)} ({words['level']} {view.level})"
        if view.override is not None:
            text += f" -> {view.override}"
        return text

    def agenda_warnings(self) -> None:
        for warning in self.interview.agenda().warnings:
            if warning.section not in self.warned:
                self.warned.add(warning.section)
                self.say(f"  ! {warning.message}")

    # ---------------------------------------------------------------- the loop

    def prompt(self) -> str | None:
        position = self.interview.position
        click.echo(f"{position.item or position.section or ''}> ", nl=False)
        try:
            line = self.io.read()
        except KeyboardInterrupt:  # Ctrl-C at the prompt stops like :quit
            line = ""
        if not line:
            click.echo()
            return None
        line = line.rstrip("\r\n")
        if self.io.echo_input:
            click.echo(line)
        return line

    def run(self) -> None:
        """Ask until :finish, :quit or the end of input."""
        from asiakasarvo_engine.errors import ConflictError, EngineError

        interview = self.interview
        if not interview.finished:
            self.first_open()
        while True:
            position = interview.position
            if self.shown != (position.section, position.item):
                self.show()
            line = self.prompt()
            if line is None:
                self.goodbye()
                return
            try:
                if not self.handle(line):
                    return
            except ConflictError as exc:
                self.error(exc.code, exc)
                self.say(self.words["conflict"])
                self.shown = None
            except EngineError as exc:
                self.error(exc.code, exc)
            self.agenda_warnings()

    def first_open(self) -> None:
        """Go to the first question from here on that is not dealt with (the API resumes in
        the section under discussion, which may be done with)."""
        interview = self.interview
        position = interview.position
        names = list(self.items)
        start = names.index(position.item) if position.item is not None else 0
        if position.item is None and position.section is not None:
            start = next((i for i, n in enumerate(names) if self.items[n].section == position.section), 0)
        answers, hidden = interview.answers, interview.live.hidden
        for name in names[start:]:
            entry = answers.get(name)
            if name not in hidden and (entry is None or entry.status.value == "skipped"):
                if name != position.item or position.section is None:  # re-enter after a pause
                    interview.go_to(name)
                return
        if position.item is None:
            interview.next()

    def resume_command(self) -> str:
        """The whole command that resumes this session, with the store when it is not the default."""
        from asiakasarvo_engine.session.store import is_url, redact

        shown = self.store_path and (redact(self.store_path) if is_url(self.store_path) else self.store_path)
        store = f" --store {shlex.quote(shown)}" if shown else ""  # never a database password
        return f"asiakasarvo interview{store} --session {self.interview.session_id}"

    def goodbye(self) -> None:
        self.interview.pause()  # the agenda clock does not run while the session waits
        self.say(self.words["bye"].format(id=self.interview.session_id))
        self.say(self.words["resume"].format(command=self.resume_command()))

    def handle(self, line: str) -> bool:
        """Carry out one line; False when the dialogue ends."""
        stripped = line.strip()
        if not stripped:
            interview = self.interview
            if not interview.finished:
                name = interview.position.item
                if name in interview.live.open_required and name not in interview.answers:
                    self.say(self.words["required_skipped"].format(name=name))
                interview.next()
            return True
        if stripped == "?":
            stripped = ":help"
        if stripped.startswith(":"):
            command, _, rest = stripped[1:].partition(" ")
            return self.command(command.lower(), rest.strip())
        self.answer(stripped)
        return True

    def answer(self, text: str, status: str = "answered", note: str | None = None) -> None:
        from asiakasarvo_engine.errors import EngineError

        interview = self.interview
        name = interview.position.item
        if interview.finished:
            raise EngineError(self.words["is_finished"], code="SES-011")
        if name is None:
            self.say(self.words["no_position"])
            return
        item = self.items[name].item
        value: Any = None
        current = interview.answers.get(name)
        if status == "answered":
            text, note = split_note(text)
            try:
                value = parse_answer(self.bank, item, text, current.value if current else None)
            except AnswerSyntaxError as exc:
                reason = exc.text(self.lang)
                if text.strip().lower() in COMMAND_WORDS:
                    reason += "; " + self.words["command_hint"].format(cmd=":" + text.strip().lower())
                self.say("  " + self.words["answer_syntax"].format(reason=reason))
                return
        outcome = interview.answer(name, value, status=status, note=note,  # a new answer keeps the flag
                                   views_differ=current is not None and current.views_differ)
        if not outcome.ok:
            self.problems(outcome.problems)
            return
        self.problems(outcome.warnings)
        entry = interview.answers[name]
        shown = (value_text(self.bank, item, entry.value, self.lang) if status == "answered"
                 else f"({self.words[status]})")
        self.ack(outcome.seq, name, f" = {one_line(shown, 120)}")
        if item.type.value == "matrix" and current is not None and status == "answered":
            self.matrix_changes(current.value if current.status.value == "answered" else None, entry.value)
        self.changes(outcome.changes)
        interview.next()

    def matrix_changes(self, before: Any, after: Any) -> None:
        """What a matrix answer changed in the one before it: the cells, and the rows kept."""
        old = before if isinstance(before, dict) else {}
        new = after if isinstance(after, dict) else {}
        cells = []
        for row in dict.fromkeys([*old, *new]):
            was, now = old.get(row) or {}, new.get(row) or {}
            for column in dict.fromkeys([*was, *now]):
                if was.get(column) != now.get(column):
                    cells.append(f"{row}.{column} {self.formats.plain(was.get(column))} → "
                                 f"{self.formats.plain(now.get(column))}")
        kept = [row for row in old if row in new and old[row] == new[row]]
        if cells:
            self.say(self.words["matrix_changed"].format(cells=", ".join(cells)))
        if kept and cells:
            self.say(self.words["matrix_kept"].format(rows=", ".join(kept)))

    def command(self, command: str, rest: str) -> bool:
        from asiakasarvo_engine.errors import EngineError

        interview, words = self.interview, self.words
        if command in ("quit", "q", "exit"):
            self.goodbye()
            return False
        if command in ("help", "h", "?"):
            self.say(HELP[self.lang].rstrip())
        elif command in ("show", "s"):
            self.shown = None
        elif command == "back":
            interview.back()
        elif command in ("next", "n"):
            interview.next()
        elif command == "goto":
            self.goto(rest.split(maxsplit=1)[0] if rest else "")
        elif command == "skip":
            self.answer("", "skipped", rest or None)
        elif command in ("dk", "dontknow"):
            self.answer("", "dont_know", rest or None)
        elif command == "na":
            self.answer("", "not_applicable", rest or None)
        elif command == "clear":
            self.clear()
        elif command == "undo":
            self.undo()
        elif command == "note":
            self.note(rest)
        elif command in ("differ", "eroavat"):
            self.differ()
        elif command == "overview":
            self.overview()
        elif command == "agenda":
            self.agenda()
        elif command == "override":
            self.override(rest)
        elif command == "finish":
            return not self.finish()
        elif command == "reopen":
            interview.reopen()
            self.say(words["reopened"])
            self.shown = None
            if interview.position.item is None:
                interview.next()
        elif command == "status":
            self.say(self.header())
        else:
            raise EngineError(words["unknown_command"].format(cmd=":" + command), code="SES-010")
        return True

    def goto(self, target: str) -> None:
        """``:goto SECTION|ITEM``, remembering where it left from; ``:goto -`` goes back there."""
        from asiakasarvo_engine.session.interview import UnknownTargetError
        from asiakasarvo_engine.suggest import closest

        words, interview = self.words, self.interview
        if not target:
            self.say(words["usage"].format(usage=":goto SECTION|ITEM | :goto -"))
            return
        position = interview.position
        origin = position.item or position.section
        returning = target == "-"
        if returning:
            if self.way_back is None:
                self.say(words["no_way_back"])
                return
            target = self.way_back
        try:
            interview.go_to(target)
        except UnknownTargetError as exc:
            near = closest(target, [*self.items, *self.sections])
            hint = words["did_you_mean"].format(name=near[0]) if near else ""
            self.error(exc.code, words["unknown_target"].format(target=target, hint=hint))
            return
        self.way_back = None if returning or origin == target else origin
        self.shown = None

    def clear(self) -> None:
        name = self.interview.position.item
        if name is None:
            self.say(self.words["no_position"])
            return
        outcome = self.interview.clear(name)
        if not outcome.ok:
            self.problems(outcome.problems)
            return
        if outcome.seq is not None:
            self.ack(outcome.seq, name, f": {self.words['cleared']}")
            self.changes(outcome.changes)
        self.shown = None

    def undo(self) -> None:
        from asiakasarvo_engine.session.events import Answered, Cleared, NoteAdded, Overridden

        words = self.words
        outcome = self.interview.undo()
        target = outcome.target
        if isinstance(target, Answered):
            what = words["undo_answered"].format(item=target.item)
        elif isinstance(target, Cleared):
            what = words["undo_cleared"].format(item=target.item)
        elif isinstance(target, NoteAdded):
            what = words["undo_note"].format(target=target.target or words["session_note"])
        elif isinstance(target, Overridden):
            what = words["undo_override"].format(section=target.section)
        else:
            what = words["undo_other"]
        self.say("  " + words["undone"].format(seq=target.seq, type=target.type, what=what))
        self.changes(outcome.changes)
        if isinstance(target, Answered | Cleared):
            self.interview.go_to(target.item)
            self.shown = None

    def differ(self) -> None:
        """``:differ`` / ``:eroavat``: turn the current answer's "views differ" flag on or off
        (the answer is stored again with the flag; a question that is no rating is ANS-009)."""
        interview, words = self.interview, self.words
        name = interview.position.item
        if interview.finished:
            self.say(words["is_finished"])
            return
        if name is None:
            self.say(words["no_position"])
            return
        current = interview.answers.get(name)
        if current is None and self.items[name].item.type.value == "likert":
            self.say("  " + words["differ_needs_answer"])
            return
        on = current is None or not current.views_differ
        outcome = interview.answer(name, current.value if current else None,
                                   status=current.status if current else "answered",
                                   note=current.note if current else None, views_differ=on)
        if not outcome.ok:
            self.problems(outcome.problems)
            return
        self.ack(outcome.seq, name, f": {words['views_differ' if on else 'views_agree']}")

    def note(self, text: str) -> None:
        if not text:
            self.say(self.words["usage"].format(usage=":note TEXT"))
            return
        position = self.interview.position
        target = position.item or position.section
        note = self.interview.note(parse_text(text), target)
        where = target or self.words["session_note"]
        self.say("  " + self.words["note_saved"].format(seq=note.seq, target=where))

    def override(self, rest: str) -> None:
        from asiakasarvo_engine.errors import EngineError

        parts = rest.split(None, 2)
        usage = ":override SECTION LEVEL JUSTIFICATION"
        if len(parts) < 3 and not (len(parts) == 2 and parts[1] in ("-", "none")):
            self.say(self.words["usage"].format(usage=usage))
            return
        section, raw_level = parts[0], parts[1]
        justification = parts[2] if len(parts) > 2 else "-"
        level: int | None
        if raw_level in ("-", "none"):
            level = None
        elif raw_level.isdigit():
            level = int(raw_level)
        else:
            raise EngineError(self.words["usage"].format(usage=usage), code="SES-010")
        comparison = self.interview.override(section, level, justification)
        computed = "-" if comparison.computed is None else str(comparison.computed)
        if comparison.override is None:
            self.say("  " + self.words["override_removed"].format(section=section, computed=computed))
        else:
            self.say("  " + self.words["override_saved"].format(section=section, computed=computed,
                                                               override=comparison.override))

    def overview(self) -> None:
        words = self.words
        overview = self.interview.overview()
        self.say(f"{words['overview']} ({words['overview_legend']}):")
        for section in overview.sections:
            mark = "*" if section.current else " "
            counts = f"{section.answered:>3}/{section.visible:<3}"
            if section.required_left:
                counts += f" !{section.required_left}"
            score = self.view_text("", section.view)[2:] if section.view is not None else ""
            clock = (f"{section.spent_minutes:4.0f}/{section.planned_minutes:<3} min"
                     if section.planned_minutes else " " * 12)
            self.say(f" {mark} {section.title[:40]:<40} {counts:<12} {clock}  {score}")
        self.say("   " + self.view_text(words["overall"], overview.overall))
        progress = overview.progress
        self.say("   " + words["progress"].format(answered=progress.answered, visible=progress.visible)
                 + (", " + words["required_left"].format(n=progress.required_left)
                    if progress.required_left else ""))

    def agenda(self) -> None:
        words = self.words
        agenda = self.interview.agenda()
        self.say(f"{words['agenda']} ({words['spent']}/{words['planned']}):")
        for line in agenda.lines:
            mark = "*" if line.current else " "
            over = "  !" if line.over else ""
            self.say(f" {mark} {line.title[:44]:<44} {self.minutes(line.spent_minutes)} / "
                     f"{line.planned_minutes:>3} min{over}")
        self.say(f"   {'':<44} {self.minutes(agenda.spent_minutes)} / {agenda.planned_minutes:>3} min")
        for warning in agenda.warnings:
            self.say(f"  ! {warning.message}")

    def minutes(self, value: float) -> str:
        """Minutes with one decimal, a decimal comma in Finnish."""
        text = f"{value:5.1f}"
        return text.replace(".", ",") if self.lang == "fi" else text

    def confirm_finish(self) -> bool:
        """With required questions open, list them and ask; False: carry on from the first."""
        interview, words = self.interview, self.words
        left = [name for name in self.items if name in interview.live.open_required]
        if not left:
            return True
        self.say(words["finish_open"].format(n=len(left)))
        for name in left:
            text = self.items[name].item.text.get(self.lang, "")
            self.say(f"  - {name}: {one_line(text, 70)}")
        self.say(words["finish_ask"])
        click.echo("> ", nl=False)
        line = self.io.read()
        if line and self.io.echo_input:
            click.echo(line.rstrip("\r\n"))
        elif not line:
            click.echo()
        if line.strip().lower() in _YES:
            return True
        interview.go_to(left[0])
        self.shown = None
        self.say(words["finish_kept"].format(name=left[0]))
        return False

    def finish(self) -> bool:
        """``:finish``: close the session and print the result; False when the advisor chose
        to carry on with required questions still open."""
        from asiakasarvo_engine.cli.score import format_result

        words = self.words
        if not self.interview.finished and not self.confirm_finish():
            return False
        done = self.interview.finish()
        self.say(words["finished"])
        self.say(format_result(done.result, self.lang).rstrip())
        overridden = [c for c in done.levels.values() if c.override is not None]
        if overridden:
            self.say(f"{words['overrides']}:")
            for comparison in overridden:
                computed = "-" if comparison.computed is None else str(comparison.computed)
                self.say(f"  {self.titles.get(comparison.section, comparison.section)}: {words['computed']} "
                         f"{computed}, {words['advisor_level']} {comparison.override} "
                         f"({comparison.author}; {words['justification']}: {comparison.justification})")
        if done.required_left:
            self.say(words["required_open"].format(items=", ".join(done.required_left)))
        self.say(f"{words['session']}: {self.interview.session_id}")
        return True


def _reader(stream: TextIO) -> Callable[[], str]:
    def read() -> str:
        try:
            return stream.readline()
        except UnicodeDecodeError:
            return "\n"
    return read


def run_interview(program: ScoringProgram, store_path: str | None, *, session_id: str | None,
                  lang: str | None, default_lang: str, company: str | None, business_id: str | None,
                  advisor: str | None, stream: TextIO | None = None, variant: str | None = None) -> str:
    """Start or resume a session and run the dialogue; returns the session id. ``variant``
    is the agenda variant of a new session (the bank's first when None)."""
    from asiakasarvo_engine.errors import EngineError
    from asiakasarvo_engine.scoring.result import Company
    from asiakasarvo_engine.session.interview import Interview
    from asiakasarvo_engine.session.paths import MEMORY, STORE_ENV, default_store_path
    from asiakasarvo_engine.session.store import is_url

    source = stream or sys.stdin
    io = _Io(_reader(source), echo_input=not source.isatty())
    with opened(store_path) as store:
        if session_id is not None:
            from asiakasarvo_engine.session.lookup import resolve_session

            session_id = resolve_session(store, session_id, lang or default_lang)
            interview = Interview.open(program, store, session_id, author=advisor)
            if variant is not None and variant != interview.variant:
                raise click.UsageError(
                    f"--variant {variant}: session {session_id} follows {interview.variant or 'every item'}; "
                    "the variant is chosen when a session starts")
            shown_lang = lang or interview.lang
            words = WORDS[shown_lang]
            who = interview.started.company.name or "-"
            click.echo(words["resumed"].format(id=interview.session_id, company=who))
        else:
            if business_id is not None:
                from asiakasarvo_engine.bank.ytunnus import business_id_issue

                issue = business_id_issue(business_id)
                if issue is not None:
                    reason = issue.en if (lang or default_lang) == "en" else issue.fi
                    raise EngineError(f"--business-id {business_id!r}: {reason}", code="ANS-005")
            shown_lang = lang or default_lang
            who_advisor = advisor or os.environ.get("ASIAKASARVO_ADVISOR") or _user()
            interview = Interview.start(program, store,
                                        company=Company(name=company, business_id=business_id),
                                        advisor=who_advisor, lang="en" if shown_lang == "en" else "fi",
                                        variant=variant)
            words = WORDS[shown_lang]
            click.echo(words["started"].format(id=interview.session_id, company=company or "-",
                                               advisor=who_advisor))
        click.echo(f"{words['session']}: {interview.session_id}")
        if interview.variant is not None:
            click.echo(words["variant"].format(variant=_variant_title(interview, shown_lang),
                                               minutes=interview.agenda().planned_minutes))
        click.echo(words["commands"])
        if store_path is None and os.environ.get(STORE_ENV, "").strip():
            override = os.environ[STORE_ENV].strip()
            store_path = override if is_url(override) else str(default_store_path())
        resume_store = None if store_path is None else (
            store_path if store_path == MEMORY or is_url(store_path)
            else os.path.abspath(os.path.expanduser(store_path)))
        Runner(interview, shown_lang, io, resume_store).run()
        return interview.session_id


def _variant_title(interview: Interview, lang: str) -> str:
    """The session's agenda variant as its title in ``lang`` and its id."""
    variant = interview.program.bank.loaded.bank.variant(interview.variant)
    if variant is None:
        return str(interview.variant)
    return f"{variant.title.get(lang) or variant.title.get('fi') or variant.id} ({variant.id})"


def _user() -> str:
    import getpass

    try:
        return getpass.getuser() or "advisor"
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "advisor"


@click.command("interview")
@click.option("--session", "session_id", default=None, metavar="ID", help="Resume this session.")
@click.option("--lang", "lang_option", type=click.Choice(["fi", "en"]), default=None,
              help="Language of the questions (default: the session's, else --lang of the command).")
@click.option("--company", default=None, help="Company name (new session).")
@click.option("--business-id", "business_id", default=None, help="Finnish business id (new session).")
@click.option("--advisor", default=None,
              help="Advisor running the session; signs the events (default: $ASIAKASARVO_ADVISOR or the "
                   "user name).")
@click.option("--variant", default=None, metavar="NAME",
              help="Agenda variant of a new session: the bank's ids, e.g. full, core (200 min) or core_3h "
                   "(180 min); core variants ask the core items only (default: the bank's first).")
@click.option("--rules", "rules_path", type=click.Path(), default=None,
              help="Scoring rules (default: the shipped rules).")
@click.option("--bank", "bank_path", type=click.Path(), default=None,
              help="Question bank (default: the shipped bank).")
@store_option
@click.pass_context
def interview_command(ctx: click.Context, *, session_id: str | None, lang_option: str | None,
                      company: str | None, business_id: str | None, advisor: str | None, variant: str | None,
                      rules_path: str | None, bank_path: str | None, store_path: str | None) -> None:
    """Haastattelu terminaalissa / run an interview session in the terminal.

    Starts a new session (--company, --business-id, --advisor) or resumes one
    (--session ID) where it stopped. Reads one line per answer or :command, so piped
    input works; :help lists the commands. At the end of input the session is kept
    and its id printed for --session.
    """
    from asiakasarvo_engine.scoring.program import load_program

    program = load_program(rules_path, bank_path)
    run_interview(program, chosen_store(ctx, store_path), session_id=session_id, lang=lang_option,
                  default_lang=lang_of(ctx), company=company, business_id=business_id, advisor=advisor,
                  variant=variant)
