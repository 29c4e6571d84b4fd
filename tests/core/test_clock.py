"""The fake clock lets timer code wait without real time passing."""

from __future__ import annotations

import asyncio

from bot.core.clock import FakeClock, SystemClock


async def test_fake_sleep_returns_only_after_time_moves_past() -> None:
    clock = FakeClock(100.0)
    sleeper = asyncio.create_task(clock.sleep_until(110.0))
    await asyncio.sleep(0)
    clock.advance(5)
    await asyncio.sleep(0)
    assert not sleeper.done()
    clock.advance(5)
    await asyncio.wait_for(sleeper, 1)
    assert clock.now() == 110.0


async def test_fake_sleep_in_the_past_returns_at_once() -> None:
    clock = FakeClock(100.0)
    await asyncio.wait_for(clock.sleep_until(50.0), 1)


async def test_system_clock_is_unix_time() -> None:
    import time

    assert abs(SystemClock().now() - time.time()) < 1
    await asyncio.wait_for(SystemClock().sleep_until(0), 1)
