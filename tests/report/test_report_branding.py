"""The organisation's name and logo from a branding file (issue 17 item 4), and every way the
file can be wrong, reported at its line and column."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from PIL import Image
from report_fixtures import EXAMPLES, example, shipped_program

from asiakasarvo_engine.cli.app import cli, main
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.report import build_report, render_docx, render_html, render_markdown
from asiakasarvo_engine.report.branding import ENV_VAR, load_branding

ORGANISATION = {"fi": "Itä-Suomen kauppakamari", "en": "East Finland Chamber of Commerce"}


def _png(path: Path) -> Path:
    Image.new("RGB", (120, 40), (31, 78, 121)).save(path, format="PNG")
    return path


def _branding(folder: Path, text: str | None = None) -> Path:
    _png(folder / "logo.png")
    path = folder / "branding.yaml"
    default = ("organisation:\n  fi: Itä-Suomen kauppakamari\n  en: East Finland Chamber of Commerce\n"
               "logo: logo.png\n")
    path.write_text(default if text is None else text, encoding="utf-8")
    return path


def test_the_organisation_and_its_logo_reach_every_format(tmp_path: Path) -> None:
    branding = load_branding(_branding(tmp_path))
    assert branding.logo_type == "png" and branding.name("en") == ORGANISATION["en"]
    loaded, result = example("small_manufacturer")
    for lang in ("fi", "en"):
        report = build_report(result, loaded.answers, shipped_program(), lang=lang, branding=branding)
        label = "Laatija" if lang == "fi" else "Prepared by"
        assert f"**{label}:** {ORGANISATION[lang]}" in render_markdown(report)
        html = render_html(report)
        assert '<img class="logo" src="data:image/png;base64,' in html
        assert f'alt="{ORGANISATION[lang]}"' in html
        header = docx.Document(io.BytesIO(render_docx(report))).sections[0].header
        assert any("image" in rel.reltype for rel in header.part.rels.values())


def test_one_name_serves_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text('{"organisation": "Savon Kauppakamari"}', encoding="utf-8")
    branding = load_branding(path)
    assert branding.name("fi") == branding.name("en") == "Savon Kauppakamari" and branding.logo is None


@pytest.mark.parametrize(("text", "code", "line", "column"), [
    ("organisation: X\nlogo: logo.png\ncolour: blue\n", "SCH-002", 3, 1),
    ("logo: logo.png\n", "SCH-003", 1, 1),
    ("organisation: X\nlogo: missing.png\n", "SRC-001", 2, 7),
    ("organisation: X\nlogo: branding.yaml\n", "SCH-006", 2, 7),
    ("organisation:\n  fi: X\n  sv: Y\n", "SCH-002", 3, 3),
    ("organisation:\n  fi: ''\n", "SCH-001", 2, 7),
    ("organisation: [a, b]\n", "SCH-004", 1, 15),
    ("organisation: X\n  logo: : :\n", "SRC-004", None, None),
])
def test_a_bad_branding_file_names_the_place(tmp_path: Path, text: str, code: str, line: int | None,
                                             column: int | None) -> None:
    path = _branding(tmp_path, text)
    with pytest.raises(LoadError) as caught:
        load_branding(path)
    first = caught.value.diagnostics[0]
    assert first.code == code
    assert first.span is not None and first.span.file == str(path)
    if line is not None:
        assert (first.span.line, first.span.column) == (line, column)


def test_the_cli_takes_the_file_or_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    source = str(EXAMPLES / "micro_family_firm.answers.yaml")
    good = _branding(tmp_path)
    target = tmp_path / "r.md"
    done = CliRunner().invoke(cli, ["report", source, "--format", "md", "-o", str(target),
                                    "--branding", str(good)])
    assert done.exit_code == 0, done.output
    assert ORGANISATION["fi"] in target.read_text(encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(good))
    done = CliRunner().invoke(cli, ["--lang", "en", "report", source, "--format", "md", "-o", str(target)])
    assert done.exit_code == 0 and ORGANISATION["en"] in target.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("organisation: X\nlogo: nope.png\n", encoding="utf-8")
    argv = ["asiakasarvo", "report", source, "-o", str(target), "--branding", str(bad)]
    monkeypatch.setattr("sys.argv", argv)
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 1
    assert f"{bad}:2:7" in capsys.readouterr().err
