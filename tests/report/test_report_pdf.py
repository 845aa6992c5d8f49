"""The PDF report (WeasyPrint) read back with pypdf: every example in both languages, the HTTP
API's format=pdf and the CLI's PDF file."""

from __future__ import annotations

import io
import warnings
from functools import cache
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from report_fixtures import COMPANIES, EXAMPLES, example_html, example_report, shipped_program

from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.report import FORMATS, render_pdf
from asiakasarvo_engine.server import ServerConfig, create_app
from asiakasarvo_engine.session.store import MemoryStore

with warnings.catch_warnings():  # starlette prefers httpx2 now; httpx is what the test extra installs
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

HEADINGS = {"fi": ["Yhteenveto", "Osioiden arviot", "Toimenpidesuositukset"],
            "en": ["Summary", "Section assessments", "Recommendations"]}
"""Chapter headings that every report has, in the text of its PDF."""
MAX_PAGES = 12
"""The client version of each example prints to at most this many A4 pages (issue 17)."""


@cache
def _pdf(company: str, lang: str) -> bytes:
    return render_pdf(example_report(company, lang), example_html(company, lang))


def _read(pdf: bytes) -> tuple[int, str]:
    """Page count and the text of every page."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("company", COMPANIES)
def test_examples_render_to_pdf(company: str, lang: str) -> None:
    pdf = _pdf(company, lang)
    assert pdf.startswith(b"%PDF-")
    pages, text = _read(pdf)
    assert 1 < pages <= MAX_PAGES, f"the client version of {company} ({lang}) prints to {pages} A4 pages"
    report = example_report(company, lang)
    assert report.cover.company
    assert report.cover.company in text
    for heading in HEADINGS[lang]:
        assert heading in text


def test_pages_are_a4_and_numbered() -> None:
    reader = pypdf.PdfReader(io.BytesIO(_pdf("small_manufacturer", "fi")))
    first = reader.pages[0]
    assert (round(float(first.mediabox.width) * 25.4 / 72), round(float(first.mediabox.height) * 25.4 / 72)) \
        == (210, 297)
    assert f"1 / {len(reader.pages)}" in first.extract_text()


def test_pdf_is_a_format() -> None:
    assert "pdf" in FORMATS


def test_api_returns_pdf() -> None:
    app = create_app(ServerConfig(shipped_program(), MemoryStore()))
    with TestClient(app, raise_server_exceptions=False) as client:
        token = client.app.state.ctx.auth.local_token  # type: ignore[attr-defined]
        assert client.get(f"/?token={token}", follow_redirects=False).status_code == 303
        client.headers["X-CSRF-Token"] = client.get("/api/v1/me").json()["csrf_token"]
        body = {"company": {"name": "Pdf-testi Oy"}, "advisor": "Anna"}
        created = client.post("/api/v1/sessions", json=body)
        assert created.status_code == 201, created.text
        sid = created.json()["id"]
        response = client.get(f"/api/v1/sessions/{sid}/report", params={"format": "pdf", "lang": "fi"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="{sid}.fi.pdf"'
    pages, text = _read(response.content)
    assert pages >= 1
    assert "Pdf-testi Oy" in text


def test_cli_writes_a_pdf_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "raportti.pdf"
    source = str(EXAMPLES / "micro_family_firm.answers.yaml")
    result = CliRunner().invoke(cli, ["report", source, "--format", "pdf", "--lang", "en", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.split() == [str(target)]
    pages, text = _read(target.read_bytes())
    assert pages > 1
    assert str(example_report("micro_family_firm", "en").cover.company) in text


def test_the_advisor_appendix_adds_pages(tmp_path: Path) -> None:
    source = str(EXAMPLES / "micro_family_firm.answers.yaml")
    client, advisor = tmp_path / "client.pdf", tmp_path / "advisor.pdf"
    for target, extra in ((client, []), (advisor, ["--advisor-appendix"])):
        result = CliRunner().invoke(cli, ["report", source, "--format", "pdf", "-o", str(target), *extra])
        assert result.exit_code == 0, result.output
    client_pages, client_text = _read(client.read_bytes())
    advisor_pages, advisor_text = _read(advisor.read_bytes())
    assert advisor_pages > client_pages
    assert "Hallitusasiantuntijan liite" in advisor_text and "Hallitusasiantuntijan liite" not in client_text


def test_a_pdf_does_not_go_to_stdout() -> None:
    source = str(EXAMPLES / "micro_family_firm.answers.yaml")
    result = CliRunner().invoke(cli, ["report", source, "--format", "pdf", "-o", "-"])
    assert result.exit_code == 2
    assert "PDF cannot go to stdout" in result.output

