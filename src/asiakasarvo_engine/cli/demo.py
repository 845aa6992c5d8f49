"""``asiakasarvo demo``: load, check and summarize the shipped bank and rules."""

from __future__ import annotations

import click

from asiakasarvo_engine.bank.load import load_bank
from asiakasarvo_engine.rules.load import load_rules


def run_demo(lang: str) -> None:
    """Print the bank's sections, items and agenda, and the rule set's pins."""
    other = "en" if lang == "fi" else "fi"
    bank = load_bank()
    rules = load_rules(bank=bank)
    model = bank.bank
    click.echo(f"{model.title[lang]} / {model.title[other]}  ({model.id} {model.version})")
    total_items = total_minutes = 0
    for index, section in enumerate(model.bodies(), start=1):
        total_items += len(section.items)
        total_minutes += section.agenda_minutes
        click.echo(f"  {index}. {section.title[lang]:<62} {len(section.items):>3} "
                   f"{'kysymystä' if lang == 'fi' else 'items'} {section.agenda_minutes:>4} min")
    label = "Yhteensä" if lang == "fi" else "Total"
    click.echo(f"  {label:<65} {total_items:>3} {'kysymystä' if lang == 'fi' else 'items'} "
               f"{total_minutes:>4} min")
    click.echo(f"{'Kysymyspankki' if lang == 'fi' else 'Question bank'}: "
               f"{bank.content_hash}")
    ruleset = rules.rules
    click.echo(f"{'Säännöt' if lang == 'fi' else 'Rules'}: {ruleset.id} {ruleset.version} "
               f"{rules.content_hash}")
    for warning in bank.warnings + rules.warnings:
        click.echo(f"  {warning}", err=True)
