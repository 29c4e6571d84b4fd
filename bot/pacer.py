"""One queue in front of every rate-limited Discord call of this process.

`Pacer` hands out turns at the process's share of the token's budget (`bot.core.pacing`),
most urgent first: a debate's thread, lobby, phase and result cards before arguments,
arguments before lobby refreshes, and those before anything else. `install` puts it in
front of discord.py's HTTP client, so every bot-authenticated request waits its turn;
interaction callbacks and webhooks, which Discord does not count against the token, pass
straight through. Callers name their priority with `priority(...)` around the call.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextvars import ContextVar
from enum import IntEnum
from typing import Any

from bot.core.pacing import SlidingWindow


class Priority(IntEnum):
    CARD = 0       # threads, lobbies, phase and result cards: the debate's spine
    ARGUMENT = 1   # members' arguments
    DISPLAY = 2    # lobby refreshes (coalesced by the announcer)
    OTHER = 3      # anything not named


_current: ContextVar[Priority] = ContextVar("rostrum_priority", default=Priority.OTHER)
#: Set once a caller has waited for its turn itself: its next request goes straight out.
_prepaid: ContextVar[bool] = ContextVar("rostrum_prepaid", default=False)
#: Routes Discord does not count against the bot token (no bot token is sent).
EXEMPT_PATHS = ("/interactions/", "/webhooks/")


@contextlib.contextmanager
def priority(level: Priority) -> Iterator[None]:
    """Calls made inside take `level` in the pacer's queue."""
    token = _current.set(level)
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.asynccontextmanager
async def prepaid(pacer: Pacer | None, level: Priority) -> AsyncIterator[None]:
    """Wait for a turn now; the first rate-limited request inside uses it (so a caller can
    decide what to send only once its turn has come)."""
    if pacer is not None:
        await pacer.turn(level)
    token = _prepaid.set(pacer is not None)
    try:
        yield
    finally:
        _prepaid.reset(token)


class Pacer:
    """Turns at `rate` a second at most in any second, in priority order, then first come."""

    def __init__(self, rate: float, *, now: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.rate = rate
        self._bucket = SlidingWindow(rate)
        self._now, self._sleep = now, sleep
        self._queue: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._pump: asyncio.Task[None] | None = None
        #: Turns given, by priority (for benchmarks and tests).
        self.granted: dict[Priority, int] = {p: 0 for p in Priority}

    @property
    def waiting(self) -> int:
        return sum(1 for *_, future in self._queue if not future.done())

    async def turn(self, level: Priority | None = None) -> None:
        """Wait for this call's turn."""
        level = _current.get() if level is None else level
        if not self._queue and self._bucket.take(self._now()):
            self.granted[level] += 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._queue, (int(level), next(self._order), future))
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._give_turns(), name="rostrum-pacer")
        await future
        self.granted[level] += 1

    async def _give_turns(self) -> None:
        while self._queue:
            wait = self._bucket.wait(self._now())
            if wait > 0:
                await self._sleep(wait)
                continue
            _, _, future = heapq.heappop(self._queue)
            if not future.done() and self._bucket.take(self._now()):
                future.set_result(None)

    def close(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
        for *_, future in self._queue:
            future.cancel()
        self._queue.clear()


def install(http: Any, pacer: Pacer) -> None:
    """Make discord.py's HTTP client (`bot.http`) wait for the pacer before each
    rate-limited request."""
    request = http.request

    async def paced(route: Any, *args: Any, **kwargs: Any) -> Any:
        if _prepaid.get():
            _prepaid.set(False)
        elif not str(route.path).startswith(EXEMPT_PATHS):
            await pacer.turn()
        return await request(route, *args, **kwargs)

    http.request = paced
