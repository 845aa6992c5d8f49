"""The OpenAPI description of the HTTP API as committed in ``schemas/openapi.json``.

``python -m asiakasarvo_engine.server.openapi schemas/openapi.json`` writes it; a test fails
when the running server's ``/openapi.json`` and the committed file drift apart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def openapi_text() -> str:
    """The description of a server over an in-memory store, as stable indented JSON."""
    from asiakasarvo_engine.scoring.program import load_program
    from asiakasarvo_engine.server.app import ServerConfig, create_app
    from asiakasarvo_engine.session.store import MemoryStore

    app = create_app(ServerConfig(load_program(), MemoryStore()))
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(openapi_text(), encoding="utf-8")
