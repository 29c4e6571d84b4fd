"""Group commit: many callers' small writes, a few transactions. The one batching primitive.

Callers queue items and wait for their own outcome. One committer task takes everything
queued so far as a batch (up to `max_batch`, after waiting up to `max_wait` for company) and
hands it to `commit`, which settles each item with its result or its error; items queued
meanwhile form the next batch. So under load a transaction carries many items, and when idle
an item commits at once (with `max_wait` 0). The committer runs only while there is work.

Used by the storage backends (`Database.transact`: statement units), the participation
event writer (events) and the debate runtime (one batcher per debate, so a debate's changes
commit in order, one transaction at a time).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(slots=True, eq=False)
class Pending(Generic[T, R]):
    """One queued item and the future its caller waits on."""

    payload: T
    done: asyncio.Future[R]
    size: int = 1
    queued_at: float = field(default=0.0)

    def succeed(self, result: R) -> None:
        if not self.done.done():
            self.done.set_result(result)

    def fail(self, error: BaseException) -> None:
        if self.done.done():
            return
        if isinstance(error, asyncio.CancelledError):
            self.done.cancel()
        else:
            self.done.set_exception(error)


def fail_all(items: Iterable[Pending[T, R]], error: BaseException) -> None:
    """Fail every item of `items` not settled yet."""
    for item in items:
        item.fail(error)


Commit = Callable[[list[Pending[T, R]]], Awaitable[None]]


class BatcherClosedError(RuntimeError):
    """The batcher takes no more items (it was closed, or its committer was cancelled)."""


class Batcher(Generic[T, R]):
    """The queue and its committer task.

    `commit(batch)` must settle every item it commits or rejects. If it raises an
    `Exception`, the items it left unsettled fail with that error and the next batch goes on;
    any other `BaseException` (cancellation) fails the queued items too and stops.
    `on_idle` is called each time the committer finds the queue empty and stops.
    """

    def __init__(self, commit: Commit[T, R], *, name: str, max_batch: int | None = None,
                 max_wait: float = 0.0, on_idle: Callable[[], None] | None = None,
                 closed_error: Callable[[], BaseException] = BatcherClosedError) -> None:
        if (max_batch is not None and max_batch < 1) or max_wait < 0:
            raise ValueError("max_batch must be ≥ 1 and max_wait ≥ 0")
        self._commit = commit
        self._name = name
        self.max_batch = max_batch
        self.max_wait = max_wait
        self._on_idle = on_idle
        self._closed_error = closed_error
        self._queue: deque[Pending[T, R]] = deque()
        self._queued = 0
        self._wakeup = asyncio.Event()
        self._committer: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def pending(self) -> int:
        """The size of what is queued and not yet taken into a batch."""
        return self._queued

    def queue(self, payload: T, *, size: int = 1) -> asyncio.Future[R]:
        """Queue an item; its future settles once its batch committed or failed.

        Cancelling the future (a caller that stops waiting) does not unqueue the item.
        """
        if self._closed:
            raise self._closed_error()
        loop = asyncio.get_running_loop()
        item: Pending[T, R] = Pending(payload, loop.create_future(), size, loop.time())
        self._queue.append(item)
        self._queued += size
        if self._committer is None or self._committer.done():
            self._committer = loop.create_task(self._run(), name=self._name)
        elif len(self._queue) == 1 or self._full():
            self._wakeup.set()
        return item.done

    async def submit(self, payload: T, *, size: int = 1) -> R:
        """Queue an item and wait for its outcome. A caller cancelled while waiting still
        waits for that outcome before the cancellation propagates, so what it does next
        (e.g. reload its state) sees what was committed."""
        done = self.queue(payload, size=size)
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:
            await asyncio.wait([done])
            raise

    def take_queued(self) -> list[Pending[T, R]]:
        """Remove and return what is queued behind the batch being committed (for a commit
        that must fail the writes built on top of a failed one)."""
        items = list(self._queue)
        self._queue.clear()
        self._queued = 0
        return items

    async def wait_idle(self) -> None:
        """Until everything queued so far is settled."""
        if self._committer is not None:
            await asyncio.gather(asyncio.shield(self._committer), return_exceptions=True)

    async def close(self) -> None:
        """Refuse new items and wait until every queued one is settled. Safe to call twice."""
        self._closed = True
        self._wakeup.set()
        await self.wait_idle()

    def _full(self) -> bool:
        return self.max_batch is not None and self._queued >= self.max_batch

    async def _gather_company(self) -> None:
        """Wait (up to `max_wait` after the oldest item) for the batch to fill."""
        loop = asyncio.get_running_loop()
        deadline = self._queue[0].queued_at + self.max_wait
        while not self._full() and not self._closed:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            self._wakeup.clear()
            try:
                await asyncio.wait_for(self._wakeup.wait(), remaining)
            except TimeoutError:
                return

    def _take_batch(self) -> list[Pending[T, R]]:
        batch = [self._queue.popleft()]
        size = batch[0].size
        while self._queue and (self.max_batch is None
                               or size + self._queue[0].size <= self.max_batch):
            item = self._queue.popleft()
            batch.append(item)
            size += item.size
        self._queued -= size
        return batch

    async def _run(self) -> None:
        try:
            while self._queue:
                if self.max_wait > 0:
                    await self._gather_company()
                batch = self._take_batch()
                try:
                    await self._commit(batch)
                except Exception as error:
                    fail_all(batch, error)
                except BaseException as error:
                    fail_all([*batch, *self.take_queued()], error)
                    raise
                # A commit that forgot an item must not leave its caller waiting forever.
                fail_all(batch, RuntimeError("the item was neither committed nor rejected"))
        finally:
            if self._queue:  # only when the committer itself was cancelled
                self._closed = True
                fail_all(self.take_queued(), self._closed_error())
            if self._on_idle is not None:
                self._on_idle()
