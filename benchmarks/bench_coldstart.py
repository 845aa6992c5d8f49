"""Benchmark: cold start, each figure the median of N fresh processes (issue 20's targets).

- ``python -c "import asiakasarvo_engine"``: at most 150 ms wall;
- ``asiakasarvo validate`` (the shipped bank and rules): at most 0.5 s wall;
- ``load_program()`` in a fresh process: the import it needs, then the call itself, timed
  inside the process (the call: at most 100 ms);
- for scale, ``python -c pass`` (the interpreter's own start).

Each figure is taken twice: with byte code cached, as an installed package has it (pip
compiles it on install; here it goes to a private ``PYTHONPYCACHEPREFIX`` folder, written by
one untimed run first), and without (``PYTHONDONTWRITEBYTECODE=1``, as this sandbox runs
Python: every start compiles every module it imports from source). The machine is shared:
run it when the load is low and compare figures from one sitting.
Run: ``.venv/bin/python benchmarks/bench_coldstart.py [--runs N] [--bank B --rules R]``
(``--bank``/``--rules``: validate and load these files instead of the shipped ones).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
CLI = str(Path(PYTHON).with_name("asiakasarvo"))
LOAD_PROGRAM = (
    "import json, sys, time\n"
    "t0 = time.perf_counter()\n"
    "from asiakasarvo_engine import load_program\n"
    "load_program  # the lazy attribute: imports the loader\n"
    "t1 = time.perf_counter()\n"
    "load_program(*sys.argv[1:])\n"
    "t2 = time.perf_counter()\n"
    "print(json.dumps({'import': t1 - t0, 'call': t2 - t1}))\n"
)


def _environments(cache: str) -> dict[str, dict[str, str]]:
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = cache
    bare = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
    bare["PYTHONDONTWRITEBYTECODE"] = "1"
    return {"byte code cached": cached, "no byte code": bare}


def _wall(command: list[str], runs: int, env: dict[str, str]) -> float:
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, env=env)  # writes byte code
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL, env=env)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _inside(runs: int, paths: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    imports, calls, walls = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([PYTHON, "-c", LOAD_PROGRAM, *paths], check=True, capture_output=True,
                             text=True, env=env)
        walls.append(time.perf_counter() - start)
        figures = json.loads(out.stdout)
        imports.append(figures["import"])
        calls.append(figures["call"])
    return statistics.median(imports), statistics.median(calls), statistics.median(walls)


def _line(label: str, seconds: float, target: float | None) -> str:
    text = f"  {label:<44} {seconds * 1000:7.0f} ms"
    if target is not None:
        verdict = "met" if seconds <= target else "missed"
        text += f"   target at most {target * 1000:.0f} ms: {verdict}"
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--bank", default=None, help="a bank manifest instead of the shipped one")
    parser.add_argument("--rules", default=None, help="a rule set instead of the shipped one")
    options = parser.parse_args()
    runs = options.runs
    validated = [p for p in (options.bank, options.rules) if p]
    program = [options.rules, options.bank] if options.rules and options.bank else []
    print(f"cold start, median of {runs} fresh processes ({os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f})")
    which = "given" if validated else "shipped"
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as cache:
        for label, env in _environments(cache).items():
            print(f"{label}:")
            print(_line("python -c pass", _wall([PYTHON, "-c", "pass"], runs, env), None))
            print(_line('python -c "import asiakasarvo_engine"',
                        _wall([PYTHON, "-c", "import asiakasarvo_engine"], runs, env), 0.150))
            print(_line(f"asiakasarvo validate ({which} bank and rules)",
                        _wall([CLI, "validate", *validated], runs, env), 0.5))
            imported, called, wall = _inside(runs, program, env)
            print(_line("load_program: its imports", imported, None))
            print(_line("load_program(): the call", called, 0.100))
            print(_line("load_program: whole process", wall, None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
