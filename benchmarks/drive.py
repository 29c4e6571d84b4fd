"""Sending interactions at a steady rate through the emulator, and collecting their latency.

Latency is the emulator's own `InteractionResult.latency`: from the moment it dispatched
INTERACTION_CREATE on the gateway to the moment it accepted the bot's first callback.

The emulator shares the bot's process here, and its state (every guild, member, message and
interaction) is a large heap that the bot would not carry in production: full garbage
collections over it stalled the loop for up to ~170 ms. So each run starts with the heap
built so far frozen (`gc.freeze()`, out of the collector's scans); whatever the run itself
allocates is collected as usual. Baseline and Rostrum runs are treated alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from playground.emulator import Emulator, InteractionResult

Send = Callable[[int], Awaitable[InteractionResult]]


@dataclass(slots=True)
class Run:
    latencies: list[float]   # seconds, answered interactions only
    unanswered: int
    lag: list[float]         # how late each interaction left, against its schedule
    results: list[InteractionResult]
    cpu: float = 0.0         # CPU seconds the bot's process used during the run

    def __add__(self, other: Run) -> Run:
        return Run([*self.latencies, *other.latencies], self.unanswered + other.unanswered,
                   [*self.lag, *other.lag], [*self.results, *other.results],
                   self.cpu + other.cpu)

    def count(self, accepted: Callable[[InteractionResult], bool]) -> int:
        """How many answers pass `accepted` (e.g. a vote that was recorded, not refused)."""
        return sum(1 for r in self.results if r.type is not None and accepted(r))


@dataclass(frozen=True, slots=True)
class Lane:
    """One stream of interactions: an emulator, what to send, and the bot answering."""

    emu: Emulator
    send: Send


async def at_rate(lanes: list[Lane], count: int, rate: float, *,
                  settle: float = 5.0) -> list[Run]:
    """Send `count` interactions on every lane, each lane `rate` a second on an absolute
    schedule, the lanes' sends interleaved evenly; then wait (at most `settle` seconds after
    the last) for their first responses. One `Run` per lane."""
    gc.collect()
    gc.freeze()
    try:
        return await _at_rate(lanes, count, rate, settle)
    finally:
        gc.unfreeze()


async def _at_rate(lanes: list[Lane], count: int, rate: float, settle: float) -> list[Run]:
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    results: list[list[InteractionResult]] = [[] for _ in lanes]
    lag: list[list[float]] = [[] for _ in lanes]
    for n in range(count):
        for k, lane in enumerate(lanes):
            due = start + (n + k / len(lanes)) / rate
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            lag[k].append(max(0.0, loop.time() - due))
            results[k].append(await lane.send(n))
    runs = []
    for k, lane in enumerate(lanes):
        with contextlib.suppress(TimeoutError):
            await lane.emu.wait_for(functools.partial(_all_answered, results[k]),
                                    timeout=settle)
        latencies = [r.latency for r in results[k] if r.latency is not None]
        runs.append(Run(latencies, sum(1 for r in results[k] if r.type is None), lag[k],
                        results[k]))
    return runs


def _all_answered(results: list[Any]) -> bool:
    return all(r.type is not None for r in results)
