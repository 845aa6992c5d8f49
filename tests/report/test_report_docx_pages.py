"""The DOCX client version of each example within 12 A4 pages (issue 17), laid out by
LibreOffice (Debian's ``libreoffice-writer-nogui``, which ``.ci/run`` installs) and counted
with pypdf. Without ``soffice`` the test skips, except when ``CI`` is set: then it fails."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from report_fixtures import COMPANIES, example_docx

MAX_PAGES = 12
SOFFICE = shutil.which("soffice")

if SOFFICE is None and not os.environ.get("CI"):
    pytest.skip("LibreOffice (soffice) is not installed", allow_module_level=True)


def test_every_examples_docx_prints_within_twelve_pages(tmp_path: Path) -> None:
    assert SOFFICE is not None, "CI is set but LibreOffice (soffice) is not installed"
    files = []
    for company in COMPANIES:
        for lang in ("fi", "en"):
            path = tmp_path / f"{company}.{lang}.docx"
            path.write_bytes(example_docx(company, lang))
            files.append(path)
    profile = tmp_path / "profile"  # a throwaway LibreOffice user profile: no shared state, no lock
    command = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(tmp_path), *map(str, files)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    pages = {path.stem: len(pypdf.PdfReader(path.with_suffix(".pdf")).pages) for path in files}
    assert all(1 < count <= MAX_PAGES for count in pages.values()), pages
