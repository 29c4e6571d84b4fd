"""`python -m benchmarks <name> [--quick]`, or `python -m benchmarks all` (what `make bench` runs).

`all` runs every benchmark in its own Python process, one after the other, so that one
benchmark's memory, threads and event loop never colour the next one's figures; the exit
status is non-zero if any of them failed to run (never because a target was missed).

`--backend postgres` runs `events` or `leaderboard` on a PostgreSQL server (`--postgres-url`,
else ROSTRUM_BENCH_POSTGRES_URL, else ROSTRUM_TEST_POSTGRES_URL; see `benchmarks.pg`); the
others run on SQLite only. A benchmark takes it when its `run` accepts `server`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

from benchmarks import pg
from benchmarks.report import FINAL_LINE

BENCHMARKS = ("events", "leaderboard", "interactions", "debates", "startup", "budget", "capacity",
              "pictures")
BACKEND_CHOICES = ("sqlite", "postgres")
EXIT_USAGE = 2


class Refused(RuntimeError):
    """The options cannot be honoured; the message is one line."""


def _options(name: str, module: Any, args: argparse.Namespace) -> dict[str, Any]:
    """What `module.run` is given beyond `quick`, checked against what it accepts."""
    accepts = inspect.signature(module.run).parameters
    options: dict[str, Any] = {}
    if args.backend == "postgres":
        if "server" not in accepts:
            postgres = [n for n in BENCHMARKS if "server" in _run_parameters(n)]
            raise Refused(f"{name} runs on SQLite only; --backend postgres is for "
                          f"{' and '.join(postgres)}")
        try:
            options["server"] = asyncio.run(pg.probe(pg.server_url(args.postgres_url)))
        except pg.ServerProblem as problem:
            raise Refused(str(problem)) from None
    elif args.postgres_url is not None:
        raise Refused("--postgres-url goes with --backend postgres")
    if args.fresh:
        if "fresh" not in accepts:
            raise Refused(f"--fresh: {name} keeps no cache")
        options["fresh"] = True
    return options


def _run_parameters(name: str) -> Any:
    return inspect.signature(importlib.import_module(f"benchmarks.{name}").run).parameters


def run_one(name: str, args: argparse.Namespace) -> int:
    module = importlib.import_module(f"benchmarks.{name}")
    try:
        options = _options(name, module, args)
    except Refused as refused:
        print(f"python -m benchmarks: error: {refused}", file=sys.stderr, flush=True)
        return EXIT_USAGE
    outcome = module.run(quick=args.quick, **options)
    print(outcome.render(), flush=True)
    return 0


def settle(seconds: float = 3.0) -> None:
    """Let the previous benchmark's writes reach the disk before the next one measures.

    A benchmark leaves hundreds of MB of dirty pages (its scratch databases); written back
    during the next one, they showed up in its tail latencies (leaderboard p99 0.4-0.9 ms
    alone, 1.2-2.4 ms right after events).
    """
    os.sync()
    time.sleep(seconds)


def run_all(quick: bool) -> int:
    failed, finals = [], []
    for name in BENCHMARKS:
        settle()
        started = time.monotonic()
        command = [sys.executable, "-m", "benchmarks", name, *(["--quick"] if quick else [])]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        print(done.stdout, end="", flush=True)
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines or not FINAL_LINE.match(lines[-1]):
            failed.append(name)
            print(f"{name}: failed (exit status {done.returncode})", flush=True)
        else:
            finals.append(lines[-1])
        print(f"  ({name} took {time.monotonic() - started:.0f} s)\n", flush=True)
    print("== summary ==")
    for line in finals:
        print(line)
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("name", choices=(*BENCHMARKS, "all"))
    parser.add_argument("--quick", action="store_true",
                        help="a tiny size, to check that the benchmark still runs")
    parser.add_argument("--backend", choices=BACKEND_CHOICES, default="sqlite",
                        help="the storage backend measured (postgres: events, leaderboard)")
    parser.add_argument(pg.URL_OPTION, metavar="URL", default=None,
                        help="the PostgreSQL server for --backend postgres (default: "
                             f"${pg.URL_VARIABLES[0]}, else ${pg.URL_VARIABLES[1]}); runs "
                             "in schemas of their own on it, dropped afterwards, except "
                             "leaderboard's cached seed")
    parser.add_argument("--fresh", action="store_true",
                        help="leaderboard: rebuild the cached seeded database (on PostgreSQL: "
                             "drop every cached seed schema on the server first)")
    args = parser.parse_args(argv)
    if args.name == "all":
        if args.backend != "sqlite" or args.postgres_url is not None or args.fresh:
            print("python -m benchmarks: error: all runs every benchmark on SQLite as it is; "
                  "give --backend, --postgres-url or --fresh with a benchmark's name",
                  file=sys.stderr)
            return EXIT_USAGE
        return run_all(args.quick)
    return run_one(args.name, args)


if __name__ == "__main__":
    sys.exit(main())
