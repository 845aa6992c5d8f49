"""``asiakasarvo validate``, ``score`` and the runner never print a Python traceback (issue 13).

Every bad input under tests/data (bad banks, answers, rules, hostile inputs) and a few
generated hostile ones (a file over the size limit, JSON 5,000 deep, 10,000 nested ifs)
go through the console-script entry point in-process: a clean refusal is a SystemExit with
code 1 or 2 and no ``Traceback`` in the output. Any other exception escaping ``main`` is
what a user would see as a traceback, so it fails the test. A few run as real
subprocesses, and the runner gets hostile lines piped into it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner

from asiakasarvo_engine.cli.app import main
from asiakasarvo_engine.cli.validate import check_paths
from asiakasarvo_engine.codes import Severity

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SMALL = ROOT / "examples" / "small_manufacturer.answers.yaml"
BAD_DIRS = ("bad_banks", "bad_answers", "bad_rules", "bad_sections")
CLI = Path(sys.executable).with_name("asiakasarvo")


def _bad_files() -> list[Path]:
    return sorted(p for d in BAD_DIRS if (DATA / d).is_dir() for p in (DATA / d).iterdir()
                  if p.is_file() and not p.name.startswith("_"))


def _only_warnings(path: Path) -> bool:
    """True when the file's findings are warnings only (it validates and scores)."""
    return not any(d.severity is Severity.ERROR for report in check_paths([path]) for d in report.diagnostics)


def run(monkeypatch: pytest.MonkeyPatch, *args: str | Path, stdin: str | None = None) -> tuple[int, str]:
    """The console script in-process: (exit code, stdout and stderr). An exception other
    than SystemExit fails the test: the real command would print its traceback."""
    monkeypatch.setattr(sys, "argv", ["asiakasarvo", *(str(a) for a in args)])
    with CliRunner().isolation(input=stdin, env={"ASIAKASARVO_LANG": None}) as (out, err, _):
        try:
            main()
        except SystemExit as exited:
            code = exited.code
        except BaseException:  # the point of the test
            pytest.fail(f"asiakasarvo {' '.join(map(str, args))} raised:\n{traceback.format_exc()}")
        else:
            code = 0
        sys.stdout.flush()
        sys.stderr.flush()
        output = out.getvalue().decode(errors="replace") + err.getvalue().decode(errors="replace")
    assert isinstance(code, int), code
    return code, output


def _commands(path: Path) -> list[tuple[str | Path, ...]]:
    """validate, and score in the role the file plays (answers, bank or rules)."""
    commands: list[tuple[str | Path, ...]] = [("validate", path), ("validate", "--format", "json", path)]
    if path.parent.name == "bad_banks":
        commands.append(("score", "--bank", path, SMALL))
    elif path.parent.name == "bad_rules":
        commands.append(("score", "--rules", path, SMALL))
    else:
        commands.append(("score", path))
    return commands


@pytest.mark.parametrize("path", _bad_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_bad_input_is_refused_without_a_traceback(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    for command in _commands(path):
        code, output = run(monkeypatch, *command)
        assert "Traceback" not in output, output
        if _only_warnings(path):
            assert code == 0, (command, output)
        else:
            assert code in {1, 2}, (command, output)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Inputs too large to keep in the repository, written once."""
    folder = tmp_path_factory.mktemp("hostile")
    valid_rules = (DATA / "bad_rules" / "_valid.yaml").read_text(encoding="utf-8")
    files = {
        "huge.yaml": "kind: answers\n" + ("# " + "x" * 97 + "\n") * 60_000,
        "deep.json": '{"schema_version": "1.0", "kind": "answers", "bank": {"id": "asiakasarvo"}, '
                     '"answers": {"basic_info.owners": ' + "[" * 5000 + "]" * 5000 + "}}",
        "deep.yaml": "kind: answers\nanswers: " + "[" * 5000 + "]" * 5000 + "\n",
        "ifs.yaml": valid_rules.replace(
            'when: owner_strategy.documented in ["not_formed", "tacit"]',
            'when: "' + "1 if owner_strategy.documented == 'tacit' else " * 10000 + '0"', 1),
        "ifs_json_logic.json": '{"schema_version": "1.0", "kind": "scoring_rules", "when": '
                               + '{"if": [{"var": "a"}, 1, ' * 10000 + "0" + "]}" * 10000 + "}",
        "deep_infix.yaml": valid_rules.replace(
            'when: owner_strategy.documented in ["not_formed", "tacit"]',
            'when: "' + "-" * 10000 + '1 > 0"', 1),
    }
    paths = {}
    for name, text in files.items():
        paths[name] = folder / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.mark.parametrize("name", ["huge.yaml", "deep.json", "deep.yaml", "ifs.yaml", "ifs_json_logic.json",
                                  "deep_infix.yaml"])
def test_a_hostile_input_is_refused_without_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                        hostile: dict[str, Path], name: str) -> None:
    path = hostile[name]
    commands: list[tuple[str | Path, ...]] = [("validate", path)]
    commands.append(("score", "--rules", path, SMALL) if name.startswith(("ifs", "deep_infix"))
                    else ("score", path))
    for command in commands:
        code, output = run(monkeypatch, *command)
        assert "Traceback" not in output, output
        assert code in {1, 2}, (command, output)
        assert ":" in output.split(" error ")[0], output  # names the file and where


def _subprocess(*args: str | Path, stdin: str = "", store: Path | None = None,
                ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASIAKASARVO_LANG": "en"}
    if store is not None:
        env["ASIAKASARVO_STORE"] = str(store)
    return subprocess.run([str(CLI), *map(str, args)], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_real_processes_print_no_traceback(hostile: dict[str, Path]) -> None:
    for path in (DATA / "bad_answers" / "ANS-004_beyond_float.yaml", hostile["deep.json"]):
        for command in (("validate", path), ("score", path)):
            done = _subprocess(*command)
            assert done.returncode == 1, done.stderr
            assert "Traceback" not in done.stdout + done.stderr


def test_the_runner_refuses_hostile_lines_and_carries_on(tmp_path: Path) -> None:
    lines = [
        ":goto basic_info.turnover",
        "1" + "0" * 400,  # beyond the float range
        "-0.0",
        "1e400",
        "x" * 200_000,
        "\x00\x1b[2J",
        ":goto basic_info.owners",
        '[{"share": ' + "1" + "0" * 400 + "}]",
        ":goto owner_strategy.documented",
        "tacitt",
        "2",
        ":quit",
    ]
    done = _subprocess("interview", "--company", "Testi Oy", "--advisor", "Anna",
                       stdin="\n".join(lines) + "\n", store=tmp_path / "s.sqlite3")
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output[-3000:]
    assert done.returncode == 0, output[-3000:]
    assert output.count("ANS-004") >= 2, output[-3000:]  # the huge turnover and the -0.0
    assert "saved" in output


def test_the_runner_refuses_an_invalid_business_id_without_a_traceback(tmp_path: Path) -> None:
    done = _subprocess("interview", "--company", "Testi Oy", "--business-id", "3636122-0",
                       "--advisor", "Anna", stdin=":quit\n", store=tmp_path / "s.sqlite3")
    assert done.returncode in {1, 2}
    assert "Traceback" not in done.stdout + done.stderr
    assert "ANS-005" in done.stdout + done.stderr


def test_the_runner_refuses_a_deeply_nested_json_answer(tmp_path: Path) -> None:
    lines = [":goto basic_info.owners", "[" * 5000 + "]" * 5000, ":quit"]
    done = _subprocess("interview", "--company", "Testi Oy", "--advisor", "Anna",
                       stdin="\n".join(lines) + "\n", store=tmp_path / "s.sqlite3")
    assert "Traceback" not in done.stdout + done.stderr
    assert "nested deeper than 64 levels (column 66)" in done.stdout, done.stdout[-2000:]
    assert done.returncode == 0
