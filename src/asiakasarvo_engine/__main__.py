"""Run the CLI with ``python -m asiakasarvo_engine``."""

from asiakasarvo_engine.cli.app import main

main()
