"""``asiakasarvo demo``: a complete analysis of an example company on the shipped defaults."""

from __future__ import annotations

import click

from asiakasarvo_engine._resources import examples_path
from asiakasarvo_engine.cli.score import format_result, score_file
from asiakasarvo_engine.scoring.program import load_program

DEMO_COMPANY = "small_manufacturer.answers.yaml"


def run_demo(lang: str) -> None:
    """Load and check the shipped bank and rules, then analyse the example manufacturer."""
    program = load_program()
    model = program.bank.loaded.bank
    rules = program.rules.rules
    items = sum(len(section.items) for section in model.bodies())
    minutes = sum(section.agenda_minutes for section in model.bodies())
    words = ("kysymystä", "min", "Kysymyspankki", "Säännöt") if lang == "fi" else \
        ("items", "min", "Question bank", "Rules")
    click.echo(f"{words[2]}: {model.title[lang]} {model.version}, {len(model.bodies())} / {items} "
               f"{words[0]} / {minutes} {words[1]} ({program.bank.content_hash[:19]}...)")
    click.echo(f"{words[3]}: {rules.title[lang]} {rules.version} ({program.content_hash[:19]}...)")
    click.echo()
    result = score_file(program, examples_path() / DEMO_COMPANY, lang)
    click.echo(format_result(result, lang), nl=False)
