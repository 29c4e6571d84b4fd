"""An injectable clock, so time-driven rules are tested without sleeping.

`now()` is all the pure core needs. The bot's scheduler also awaits `sleep_until()`, which
a `FakeClock` resolves only when a test moves time forward: end-to-end tests run whole
debates in milliseconds, with the same code path as production.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the Unix epoch (UTC)."""
        ...

    async def sleep_until(self, when: float) -> None:
        """Return once `now() >= when` (may be cancelled)."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    async def sleep_until(self, when: float) -> None:
        delay = when - time.time()
        if delay > 0:
            await asyncio.sleep(delay)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self._now = start
        self._moved: asyncio.Event | None = None

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        self.set(self._now + seconds)
        return self._now

    def set(self, when: float) -> None:
        self._now = when
        if self._moved is not None:
            self._moved.set()
            self._moved = None

    async def sleep_until(self, when: float) -> None:
        while self._now < when:
            if self._moved is None:
                self._moved = asyncio.Event()
            await self._moved.wait()
