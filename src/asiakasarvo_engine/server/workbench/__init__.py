"""The advisor's workbench in the browser: server-rendered pages (Jinja2) with htmx, over the
same session service as the HTTP API. ``router`` serves the pages under ``/wb``;
``static`` holds htmx (vendored, 0BSD, see ``static/htmx.LICENSE``), the workbench's own
script and its style sheet."""

from asiakasarvo_engine.server.workbench.analysis import router as _analysis
from asiakasarvo_engine.server.workbench.overview import router as _overview
from asiakasarvo_engine.server.workbench.present import router as _present
from asiakasarvo_engine.server.workbench.routes import router
from asiakasarvo_engine.server.workbench.static_files import static_router

router.include_router(_present)
router.include_router(_overview)
router.include_router(_analysis)

__all__ = ["router", "static_router"]
