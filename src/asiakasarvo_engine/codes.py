"""The catalogue of diagnostic codes: one stable id, a severity and fi/en templates.

Tests assert codes, never prose, so the texts may be edited freely. Templates use
``str.format`` fields; a field a caller does not give prints as an empty string.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from string import Formatter
from typing import Any


class Severity(StrEnum):
    """How bad a diagnostic is; errors block loading, warnings do not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Code:
    """One entry of the catalogue."""

    id: str
    severity: Severity
    en: str
    fi: str


_E, _W = Severity.ERROR, Severity.WARNING

_CATALOGUE: tuple[Code, ...] = (
    # Reading files
    Code("SRC-001", _E, "cannot read file: {found}", "tiedostoa ei voi lukea: {found}"),
    Code("SRC-002", _E, "file is not valid UTF-8 ({found})",
         "tiedosto ei ole kelvollista UTF-8-tekstiä ({found})"),
    Code("SRC-003", _E, "file is too large: {found} (at most {expected})",
         "tiedosto on liian suuri: {found} (enintään {expected})"),
    Code("SRC-004", _E, "YAML syntax error: {found}", "YAML-syntaksivirhe: {found}"),
    Code("SRC-005", _E, "duplicate key {found!r}; the first is at {expected}",
         "avain {found!r} toistuu; ensimmäinen on kohdassa {expected}"),
    Code("SRC-006", _E, "YAML anchors and aliases are not allowed ({found})",
         "YAML-ankkurit ja -viittaukset eivät ole sallittuja ({found})"),
    Code("SRC-007", _E, "JSON syntax error: {found}", "JSON-syntaksivirhe: {found}"),
    Code("SRC-008", _E, "unsupported file type {found!r}; expected {expected}",
         "tiedostotyyppiä {found!r} ei tueta; odotettiin {expected}"),
    Code("SRC-009", _E, "document is empty or not a mapping; found {found}",
         "dokumentti on tyhjä tai ei ole avain-arvo-rakenne; löytyi {found}"),
    Code("SRC-010", _E, "keys must be plain strings; found {found}",
         "avainten on oltava merkkijonoja; löytyi {found}"),
    Code("SRC-011", _E, "YAML tag {found!r} is not allowed", "YAML-tagi {found!r} ei ole sallittu"),
    Code("SRC-012", _E, "document is too large or too deeply nested ({found}, at most {expected})",
         "dokumentti on liian suuri tai syvä ({found}, enintään {expected})"),
    Code("SRC-013", _E, "number {found} is out of range (beyond ±1.8e308)",
         "luku {found} on lukualueen ulkopuolella (yli ±1,8e308)"),
    # Schema and model validation
    Code("SCH-001", _E, "{found}; expected {expected}", "{found}; odotettiin {expected}"),
    Code("SCH-002", _E, "unknown key {found!r}", "tuntematon avain {found!r}"),
    Code("SCH-003", _E, "missing required key {expected!r}", "pakollinen avain {expected!r} puuttuu"),
    Code("SCH-004", _E, "wrong type: found {found}, expected {expected}",
         "väärä tyyppi: löytyi {found}, odotettiin {expected}"),
    Code("SCH-005", _E, "value {found} is not one of {expected}",
         "arvo {found} ei ole mikään arvoista {expected}"),
    Code("SCH-006", _E, "value {found} does not match {expected}",
         "arvo {found} ei vastaa muotoa {expected}"),
    Code("FMT-001", _E, "unknown format version {found}; this engine reads {expected}",
         "tuntematon formaattiversio {found}; tämä moottori lukee versioita {expected}"),
    Code("FMT-002", _E, "wrong kind of file: found {found}, expected {expected}",
         "väärä tiedostolaji: löytyi {found}, odotettiin {expected}"),
    # Question banks
    Code("BANK-001", _E, "duplicate section id {found!r}", "osion tunnus {found!r} toistuu"),
    Code("BANK-002", _E, "duplicate id {found!r} in section {expected!r}",
         "tunnus {found!r} toistuu osiossa {expected!r}"),
    Code("BANK-003", _E, "duplicate choice value {found!r}", "vaihtoehdon arvo {found!r} toistuu"),
    Code("BANK-004", _E, "unknown scale {found!r}", "tuntematon asteikko {found!r}"),
    Code("BANK-005", _E, "text is missing in language {expected!r}",
         "teksti puuttuu kielellä {expected!r}"),
    Code("BANK-006", _E, "agenda minutes add up to {found}; expected {expected}",
         "asialistan minuutit ovat yhteensä {found}; odotettiin {expected}"),
    Code("BANK-007", _E, "expression refers to unknown name {found!r}",
         "lauseke viittaa tuntemattomaan nimeen {found!r}"),
    Code("BANK-008", _E, "calculated values form a cycle: {found}",
         "lasketut arvot muodostavat kehän: {found}"),
    Code("BANK-009", _E, "repeat group is malformed: {found}; expected {expected}",
         "toistuva ryhmä on virheellinen: {found}; odotettiin {expected}"),
    Code("BANK-010", _E, "type {found!r} needs {expected}", "tyyppi {found!r} tarvitsee {expected}"),
    Code("BANK-011", _W, "{found} has no effect on type {expected!r}",
         "{found} ei vaikuta tyyppiin {expected!r}"),
    Code("BANK-012", _E, "cannot include {found}: {expected}",
         "tiedostoa {found} ei voi liittää: {expected}"),
    Code("BANK-013", _E, "bounds are inconsistent: {found}", "rajat ovat ristiriitaiset: {found}"),
    Code("BANK-014", _E, "invalid regular expression {found!r}: {expected}",
         "virheellinen säännöllinen lauseke {found!r}: {expected}"),
    Code("BANK-015", _E, "scale is malformed: {found}", "asteikko on virheellinen: {found}"),
    Code("BANK-016", _E, "invalid expression: {found}", "virheellinen lauseke: {found}"),
    Code("BANK-017", _E, "unknown choice list {found!r}", "tuntematon vaihtoehtolista {found!r}"),
    Code("BANK-018", _E, "id {found!r} is reserved", "tunnus {found!r} on varattu"),
    Code("BANK-019", _E, "{found!r} is not a choice of {expected}",
         "{found!r} ei ole kysymyksen {expected} vaihtoehto"),
    Code("BANK-020", _E, "{expected} holds a single value but is compared with the list {found}",
         "kysymyksen {expected} vastaus on yksi arvo, mutta sitä verrataan luetteloon {found}"),
    Code("BANK-021", _E, "agenda variant {found} minutes; expected {expected}",
         "asialistan muunnelma {found} minuuttia; odotettiin {expected}"),
    Code("BANK-022", _E, "unknown agenda variant {found!r}; expected one of {expected}",
         "tuntematon asialistan muunnelma {found!r}; odotettiin jotakin näistä: {expected}"),
    Code("BANK-023", _W, "required item {found!r} is extended, so a meeting of variant {expected!r} "
         "never asks it", "pakollinen kysymys {found!r} kuuluu laajaan osaan, joten muunnelman "
         "{expected!r} tapaamisessa sitä ei kysytä"),
    # Scoring rules
    Code("RULE-001", _E, "rules are written for bank {found}, not {expected}",
         "säännöt on kirjoitettu kysymyspankille {found}, ei pankille {expected}"),
    Code("RULE-002", _E, "unknown item {found!r} in section {expected!r}",
         "tuntematon kysymys {found!r} osiossa {expected!r}"),
    Code("RULE-003", _E, "unknown section {found!r}", "tuntematon osio {found!r}"),
    Code("RULE-004", _E, "unknown scale {found!r}", "tuntematon asteikko {found!r}"),
    Code("RULE-005", _E, "scale scores do not fit the bank scale: {found}; expected {expected}",
         "asteikon pisteet eivät sovi kysymyspankin asteikkoon: {found}; odotettiin {expected}"),
    Code("RULE-006", _E, "item cannot be scored this way: {found}; expected {expected}",
         "kysymystä ei voi pisteyttää näin: {found}; odotettiin {expected}"),
    Code("RULE-007", _E, "item {found!r} is left unscored without a reason; "
         "score it or list it under 'unscored'",
         "kysymys {found!r} jää pisteyttämättä ilman perustetta; pisteytä se tai lisää se "
         "kohtaan 'unscored'"),
    Code("RULE-008", _E, "maturity levels are malformed: {found}; expected {expected}",
         "kypsyystasot ovat virheelliset: {found}; odotettiin {expected}"),
    Code("RULE-009", _E, "section {found!r} is neither scored nor declared descriptive",
         "osiota {found!r} ei pisteytetä eikä sitä ole merkitty kuvailevaksi"),
    Code("RULE-010", _E, "weights add up to zero in {found}", "painot ovat yhteensä nolla: {found}"),
    Code("RULE-011", _E, "invalid expression: {found}", "virheellinen lauseke: {found}"),
    Code("RULE-012", _E, "unknown name {found!r} in an expression",
         "tuntematon nimi {found!r} lausekkeessa"),
    Code("RULE-013", _E, "unknown financial ratio or figure {found!r}; expected one of {expected}",
         "tuntematon tunnusluku tai tilinpäätöserä {found!r}; odotettiin jotakin seuraavista: {expected}"),
    Code("RULE-014", _E, "guide-value bands are malformed: {found}",
         "ohjearvojen rajat ovat virheelliset: {found}"),
    Code("RULE-015", _E, "{found!r} is both scored and declared not scored (unscored or descriptive)",
         "{found!r} on sekä pisteytetty että merkitty pisteyttämättömäksi (unscored tai descriptive)"),
    Code("RULE-017", _E, "unknown {expected} {found!r}", "tuntematon {expected} {found!r}"),
    Code("RULE-018", _E, "cycle in {expected}: {found}", "kehä kohdassa {expected}: {found}"),
    Code("RULE-019", _E, "placeholder {found!r} names nothing",
         "paikkamerkki {found!r} ei viittaa mihinkään"),
    Code("RULE-020", _E, "trigger can never fire: {found}", "ehto ei voi koskaan täyttyä: {found}"),
    Code("RULE-021", _E, "duplicate recommendation id {found!r}", "suosituksen tunnus {found!r} toistuu"),
    Code("RULE-022", _W, "condition holds when {found} is not answered (a missing answer reads as 0); "
         "add '{found} != None'",
         "ehto täyttyy, kun kysymykseen {found} ei ole vastattu (puuttuva vastaus luetaan nollaksi); "
         "lisää '{found} != None'"),
    Code("RULE-016", _E, "wrong kind of item for {expected}: {found}",
         "väärän tyyppinen kysymys kohtaan {expected}: {found}"),
    Code("RULE-023", _E, "{found!r} is not a choice of {expected}",
         "{found!r} ei ole kysymyksen {expected} vaihtoehto"),
    Code("RULE-024", _E, "{expected} holds a single value but is compared with the list {found}",
         "kysymyksen {expected} vastaus on yksi arvo, mutta sitä verrataan luetteloon {found}"),
    # Expressions
    Code("EXPR-001", _E, "expression syntax error: {found}", "lausekkeen syntaksivirhe: {found}"),
    Code("EXPR-002", _E, "unknown operation {found!r}", "tuntematon operaatio {found!r}"),
    Code("EXPR-003", _E, "syntax not allowed in expressions: {found}",
         "lausekkeissa ei sallita: {found}"),
    Code("EXPR-004", _E, "expression is nested too deeply ({found}, at most {expected})",
         "lauseke on liian syvä ({found}, enintään {expected})"),
    Code("EXPR-005", _E, "expression is too large ({found} nodes, at most {expected})",
         "lauseke on liian suuri ({found} solmua, enintään {expected})"),
    Code("EXPR-006", _E, "number is too large ({found}, at most {expected})",
         "luku on liian suuri ({found}, enintään {expected})"),
    Code("EXPR-007", _E, "string is too long ({found} characters, at most {expected})",
         "merkkijono on liian pitkä ({found} merkkiä, enintään {expected})"),
    Code("EXPR-008", _E, "malformed arguments for {found!r}: {expected}",
         "operaation {found!r} argumentit ovat virheelliset: {expected}"),
    Code("EXPR-009", _E, "unknown variable {found!r}", "tuntematon muuttuja {found!r}"),
    Code("EXPR-010", _E, "expression failed: {found}", "lausekkeen laskenta epäonnistui: {found}"),
    # Answers
    Code("ANS-001", _E, "answer to unknown item {found!r}", "vastaus tuntemattomaan kysymykseen {found!r}"),
    Code("ANS-002", _E, "wrong answer type for {expected}: found {found}",
         "väärä vastaustyyppi ({expected}): löytyi {found}"),
    Code("ANS-003", _E, "value {found!r} is not a choice of this item; expected one of {expected}",
         "arvo {found!r} ei ole tämän kysymyksen vaihtoehto; odotettiin jotakin arvoista {expected}"),
    Code("ANS-004", _E, "value {found} is out of bounds; expected {expected}",
         "arvo {found} on sallittujen rajojen ulkopuolella; odotettiin {expected}"),
    Code("ANS-005", _E, "invalid Finnish business id {found!r}: {expected}",
         "virheellinen Y-tunnus {found!r}: {expected}"),
    Code("ANS-006", _E, "answers are for bank {found}, expected {expected}",
         "vastaukset on annettu kysymyspankkiin {found}, odotettiin {expected}"),
    Code("ANS-007", _E, "invalid answer status {found!r}; expected {expected}",
         "virheellinen vastauksen tila {found!r}; odotettiin {expected}"),
    Code("ANS-008", _W, "answer to an item that is hidden by its condition: {found}",
         "vastaus kysymykseen, joka on ehdon perusteella piilossa: {found}"),
    Code("ANS-009", _E, "'views differ' can mark only a rating (Likert) question, not {found}",
         "merkinnän ”näkemykset eroavat” voi tehdä vain arviointikysymykseen (Likert), ei: {found}"),
    # The HTTP API (asiakasarvo serve)
    Code("HTTP-001", _E, "the request body is not valid JSON: {found}",
         "pyynnön runko ei ole kelvollista JSONia: {found}"),
    Code("HTTP-002", _E, "the request body is too large ({found}; at most {expected})",
         "pyynnön runko on liian suuri ({found}; enintään {expected})"),
    Code("HTTP-003", _E, "unsupported content type {found!r}; expected {expected}",
         "sisältötyyppiä {found!r} ei tueta; odotettiin {expected}"),
    Code("HTTP-004", _E, "the JSON body is nested too deeply ({found}; at most {expected})",
         "JSON-runko on liian syvä ({found}; enintään {expected})"),
    Code("HTTP-005", _E, "no such resource: {found}", "resurssia ei ole: {found}"),
    Code("HTTP-006", _E, "method {found} is not allowed here; expected {expected}",
         "menetelmä {found} ei ole sallittu tässä; odotettiin {expected}"),
    Code("HTTP-007", _E, "this write needs the session's sequence number in If-Match ({expected})",
         "tämä muutos tarvitsee istunnon järjestysnumeron If-Match-otsakkeessa ({expected})"),
    Code("HTTP-008", _E, "If-Match {found!r} is not a sequence number; expected {expected}",
         "If-Match {found!r} ei ole järjestysnumero; odotettiin {expected}"),
    Code("HTTP-009", _E, "the session has changed: your write would have been event {found}, but the "
         "session already holds {expected} events; the current state is attached, retry on it",
         "istunto on muuttunut: kirjoituksesi olisi ollut tapahtuma {found}, mutta istunnossa on jo "
         "{expected} tapahtumaa; nykyinen tila on liitteenä, yritä sen pohjalta uudelleen"),
    Code("HTTP-010", _E, "no session {found!r}", "istuntoa {found!r} ei ole"),
    Code("HTTP-011", _E, "the request was refused: {found}", "pyyntö hylättiin: {found}"),
    Code("HTTP-012", _E, "internal error {found}; nothing more was written",
         "sisäinen virhe {found}; mitään ei kirjoitettu"),
    Code("HTTP-013", _E, "cannot serve the API on {found}: {expected}",
         "rajapintaa ei voi tarjota osoitteessa {found}: {expected}"),
    Code("AUTH-001", _E, "not signed in: {expected}", "et ole kirjautunut: {expected}"),
    Code("AUTH-002", _E, "the token or session is not valid (or has expired): {found}",
         "tunniste tai istunto ei kelpaa (tai on vanhentunut): {found}"),
    Code("AUTH-003", _E, "the CSRF token is missing or wrong; send the {expected} header with the "
         "token from GET /api/v1/me",
         "CSRF-tunniste puuttuu tai on väärä; lähetä otsake {expected} ja siinä GET /api/v1/me "
         "-kutsun antama tunniste"),
    Code("AUTH-004", _E, "wrong user name or password", "väärä käyttäjätunnus tai salasana"),
    Code("AUTH-005", _E, "too many sign-in attempts; try again in {found} s",
         "liian monta kirjautumisyritystä; yritä uudelleen {found} sekunnin kuluttua"),
    Code("AUTH-006", _E, "your role {found!r} may not do this; it needs {expected}",
         "roolisi {found!r} ei salli tätä; tarvitaan {expected}"),
    Code("AUTH-007", _E, "invalid user: {found}; expected {expected}",
         "virheellinen käyttäjä: {found}; odotettiin {expected}"),
    Code("AUTH-008", _E, "the user store {found} cannot be used: {expected}; it was left untouched",
         "käyttäjärekisteriä {found} ei voi käyttää: {expected}; sitä ei muutettu"),
    # Sessions: a log's events checked as the interview checks them (import, replay)
    Code("SES-010", _E, "invalid request: {found}; expected {expected}",
         "virheellinen pyyntö: {found}; odotettiin {expected}"),
    Code("SES-011", _E, "the session is finished: {found}; expected {expected}",
         "istunto on valmis: {found}; odotettiin {expected}"),
    Code("SES-012", _E, "unknown item or section {found!r}; expected {expected}",
         "tuntematon kysymys tai osio {found!r}; odotettiin {expected}"),
    Code("SES-013", _E, "nothing to undo: {found}; expected {expected}",
         "ei peruttavaa: {found}; odotettiin {expected}"),
    Code("SES-014", _E, "the session was started with {found}; expected {expected}",
         "istunto on aloitettu versiolla {found}; odotettiin {expected}"),
    Code("SES-015", _E, "invalid time {found}; expected an ISO 8601 time with seconds and a zone, "
         "such as 2026-03-14T09:30:00.000000Z",
         "virheellinen aika {found}; odotettiin ISO 8601 -aikaa sekunteineen ja aikavyöhykkeineen, "
         "esim. 2026-03-14T09:30:00.000000Z"),
    Code("SES-016", _E, "time {found} is earlier than the time of the event before it ({expected})",
         "aika {found} on aiempi kuin edellisen tapahtuman aika ({expected})"),
    Code("SES-017", _E, "the events do not match the file's content hash (the file says {expected}, "
         "its events give {found}): it was edited after export; import it with --accept-edited to "
         "take it anyway and record that in the log",
         "tapahtumat eivät vastaa tiedoston sisältötiivistettä (tiedostossa {expected}, tapahtumista "
         "{found}): tiedostoa on muokattu viennin jälkeen; tuo se valitsimella --accept-edited, jos "
         "se otetaan silti, niin muokkaus kirjataan lokiin"),
    Code("SES-018", _W, "an edited export was imported (its events do not match the content hash "
         "{expected}); event {found} of the log records that",
         "muokattu vientitiedosto tuotiin (tapahtumat eivät vastaa sisältötiivistettä {expected}); "
         "lokin tapahtuma {found} kirjaa sen"),
    # The session store: taking turns, erasure, read-only files
    Code("SES-030", _E, "other writers kept the session store {path} busy for over {seconds} s; "
         "nothing was written, try again",
         "muut kirjoittajat pitivät istuntovarastoa {path} varattuna yli {seconds} s; mitään ei "
         "kirjoitettu, yritä uudelleen"),
    Code("SES-031", _E, "{path}: erasure not complete: the deleted rows are gone and no new reader sees "
         "them, but another program has been reading the store since before the deletion (waited "
         "{seconds} s), so older copies of them remain in {files}; close the programs that have the "
         "store open, then run `asiakasarvo sessions compact --store {path}` to finish the erasure",
         "{path}: poisto ei ole valmis: poistetut rivit ovat poissa eikä mikään uusi lukija näe niitä, "
         "mutta toinen ohjelma on lukenut varastoa poistoa edeltävästä hetkestä asti (odotettiin "
         "{seconds} s), joten niiden vanhoja kopioita on yhä tiedostoissa {files}; sulje varastoa "
         "käyttävät ohjelmat ja viimeistele poisto komennolla `asiakasarvo sessions compact --store "
         "{path}`"),
    Code("SES-032", _E, "the session store {path} cannot be written ({found}); nothing was written",
         "istuntovarastoon {path} ei voi kirjoittaa ({found}); mitään ei kirjoitettu"),
    # The shared PostgreSQL store and offline sync
    Code("SES-040", _E, "database unreachable: {path} ({found}); an answer not confirmed may not "
         "have been saved, so try again once the database is up",
         "tietokantaan ei saada yhteyttä: {path} ({found}); vastaus, jota ei vahvistettu, ei "
         "ehkä tallentunut, joten yritä uudelleen, kun tietokanta on käytettävissä"),
    Code("SES-041", _E, "a PostgreSQL store ({path}) needs the PostgreSQL driver; install it with "
         "pip install 'asiakasarvo-engine[postgres]'",
         "PostgreSQL-varasto ({path}) tarvitsee PostgreSQL-ajurin; asenna se komennolla "
         "pip install 'asiakasarvo-engine[postgres]'"),
    Code("SES-042", _E, "sync conflict: session {found} was changed on both sides after event "
         "{expected}; nothing was merged, both versions are kept ({path})",
         "synkronointiristiriita: istuntoa {found} on muutettu molemmilla puolilla tapahtuman "
         "{expected} jälkeen; mitään ei yhdistetty, molemmat versiot säilytettiin ({path})"),
    Code("SES-043", _E, "{path}: user {expected} may not do this ({found}): a session is read and "
         "changed by its advisor and those it is shared with, and read by coordinators; nothing was "
         "written",
         "{path}: käyttäjä {expected} ei voi tehdä tätä ({found}): istuntoa lukee ja muuttaa sen "
         "hallitusasiantuntija ja ne, joille se on jaettu, ja koordinaattorit lukevat sitä; mitään "
         "ei kirjoitettu"),
    Code("SES-044", _E, "{path}: erasure not complete: the session's rows are gone for every reader, "
         "but only the tables' owner {expected} may rewrite the table so no page keeps them ({found} "
         "may not); run `asiakasarvo sessions compact --store {path}` as {expected}",
         "{path}: poisto ei ole valmis: istunnon rivit ovat poissa kaikilta lukijoilta, mutta vain "
         "taulujen omistaja {expected} voi kirjoittaa taulun uudelleen niin, ettei mikään sivu säilytä "
         "niitä ({found} ei voi); aja `asiakasarvo sessions compact --store {path}` käyttäjänä {expected}"),
    # Research toolkit: compare, sensitivity, export (asiakasarvo research)
    Code("RES-020", _E, "{found} is not installed; this research command needs it: install it with "
         "pip install 'asiakasarvo-engine[research]'",
         "{found} ei ole asennettu; tämä tutkimuskomento tarvitsee sen: asenna se komennolla "
         "pip install 'asiakasarvo-engine[research]'"),
    Code("RES-021", _E, "bad weight perturbation {found}; expected {expected}",
         "virheellinen painojen vaihtelu {found}; odotettiin {expected}"),
    Code("RES-022", _E, "recommendation {found} is triggered by {expected}, which the weights change; "
         "the sensitivity analysis keeps each company's fired recommendations fixed and cannot "
         "follow such a trigger",
         "suosituksen {found} laukaisee {expected}, jota painot muuttavat; herkkyysanalyysi pitää "
         "kunkin yrityksen laukeavat suositukset kiinteinä eikä voi seurata tällaista ehtoa"),
    Code("RES-023", _E, "the corpus has no analyses to {found}",
         "aineistossa ei ole analyyseja ({found})"),
    Code("RES-030", _E, "no company has two analyses on different days ({found} analyses read); a "
         "follow-up pairs each company's T0 and T1 by business id and date",
         "yhdelläkään yrityksellä ei ole kahta eri päivien analyysia (luettiin {found} analyysia); "
         "seuranta yhdistää yrityksen T0- ja T1-analyysin Y-tunnuksen ja päivämäärän perusteella"),
    Code("RES-031", _E, "bank {found} has no feedback survey; expected sections with {expected}",
         "kysymyspankissa {found} ei ole palautekyselyä; odotettiin osioita, joissa on {expected}"),
    # Business-register prefill (asiakasarvo prefill): reading a PRH/YTJ record, then mapping it
    Code("REG-001", _E, "not a PRH/YTJ company record: {found}; expected {expected}",
         "ei ole PRH:n/YTJ:n yritystietue: {found}; odotettiin {expected}"),
    Code("REG-002", _E, "wrong type in the register record: found {found}, expected {expected}",
         "väärä tyyppi rekisteritietueessa: löytyi {found}, odotettiin {expected}"),
    Code("REG-003", _E, "the register record lacks {expected!r}",
         "rekisteritietueesta puuttuu {expected!r}"),
    Code("REG-004", _E, "malformed value in the register record: {found}; expected {expected}",
         "virheellinen arvo rekisteritietueessa: {found}; odotettiin {expected}"),
    Code("REG-005", _E, "the response holds {found} companies; expected exactly one",
         "vastauksessa on {found} yritystä; odotettiin täsmälleen yhtä"),
    Code("REG-006", _E, "the record is of business id {found} but the session is for {expected}; "
         "nothing was written", "tietue koskee Y-tunnusta {found}, mutta istunto on yrityksen {expected}; "
         "mitään ei kirjoitettu"),
    Code("REG-010", _W, "the register shows the company in {found} (since {expected})",
         "rekisterin mukaan yritys on tilassa {found} (alkaen {expected})"),
    Code("REG-011", _W, "municipality code {found} is outside the 44 municipalities of the area; "
         "the home municipality was not filled in",
         "kuntakoodi {found} ei ole alueen 44 kunnan joukossa; kotikuntaa ei täytetty"),
    Code("REG-012", _W, "company form {found} has no choice in the bank; the legal form was not "
         "filled in", "yritysmuodolle {found} ei ole vaihtoehtoa pankissa; yritysmuotoa ei täytetty"),
    Code("REG-013", _W, "the register's value for {expected} was not accepted ({found}); the item "
         "was not filled in",
         "rekisterin arvoa kohtaan {expected} ei hyväksytty ({found}); kohtaa ei täytetty"),
    Code("REG-014", _W, "the record has no {found}; {expected} was not filled in",
         "tietueessa ei ole tietoa {found}; kohtaa {expected} ei täytetty"),
    Code("REG-015", _W, "industry code set {found} is not one the bank tells apart; the "
         "classification version was recorded as not known",
         "toimialakoodistoa {found} pankki ei erottele; luokitusversioksi kirjattiin ei tiedossa"),
    Code("REG-020", _E, "{found} is not a business id: {expected}", "{found} ei ole Y-tunnus: {expected}"),
    Code("REG-021", _E, "cannot reach the business register at {found}: {expected}; nothing was written "
         "(save the record from the register's site and give its file instead)",
         "kaupparekisteriin ei saada yhteyttä osoitteessa {found}: {expected}; mitään ei kirjoitettu "
         "(tallenna tietue rekisterin sivulta ja anna sen tiedosto)"),
    Code("REG-022", _E, "the business register answered HTTP {found} to {expected}; nothing was written",
         "kaupparekisteri vastasi HTTP {found} pyyntöön {expected}; mitään ei kirjoitettu"),
    Code("REG-023", _E, "the business register's response is {found} ({expected}); nothing was written",
         "kaupparekisterin vastaus on {found} ({expected}); mitään ei kirjoitettu"),
    # Exporting a bank to SurveyJS (asiakasarvo export-bank): nothing is written on an error
    Code("SJS-001", _E, "condition cannot be exported to SurveyJS exactly: {found}; the export "
         "translates {expected}",
         "ehtoa ei voi viedä SurveyJS-muotoon täsmälleen samana: {found}; vienti kääntää "
         "{expected}"),
    Code("SJS-002", _E, "item cannot be exported to SurveyJS: {found}",
         "kysymystä ei voi viedä SurveyJS-muotoon: {found}"),
    Code("SJS-003", _E, "unknown section {found!r}; expected one of {expected}",
         "tuntematon osio {found!r}; odotettiin jotakin näistä: {expected}"),
)

CODES: dict[str, Code] = {code.id: code for code in _CATALOGUE}


class _Lenient(Formatter):
    def get_value(self, key: int | str, args: Any, kwargs: Any) -> Any:
        if isinstance(key, str):
            return kwargs.get(key, "")
        return super().get_value(key, args, kwargs)


_FORMATTER = _Lenient()


def render(code: str, lang: str = "en", **fields: object) -> str:
    """Fill a code's template in the given language (``fi`` or ``en``)."""
    entry = CODES[code]
    template = entry.fi if lang == "fi" else entry.en
    return _FORMATTER.format(template, **fields)
