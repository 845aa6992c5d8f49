"""``asiakasarvo research`` end to end through click."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from asiakasarvo_engine._resources import default_rules_path
from asiakasarvo_engine.cli.app import cli

SHIPPED_RULES = default_rules_path()


def test_synth_writes_the_corpus_and_the_truth(tmp_path: Path):
    out = tmp_path / "corpus"
    result = CliRunner().invoke(cli, ["research", "synth", "--companies", "5", "--seed", "3",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 analyses" in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        *(f"company-00{i}.answers.yaml" for i in range(1, 6)), "truth.json"]
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    assert truth["seed"] == 3
    assert len(truth["analyses"]) == 5
    assert set(truth["analyses"][0]["sections"]) == set(truth["section_mean"])


def test_synth_needs_an_out_folder():
    result = CliRunner().invoke(cli, ["research", "synth", "--companies", "5"])
    assert result.exit_code == 2
    assert "--out" in result.output


def _invoke(*args: str):
    return CliRunner().invoke(cli, ["research", *args])


def test_rescore_end_to_end_csv_json_and_excel(small_corpus, key_file: Path, tmp_path: Path):
    folder = str(small_corpus.files[0].parent)
    result = _invoke("rescore", folder, "--key", str(key_file))
    assert result.exit_code == 0, result.output
    table = list(csv.reader(io.StringIO(result.stdout), delimiter=";"))
    assert len(table) == 21
    assert table[0][:4] == ["id", "province", "size_class", "industry"]
    assert all(len(row[0]) == 32 for row in table[1:])
    assert result.stderr == ""

    as_json = _invoke("rescore", folder, "--key", str(key_file), "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)
    assert [row["id"] for row in rows] == [row[0] for row in table[1:]]

    out = tmp_path / "rows.csv"
    excel = _invoke("rescore", folder, "--excel", "--out", str(out))
    assert excel.exit_code == 0, excel.output
    assert "No --key" in excel.stderr
    assert "20 rows" in excel.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    first = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline=""), delimiter=";"))[1]
    assert first[0] == ""  # no key, no id


def test_rescore_refuses_excel_json_and_a_missing_corpus(small_corpus, tmp_path: Path):
    result = _invoke("rescore", str(small_corpus.files[0]), "--format", "json", "--excel")
    assert result.exit_code == 2
    assert "--excel applies to --format csv" in result.output
    missing = _invoke("rescore", str(tmp_path / "nothing"))
    assert missing.exit_code == 2


def test_a_short_key_is_an_error_not_a_traceback(small_corpus, tmp_path: Path):
    key = tmp_path / "short.key"
    key.write_text("secret\n", encoding="ascii")
    done = subprocess.run(  # the installed command, through main()'s error handling
        [str(Path(sys.executable).with_name("asiakasarvo")), "research", "rescore",
         str(small_corpus.files[0]), "--key", str(key)],
        capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 1
    assert "error RES-001" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_statistics_follow_the_global_lang_unless_their_own_says_otherwise(tmp_path: Path):
    out = tmp_path / "corpus"
    assert _invoke("synth", "--companies", "6", "--seed", "4", "--out", str(out)).exit_code == 0
    english = CliRunner().invoke(cli, ["--lang", "en", "research", "reliability", str(out)])
    assert english.exit_code == 0, english.output
    assert english.stdout.startswith("# Reliability")
    finnish = CliRunner().invoke(cli, ["--lang", "en", "research", "reliability", str(out), "--lang", "fi"])
    assert finnish.stdout.startswith("# Mittarin luotettavuus")
    rows = CliRunner().invoke(cli, ["research", "rescore", str(out), "-o", str(tmp_path / "rows.csv")])
    assert rows.exit_code == 0 and "6 rows -> " in rows.stderr
    same = [CliRunner().invoke(cli, ["research", "compare", str(out), str(SHIPPED_RULES), str(SHIPPED_RULES),
                                     "--format", name]).stdout for name in ("md", "markdown")]
    assert same[0] == same[1] and same[0].startswith("# ")
