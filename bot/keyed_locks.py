"""One asyncio lock per key (a debate), kept only while someone holds or awaits it."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Hashable


class KeyedLocks:
    """`locks[key]` is the key's lock. Locks live in a weak mapping: once no task holds or
    waits for one (the `async with` keeps it alive meanwhile), it is dropped, so a bot that
    runs thousands of debates does not keep a lock for each one that ever existed."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[Hashable, asyncio.Lock] = (
            weakref.WeakValueDictionary())

    def __getitem__(self, key: Hashable) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        return lock

    def __len__(self) -> int:
        return len(self._locks)
