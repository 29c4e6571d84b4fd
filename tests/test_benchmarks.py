"""Each benchmark still runs: once, at its tiny `--quick` size, in its own process.

Only the shape of the output is checked (a table, then the final line); never a timing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.__main__ import BENCHMARKS
from benchmarks.report import FINAL_LINE

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_prints_its_final_line(name: str) -> None:
    done = subprocess.run([sys.executable, "-m", "benchmarks", name, "--quick"], cwd=REPO,
                          capture_output=True, text=True, timeout=50, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    match = FINAL_LINE.match(last)
    assert match is not None, f"unexpected final line: {last!r}"
    assert match["name"] == name
