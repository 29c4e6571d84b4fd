"""Reliability tests: the real bot under injected faults, crashes and hostile input.

Every test here also fails if anything is logged at ERROR or above (an exception that
reached discord.py's or asyncio's last-resort handler, or a failure our own error handler
treats as a bug), unless it is marked ``allow_error_logs`` with the logger names it expects.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from playground.emulator import Emulator
from tests.e2e.conftest import emulator  # the emulator fixture (asserts no violations)
from tests.reliability.helpers import ReliabilityWorld, make_reliability_world

__all__ = ["emulator"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "bot_options(**kwargs): keyword arguments for the Rostrum built by `rworld`")
    config.addinivalue_line(
        "markers", "allow_error_logs(*loggers): ERROR records these loggers may emit")
    config.addinivalue_line(
        "markers", "emulator_options(**kwargs): keyword arguments for the Emulator")
    config.addinivalue_line(
        "markers", "emulator_expects_rejections: the test provokes violations on purpose")


@pytest.fixture
def faithful_rate_limits() -> bool:
    """Off here: these tests play a four-minute debate in about a second to inject faults
    into it, and under Discord's 5 messages per 5 s per channel they would mostly measure
    discord.py waiting (tests/e2e/test_rate_limits.py covers the pacing itself)."""
    return False


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_error_logs(request: pytest.FixtureRequest) -> Iterator[list[logging.LogRecord]]:
    """Fail the test if anything was logged at ERROR or above (set up first, checked last,
    so the bot's shutdown in the emulator's teardown is covered too)."""
    handler = _Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
    marker = request.node.get_closest_marker("allow_error_logs")
    allowed = set(marker.args) if marker else set()
    unexpected = [r for r in handler.records if r.name not in allowed]
    details = "\n".join(f"{r.name}: {r.getMessage()}\n{r.exc_text or ''}" for r in unexpected)
    assert not unexpected, f"errors were logged:\n{details}"


@pytest.fixture
async def rworld(emulator: Emulator, tmp_path: Path,
                 request: pytest.FixtureRequest) -> ReliabilityWorld:
    """The real Rostrum in the emulator on a FakeClock, built with `bot_options` (see
    `make_reliability_world`)."""
    marker = request.node.get_closest_marker("bot_options")
    options = dict(marker.kwargs) if marker else {}
    return await make_reliability_world(emulator, tmp_path, **options)
