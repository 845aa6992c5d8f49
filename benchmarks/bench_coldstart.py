"""Benchmark: cold start, each figure the median of N fresh processes (issue 20's targets).

- ``python -c "import asiakasarvo_engine"``: at most 150 ms wall;
- ``asiakasarvo validate`` (the shipped bank and rules): at most 0.5 s wall;
- ``load_program()`` in a fresh process: the import it needs, then the call itself, timed
  inside the process (the call: at most 100 ms);
- for scale, ``python -c pass`` (the interpreter's own start).

Byte code is cached as usual (the first run writes it). The machine is shared: run it when
the load is low and compare figures from one sitting.
Run: ``.venv/bin/python benchmarks/bench_coldstart.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PYTHON = sys.executable
CLI = str(Path(PYTHON).with_name("asiakasarvo"))
LOAD_PROGRAM = (
    "import json, time\n"
    "t0 = time.perf_counter()\n"
    "from asiakasarvo_engine import load_program\n"
    "load_program  # the lazy attribute: imports the loader\n"
    "t1 = time.perf_counter()\n"
    "load_program()\n"
    "t2 = time.perf_counter()\n"
    "print(json.dumps({'import': t1 - t0, 'call': t2 - t1}))\n"
)


def _wall(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _inside(runs: int) -> tuple[float, float, float]:
    imports, calls, walls = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([PYTHON, "-c", LOAD_PROGRAM], check=True, capture_output=True, text=True)
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
    runs = parser.parse_args().runs
    print(f"cold start, median of {runs} fresh processes ({os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f})")
    print(_line("python -c pass", _wall([PYTHON, "-c", "pass"], runs), None))
    print(_line('python -c "import asiakasarvo_engine"',
                _wall([PYTHON, "-c", "import asiakasarvo_engine"], runs), 0.150))
    print(_line("asiakasarvo validate (shipped bank and rules)", _wall([CLI, "validate"], runs), 0.5))
    imported, called, wall = _inside(runs)
    print(_line("load_program: its imports", imported, None))
    print(_line("load_program(): the call", called, 0.100))
    print(_line("load_program: whole process", wall, None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
