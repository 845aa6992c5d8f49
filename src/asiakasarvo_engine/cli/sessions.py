"""``asiakasarvo sessions``: list, show, export, import and delete interview sessions.

The commands work on the session store (``--store PATH``, else ``$ASIAKASARVO_STORE``,
else the user data folder; see :mod:`asiakasarvo_engine.session.paths`). Errors of the
store (an unknown id, a conflict, a foreign file) reach the user as ``error CODE: message``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from asiakasarvo_engine.errors import StoreError
from asiakasarvo_engine.session.lookup import resolve_session

if TYPE_CHECKING:
    from asiakasarvo_engine.bank.models import Bank, Item
    from asiakasarvo_engine.scoring.program import ScoringProgram
    from asiakasarvo_engine.scoring.result import Result
    from asiakasarvo_engine.session.events import Event, Started
    from asiakasarvo_engine.session.state import SessionState
    from asiakasarvo_engine.session.store import SessionSummary, Store

F = TypeVar("F", bound=Callable[..., Any])

WORDS: dict[str, dict[str, str]] = {
    "fi": {"id": "tunnus", "company": "yritys", "business_id": "y-tunnus", "advisor": "hallitusasiantuntija",
           "started": "aloitettu", "events": "tapahtumia", "finished": "valmis", "open": "kesken",
           "yes": "kyllä", "no": "ei", "none": "Ei istuntoja.", "session": "Istunto",
           "bank": "Pankki", "rules": "Säännöt", "status": "Tila", "progress": "Edistyminen",
           "answered_of": "vastattu {answered}/{visible} näkyvästä kysymyksestä, pakollisia "
                          "vastaamatta {missing}",
           "answers": "Vastaukset", "notes": "Muistiinpanot", "overrides": "Hallitusasiantuntijan arviot",
           "scores": "Pisteet nyt", "overall": "Kokonaisindeksi", "level": "taso",
           "session_note": "istunto", "hidden": "piilossa, ei lasketa",
           "dont_know": "en osaa sanoa", "not_applicable": "ei koske meitä", "skipped": "ohitettu",
           "pin_differs": "huom: istunto on aloitettu pankilla/säännöillä {pinned}, pisteet laskettu "
                          "versiolla {used}",
           "insufficient": "liian vähän tietoa", "descriptive": "kuvaileva",
           "computed": "laskettu", "log": "Tapahtumaloki", "written": "Kirjoitettu",
           "imported": "Tuotu istunto", "deleted": "Poistettu istunto",
           "confirm": "Poistetaanko istunto {id} ({company}) ja kaikki sen tiedot pysyvästi?",
           "cancelled": "Peruttu; mitään ei poistettu.",
           "erase_wait": "Toinen ohjelma lukee varastoa; odotetaan enintään {seconds} s, että se lopettaa, "
                         "jotta poistetut tiedot hävitetään myös tiedostoista…",
           "compacted": "Varasto tiivistetty, eikä poistetuista tiedoista ole jälkiä: {path}"},
    "en": {"id": "id", "company": "company", "business_id": "business id", "advisor": "advisor",
           "started": "started", "events": "events", "finished": "finished", "open": "open",
           "yes": "yes", "no": "no", "none": "No sessions.", "session": "Session",
           "bank": "Bank", "rules": "Rules", "status": "Status", "progress": "Progress",
           "answered_of": "answered {answered} of {visible} visible questions, {missing} required "
                          "unanswered",
           "answers": "Answers", "notes": "Notes", "overrides": "Advisor overrides",
           "scores": "Scores now", "overall": "Overall index", "level": "level",
           "session_note": "session", "hidden": "hidden, not counted",
           "dont_know": "don't know", "not_applicable": "not applicable", "skipped": "skipped",
           "pin_differs": "note: the session was started with bank/rules {pinned}; scores use {used}",
           "insufficient": "insufficient data", "descriptive": "descriptive",
           "computed": "computed", "log": "Event log", "written": "Written",
           "imported": "Imported session", "deleted": "Deleted session",
           "confirm": "Delete session {id} ({company}) and all its data for good?",
           "cancelled": "Cancelled; nothing was deleted.",
           "erase_wait": "Another program is reading the store; waiting up to {seconds} s for it to stop, "
                         "so the deleted data is removed from the files too…",
           "compacted": "Store compacted, with no trace of deleted data: {path}"},
}


def store_option(func: F) -> F:
    """``--store PATH``: the session store file (``:memory:`` for a throwaway one)."""
    return click.option("--store", "store_path", default=None, metavar="PATH",
                        help="Session store file (default: $ASIAKASARVO_STORE or the user data "
                             "folder).")(func)


def lang_of(ctx: click.Context) -> str:
    """The language of the root command (``asiakasarvo --lang``)."""
    obj = ctx.find_root().obj
    return str(obj.get("lang", "fi")) if isinstance(obj, dict) else "fi"


def chosen_store(ctx: click.Context, store_path: str | None) -> str | None:
    """The subcommand's ``--store``, else the group's, else None (the default path)."""
    if store_path is not None:
        return store_path
    parent = ctx.parent
    while parent is not None:
        if isinstance(parent.obj, dict) and parent.obj.get("store") is not None:
            return str(parent.obj["store"])
        parent = parent.parent
    return None


@contextmanager
def opened(path: str | None, *, readonly: bool = False, create: bool = True) -> Iterator[Store]:
    """The store at ``path`` (None: the default), closed afterwards; ``readonly`` for the
    commands that only read (read-only file access), and with it or without ``create`` a
    missing store creates nothing."""
    from asiakasarvo_engine.session.paths import open_store

    store = open_store(path, readonly=readonly, create=create)
    try:
        yield store
    finally:
        store.close()


# --- labels ---------------------------------------------------------------------------------

def choices_of(bank: Bank, item: Item) -> list[Any]:
    """The item's choices, its own or from the bank's choice list."""
    if item.choices is not None:
        return list(item.choices)
    if item.choices_from is not None:
        return list(bank.choice_lists.get(item.choices_from, []))
    return []


def value_text(bank: Bank, item: Item, value: Any, lang: str) -> str:
    """An answer value with choice and scale labels instead of codes, on one line."""
    from asiakasarvo_engine.bank.models import QuestionType

    kind = item.type
    if value is None:
        return "-"
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE):
        labels = {c.value: c.label.get(lang, c.value) for c in choices_of(bank, item)}
        values = value if isinstance(value, list) else [value]
        return "; ".join(f"{labels.get(v, v)}" for v in values) if values else "-"
    if kind is QuestionType.LIKERT and item.scale in bank.scales:
        for point in bank.scales[item.scale].points:
            if point.value == value:
                return f"{value} ({point.label.get(lang, '')})"
    if kind is QuestionType.BOOLEAN and isinstance(value, bool):
        return WORDS[lang]["yes" if value else "no"]
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    unit = f" {item.unit.get(lang, '')}" if item.unit is not None else ""
    if isinstance(value, int | float) and not isinstance(value, bool) and kind is not QuestionType.YEAR:
        from asiakasarvo_engine.report.formats import Formats

        return f"{Formats(lang).plain(value)}{unit}"  # 12,5 htv and 6 820 000 € in Finnish
    return f"{value}{unit}"


def one_line(text: str, width: int = 100) -> str:
    """Text folded to one line, shortened to ``width`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


# --- commands -------------------------------------------------------------------------------

def summary_dict(summary: SessionSummary) -> dict[str, Any]:
    """A session list line as JSON."""
    return {"id": summary.id, "company": summary.company, "business_id": summary.business_id,
            "advisor": summary.advisor, "started": summary.started, "events": summary.events,
            "finished": summary.finished}


def with_answered_business_ids(store: Store, summaries: list[SessionSummary]) -> list[SessionSummary]:
    """The list with the business id answered in the interview where the session's start
    named none (reads the logs of those sessions only)."""
    from dataclasses import replace

    from asiakasarvo_engine.report.build import answered_business_id
    from asiakasarvo_engine.scoring.program import load_program
    from asiakasarvo_engine.session.state import fold

    if all(s.business_id for s in summaries):
        return summaries
    program = load_program()

    def answered(summary: SessionSummary) -> str | None:
        try:
            return answered_business_id(program, fold(store.events(summary.id)).answers)
        except StoreError:  # a damaged log still lists; `sessions show` names its problem
            return None

    return [s if s.business_id else replace(s, business_id=answered(s)) for s in summaries]


def list_text(summaries: list[SessionSummary], lang: str) -> str:
    """The session list as an aligned table."""
    words = WORDS[lang]
    if not summaries:
        return words["none"] + "\n"
    head = [words["id"], words["company"], words["business_id"], words["advisor"], words["started"],
            words["events"], words["finished"]]
    from asiakasarvo_engine.report.formats import Formats

    moment = Formats(lang, missing="-").moment
    rows = [[s.id, s.company or "-", s.business_id or "-", s.advisor, moment(s.started),
             str(s.events), words["yes"] if s.finished else words["no"]] for s in summaries]
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in [head, *rows]]
    return "\n".join(lines) + "\n"


def event_line(event: Event, undone: set[int]) -> str:
    """One event of the log: seq, time, author, type and its content."""
    body = event.model_dump(mode="json", exclude={"seq", "time", "author", "type"}, exclude_none=True)
    detail = json.dumps(body, ensure_ascii=False, sort_keys=True) if body else ""
    mark = " (undone)" if event.seq in undone else ""
    return f"{event.seq:>5}  {event.time}  {event.author}  {event.type}{mark}  {detail}".rstrip()


def session_program(started: Started) -> tuple[ScoringProgram, tuple[str, str] | None]:
    """The shipped program, and (pinned, used) when it is not the one the session was started with."""
    from asiakasarvo_engine.scoring.program import load_program

    program = load_program()
    used = (program.parts.bank, program.parts.rules)
    pinned = (started.bank, started.rules)
    if [p.hash for p in used] == [p.hash for p in pinned]:
        return program, None
    return program, (" / ".join(f"{p.id} {p.version} ({p.hash[7:19]})" for p in pinned),
                     " / ".join(f"{p.id} {p.version} ({p.hash[7:19]})" for p in used))


def progress_counts(program: ScoringProgram, state: SessionState) -> tuple[int, int, int]:
    """(dealt with, visible, required not dealt with) over the visible items, as the
    Interview API counts them: answered, don't know and not applicable deal with an item,
    skipped does not."""
    values = {name: e.value for name, e in state.answers.items() if e.status.value == "answered"}
    bank_state = program.bank.evaluate(values)
    dealt = {name for name, e in state.answers.items() if e.status.value != "skipped"}
    visible = [name for name in program.bank.items if name not in bank_state.hidden]
    answered = sum(1 for name in visible if name in dealt)
    missing = sum(1 for name in bank_state.required if name not in bank_state.hidden and name not in dealt)
    return answered, len(visible), missing


def session_result(program: ScoringProgram, state: SessionState) -> Result:
    """The session's answers scored and analysed (overrides are shown beside, not applied)."""
    from asiakasarvo_engine.recommend.engine import analyse
    from asiakasarvo_engine.scoring.result import Company
    from asiakasarvo_engine.session.clock import meeting_date

    started = state.started
    return analyse(program, state.answers, company=Company(name=started.company.name,
                                                           business_id=started.company.business_id),
                   date=meeting_date(started.time, started.zone), zone=started.zone, advisor=started.advisor)


def score_lines(result: Result, overrides: Mapping[str, Any], lang: str) -> list[str]:
    """Overall and section scores with levels, and each override beside the computed level."""
    from asiakasarvo_engine.scoring.result import SectionStatus

    words = WORDS[lang]
    overall = result.overall
    lines: list[str] = []
    if overall.score is None or overall.level is None:
        lines.append(f"  {words['overall']}: {words['insufficient']}")
    else:
        lines.append(f"  {words['overall']}: {overall.score:.1f}, {words['level']} {overall.level.level} "
                     f"{overall.level.name.get(lang, '')}")
    for sid, section in result.sections.items():
        title = section.title.get(lang, sid)
        if section.status is SectionStatus.DESCRIPTIVE:
            shown = words["descriptive"]
        elif section.score is None or section.level is None:
            shown = words["insufficient"]
        else:
            shown = f"{section.score:5.1f}  {words['level']} {section.level.level}"
        override = overrides.get(sid)
        if override is not None:
            shown += f"  -> {words['overrides'].lower()}: {words['level']} {override.level}"
        lines.append(f"  {title[:44]:<44} {shown}")
    return lines


def show_text(session_id: str, log: list[Event], lang: str, *, with_events: bool) -> str:
    """Everything about one session: who, status, answers with labels, notes, overrides,
    progress and the scores as they stand; the log when asked."""
    from asiakasarvo_engine.report.build import answered_business_id
    from asiakasarvo_engine.report.formats import Formats
    from asiakasarvo_engine.session.state import fold

    words = WORDS[lang]
    moment = Formats(lang).moment
    state = fold(log)
    started = state.started
    program, differs = session_program(started)
    bank = program.bank.loaded.bank
    company = started.company.name or "-"
    business_id = started.company.business_id or answered_business_id(program, state.answers)
    if business_id:
        company += f" ({business_id})"
    lines = [f"{words['session']} {session_id}",
             f"  {words['company'].capitalize()}: {company}",
             f"  {words['advisor'].capitalize()}: {started.advisor}",
             f"  {words['started'].capitalize()}: {moment(started.time)}",
             f"  {words['bank']}: {started.bank.id} {started.bank.version}, {words['rules']}: "
             f"{started.rules.id} {started.rules.version}",
             f"  {words['status']}: {words['finished'] if state.finished else words['open']}, "
             f"{words['events']} {len(log)}"]
    if differs is not None:
        pinned, used = differs
        lines.append("  " + words["pin_differs"].format(pinned=pinned, used=used))
    answered, visible, missing = progress_counts(program, state)
    lines.append(f"{words['progress']}: " + words["answered_of"].format(answered=answered, visible=visible,
                                                                      missing=missing))
    values = {name: e.value for name, e in state.answers.items() if e.status.value == "answered"}
    hidden = program.bank.evaluate(values).hidden
    lines.append(f"{words['answers']}:")
    titles = {body.id: body.title.get(lang, body.id) for body in bank.bodies()}
    current = None
    for name, compiled in program.bank.items.items():
        entry = state.answers.get(name)
        if entry is None:
            continue
        if compiled.section != current:
            current = compiled.section
            lines.append(f"  [{titles.get(current, current)}]")
        if entry.status.value == "answered":
            shown = value_text(bank, compiled.item, entry.value, lang)
        else:
            shown = f"({words.get(entry.status.value, entry.status.value)})"
        flag = f"  [{words['hidden']}]" if name in hidden else ""
        lines.append(f"    {name}: {one_line(shown)}{flag}")
        if entry.note:
            lines.append(f"      > {one_line(entry.note)}")
    unknown = [name for name in state.answers if name not in program.bank.items]
    lines.extend(f"    {name}: {one_line(str(state.answers[name].value))}" for name in unknown)
    if state.notes:
        lines.append(f"{words['notes']}:")
        for note in state.notes:
            lines.append(f"  [{note.target or words['session_note']}] {one_line(note.text, 200)} "
                         f"({note.author}, {moment(note.time)})")
    if state.overrides:
        lines.append(f"{words['overrides']}:")
        for section, override in state.overrides.items():
            lines.append(f"  {section}: {words['level']} {override.level} ({override.author}): "
                         f"{one_line(override.justification, 200)}")
    lines.append(f"{words['scores']}:")
    lines.extend(score_lines(session_result(program, state), state.overrides, lang))
    if with_events:
        lines.append(f"{words['log']}:")
        lines.extend("  " + event_line(event, state.undone) for event in log)
    return "\n".join(lines) + "\n"


@click.group("sessions")
@store_option
@click.pass_context
def sessions_group(ctx: click.Context, store_path: str | None) -> None:
    """Haastatteluistunnot / interview sessions in the session store."""
    ctx.obj = {"store": store_path}


@sessions_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@store_option
@click.pass_context
def list_command(ctx: click.Context, fmt: str, store_path: str | None) -> None:
    """Listaa istunnot / list the sessions, newest first."""
    with opened(chosen_store(ctx, store_path), readonly=True) as store:
        summaries = with_answered_business_ids(store, store.sessions())
    if fmt == "json":
        click.echo(json.dumps([summary_dict(s) for s in summaries], ensure_ascii=False, indent=2))
    else:
        click.echo(list_text(summaries, lang_of(ctx)), nl=False)


@sessions_group.command("show")
@click.argument("session_id", metavar="ID")
@click.option("--events", "with_events", is_flag=True, help="Also print the event log.")
@store_option
@click.pass_context
def show_command(ctx: click.Context, session_id: str, with_events: bool, store_path: str | None) -> None:
    """Näytä istunto / show a session: answers, notes, overrides, progress, live scores."""
    with opened(chosen_store(ctx, store_path), readonly=True) as store:
        session_id = resolve_session(store, session_id, lang_of(ctx))
        log = store.events(session_id)
    click.echo(show_text(session_id, log, lang_of(ctx), with_events=with_events), nl=False)


@sessions_group.command("export")
@click.argument("session_id", metavar="ID")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File to write (default: print).")
@store_option
@click.pass_context
def export_command(ctx: click.Context, session_id: str, output: Path | None, store_path: str | None) -> None:
    """Vie istunto JSON-tiedostoksi / export a session as JSON (schemas/session.schema.json)."""
    from asiakasarvo_engine.session.export import export_json

    with opened(chosen_store(ctx, store_path), readonly=True) as store:
        text = export_json(store, resolve_session(store, session_id, lang_of(ctx)))
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"{WORDS[lang_of(ctx)]['written']}: {output}", err=True)


def _importer() -> str:
    """Who signs an accepted edit: the user of this machine, else ``import``."""
    import getpass

    try:
        return getpass.getuser()[:200] or "import"
    except (OSError, KeyError, ImportError):
        return "import"


@sessions_group.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--new-id", "new_id", is_flag=False, flag_value="", default=None, metavar="[ID]",
              help="Store under a new id (this one, or a fresh one when none is given).")
@click.option("--accept-edited", is_flag=True,
              help="Take a file whose events do not match its content hash (edited after export); "
                   "the log records that with an 'edit_accepted' event.")
@click.option("--author", default=None, metavar="NAME",
              help="Who signs the 'edit_accepted' event (default: this machine's user name).")
@store_option
@click.pass_context
def import_command(ctx: click.Context, *, file: Path, new_id: str | None, accept_edited: bool,
                   author: str | None, store_path: str | None) -> None:
    """Tuo istunto / import an exported session; prints the id it was stored under.

    Every event is checked as the interview would have checked it (answers against the
    bank, finished and reopened, undo, times), and the content hash; a file with any
    problem is refused whole and nothing is stored."""
    from asiakasarvo_engine.cli.output import echo_diagnostics
    from asiakasarvo_engine.diagnostics import Span, make
    from asiakasarvo_engine.session.export import import_export

    lang = lang_of(ctx)
    target = (uuid.uuid4().hex if new_id == "" else new_id)
    with opened(chosen_store(ctx, store_path)) as store:
        imported = import_export(store, file, new_id=target, name=str(file), accept_edited=accept_edited,
                                 author=author or _importer())
    if imported.edited is not None:
        record = imported.edited
        echo_diagnostics([make("SES-018", span=Span(str(file)), found=record.seq,
                               expected=record.declared_hash or "-")], lang)
    click.echo(f"{WORDS[lang]['imported']}: {imported.id}", err=True)
    click.echo(imported.id)


def erase_wait_option(func: F) -> F:
    """``--wait SECONDS``: how long an erasure waits for other programs reading the store."""
    return click.option("--wait", "wait", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
                        help="Wait at most this long for other programs reading the store to stop "
                             "(default 30).")(func)


def erase(ctx: click.Context, action: Callable[[Callable[[float], None]], None]) -> None:
    """Run an erasure, saying why it waits; an incomplete one is SES-031 in the command's
    language, exit 1, with what remains and how to finish it."""
    from asiakasarvo_engine.errors import ErasureIncompleteError

    lang = lang_of(ctx)

    def waiting(seconds: float) -> None:
        click.echo(WORDS[lang]["erase_wait"].format(seconds=f"{seconds:g}"), err=True)

    try:
        action(waiting)
    except ErasureIncompleteError as exc:
        click.echo(f"error {exc.code}: {exc.message(lang)}", err=True)
        raise SystemExit(1) from None


@sessions_group.command("delete")
@click.argument("session_id", metavar="ID")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@erase_wait_option
@store_option
@click.pass_context
def delete_command(ctx: click.Context, session_id: str, yes: bool, wait: float | None,
                   store_path: str | None) -> None:
    """Poista istunto pysyvästi / erase a session and every trace of it (GDPR)."""
    words = WORDS[lang_of(ctx)]
    with opened(chosen_store(ctx, store_path), create=False) as store:
        session_id = resolve_session(store, session_id, lang_of(ctx))  # unknown: fails before the question
        if not yes:  # the company from the list, so a damaged log can still be erased
            company = next((s.company for s in store.sessions() if s.id == session_id), None) or "-"
            try:
                agreed = click.confirm(words["confirm"].format(id=session_id, company=company),
                                       default=False, err=True)
            except click.Abort:  # end of input: no answer is no
                agreed = False
                click.echo(err=True)
            if not agreed:
                click.echo(words["cancelled"], err=True)
                raise SystemExit(1)
        erase(ctx, lambda told: store.delete(session_id, wait=wait, on_wait=told))
    click.echo(f"{words['deleted']}: {session_id}")


@sessions_group.command("compact")
@erase_wait_option
@store_option
@click.pass_context
def compact_command(ctx: click.Context, wait: float | None, store_path: str | None) -> None:
    """Tiivistä varasto / compact the store: finishes an erasure that another program held up."""

    from asiakasarvo_engine.session.store import MissingStore

    path = chosen_store(ctx, store_path)
    with opened(path, create=False) as store:
        if isinstance(store, MissingStore):
            raise StoreError(f"{store.path}: no session store here; nothing to compact")
        compact = getattr(store, "compact", None)  # SQLite and PostgreSQL stores
        if callable(compact):
            erase(ctx, lambda told: compact(wait=wait, on_wait=told))
            path = str(getattr(store, "path", path))
    click.echo(WORDS[lang_of(ctx)]["compacted"].format(path=path or "-"))
