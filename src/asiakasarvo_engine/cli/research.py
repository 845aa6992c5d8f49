"""``asiakasarvo research``: synthetic corpora."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("research")
def research_group() -> None:
    """Tutkimustyökalut / research toolkit: synthetic corpora."""


@research_group.command("synth")
@click.option("--companies", type=click.IntRange(1, 100_000), default=250, show_default=True,
              help="How many synthetic analyses to write.")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same bytes.")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder for the answers files and truth.json.")
@click.option("--rules", "rules_path", type=click.Path(path_type=Path), default=None,
              help="Scoring rules the answers aim at (default: the shipped rules).")
@click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=None,
              help="Question bank (default: the shipped bank).")
def synth_command(companies: int, seed: int, out: Path, rules_path: Path | None,
                  bank_path: Path | None) -> None:
    """Synteettinen aineisto / write a synthetic corpus with a known latent structure.

    Writes company-NNN.answers.yaml files (provinces 40/40/20 %, size classes,
    industries, a few percent missing and don't-know answers) and truth.json, the maturity
    factor of every company and section the answers were drawn from.
    """
    from asiakasarvo_engine.research.synth import synthesize
    from asiakasarvo_engine.scoring.program import load_program

    written = synthesize(load_program(rules_path, bank_path), companies, seed, out)
    click.echo(f"{len(written.files)} analyses, truth in {written.truth}")
