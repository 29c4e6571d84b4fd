"""`python -m benchmarks <name> [--quick]`, or `python -m benchmarks all` (what `make bench` runs).

`all` runs every benchmark in its own Python process, one after the other, so that one
benchmark's memory, threads and event loop never colour the next one's figures; the exit
status is non-zero if any of them failed to run (never because a target was missed).
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import time
from collections.abc import Sequence

from benchmarks.report import FINAL_LINE

BENCHMARKS = ("events", "leaderboard", "interactions", "debates", "startup")


def run_one(name: str, quick: bool) -> int:
    module = importlib.import_module(f"benchmarks.{name}")
    outcome = module.run(quick=quick)
    print(outcome.render(), flush=True)
    return 0


def run_all(quick: bool) -> int:
    failed, finals = [], []
    for name in BENCHMARKS:
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
    args = parser.parse_args(argv)
    if args.name == "all":
        return run_all(args.quick)
    return run_one(args.name, args.quick)


if __name__ == "__main__":
    sys.exit(main())
