"""Per-debate locks: one per key while in use, none kept afterwards."""

from __future__ import annotations

import asyncio
import gc

from bot.keyed_locks import KeyedLocks


async def test_one_lock_per_key_while_in_use_and_none_kept_after() -> None:
    locks = KeyedLocks()
    order: list[str] = []

    async def worker(name: str) -> None:
        async with locks[7]:
            order.append(f"{name} in")
            await asyncio.sleep(0)
            order.append(f"{name} out")

    await asyncio.gather(worker("a"), worker("b"))
    assert order == ["a in", "a out", "b in", "b out"]  # the same lock serialised them
    for key in range(1000):  # a thousand finished debates
        async with locks[key]:
            pass
    gc.collect()
    assert len(locks) == 0
