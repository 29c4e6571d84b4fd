"""Each benchmark still runs: once, at its tiny `--quick` size, in its own process.

Only the shape of the output is checked (a table, then the final line); never a timing.
`events` and `leaderboard` run once more with `--backend postgres` on the test server (see
tests/backends: skipped without one, failed instead where it is required).
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import pg
from benchmarks.__main__ import BENCHMARKS
from benchmarks.report import FINAL_LINE
from tests.backends import server_url

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


# --- --backend postgres ----------------------------------------------------------------------

POSTGRES_BENCHMARKS = ("events", "leaderboard")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=50, check=False)


@pytest.mark.parametrize("name", POSTGRES_BENCHMARKS)
def test_benchmark_runs_on_postgres(name: str) -> None:
    url = asyncio.run(server_url())  # skips without a server (fails where it is required)
    done = _run(name, "--quick", "--backend", "postgres", "--postgres-url", url)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    match = FINAL_LINE.match(lines[-1])
    assert match is not None, f"unexpected final line: {lines[-1]!r}"
    assert match["name"] == name
    assert any("note: server: PostgreSQL" in line for line in lines), done.stdout


def test_only_some_benchmarks_take_postgres() -> None:
    for name in BENCHMARKS:
        module = importlib.import_module(f"benchmarks.{name}")
        takes = "server" in inspect.signature(module.run).parameters
        assert takes == (name in POSTGRES_BENCHMARKS), name


@pytest.mark.parametrize("name", [n for n in BENCHMARKS if n not in POSTGRES_BENCHMARKS])
def test_other_benchmarks_refuse_postgres(name: str) -> None:
    done = _run(name, "--quick", "--backend", "postgres")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "SQLite only" in done.stderr, done.stderr


def test_postgres_without_a_server_says_how_to_give_one() -> None:
    env = {k: v for k, v in os.environ.items() if k not in pg.URL_VARIABLES}
    done = _run("events", "--quick", "--backend", "postgres", env=env)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert pg.URL_OPTION in done.stderr and pg.URL_VARIABLES[0] in done.stderr
