"""The HTTP API (``asiakasarvo serve``): FastAPI over the interview, scoring and report APIs.

``create_app(ServerConfig(program, store))`` builds the application; ``asiakasarvo serve``
runs it under uvicorn. See ``app`` (errors, sign-in), ``api`` (the resources), ``service``
(interviews per session, If-Match and conflicts), ``limits`` (the request-body gate),
``auth`` (local one-time token, cookie sessions, CSRF).
"""

from asiakasarvo_engine.server.app import ServerConfig as ServerConfig
from asiakasarvo_engine.server.app import create_app as create_app

__all__ = ["ServerConfig", "create_app"]
