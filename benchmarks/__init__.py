"""Rostrum's benchmarks: `python -m benchmarks <name> [--quick]`, or `all` (`make bench`).

Every figure is measured next to a baseline in the same run (the machine is shared and
noisy), printed as a table, and summed up in one final line per benchmark::

    name: value unit (ratio X.XX vs baseline)

Benchmarks print figures; they never assert on time. `tests/test_benchmarks.py` runs each
once at its `--quick` size to keep them working.
"""
