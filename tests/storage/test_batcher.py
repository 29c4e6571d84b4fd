"""The one group-commit primitive: what its users (the database, the event writer, the debate
runtime) rely on. A fake commit records its batches; no database is needed for these rules."""

from __future__ import annotations

import asyncio

import pytest

from bot.storage.batcher import Batcher, BatcherClosedError, Pending


class Recorder:
    """A commit that records batches and answers each item with its payload doubled."""

    def __init__(self, *, fail_on: int | None = None, hold: asyncio.Event | None = None) -> None:
        self.batches: list[list[int]] = []
        self.fail_on = fail_on
        self.hold = hold

    async def __call__(self, batch: list[Pending[int, int]]) -> None:
        if self.hold is not None:
            await self.hold.wait()
        self.batches.append([item.payload for item in batch])
        if self.fail_on is not None and self.fail_on in self.batches[-1]:
            raise ValueError(f"poisoned by {self.fail_on}")
        for item in batch:
            item.succeed(item.payload * 2)


async def test_under_load_callers_share_few_batches_in_order() -> None:
    commit = Recorder()
    batcher: Batcher[int, int] = Batcher(commit, name="test")
    results = await asyncio.gather(*(batcher.submit(n) for n in range(100)))
    assert results == [n * 2 for n in range(100)]
    assert [n for batch in commit.batches for n in batch] == list(range(100))
    assert len(commit.batches) <= 2  # the first item alone, then everyone queued meanwhile


async def test_an_idle_item_commits_at_once_and_the_committer_stops() -> None:
    commit = Recorder()
    idle: list[bool] = []
    batcher: Batcher[int, int] = Batcher(commit, name="test", on_idle=lambda: idle.append(True))
    assert await batcher.submit(21) == 42
    await batcher.wait_idle()
    assert idle == [True] and commit.batches == [[21]]
    assert await batcher.submit(1) == 2  # a new committer starts on demand
    await batcher.wait_idle()
    assert idle == [True, True]


async def test_a_failed_batch_fails_its_callers_and_the_next_batch_goes_on() -> None:
    hold = asyncio.Event()
    commit = Recorder(fail_on=3, hold=hold)
    batcher: Batcher[int, int] = Batcher(commit, name="test")
    first = asyncio.gather(*(batcher.submit(n) for n in (1, 2, 3)), return_exceptions=True)
    await asyncio.sleep(0)
    hold.set()
    outcomes = await first
    assert all(isinstance(o, ValueError) for o in outcomes)
    assert await batcher.submit(4) == 8


async def test_max_batch_caps_the_size_of_a_transaction() -> None:
    commit = Recorder()
    batcher: Batcher[int, int] = Batcher(commit, name="test", max_batch=10, max_wait=0.01)
    tasks = [asyncio.ensure_future(batcher.submit(n)) for n in range(25)]
    await asyncio.gather(*tasks)
    assert [len(b) for b in commit.batches] == [10, 10, 5]


async def test_a_partial_batch_waits_for_company_until_max_wait() -> None:
    commit = Recorder()
    batcher: Batcher[int, int] = Batcher(commit, name="test", max_batch=10, max_wait=60.0)
    futures = [batcher.queue(n) for n in range(12)]
    await asyncio.sleep(0.05)
    assert commit.batches == [list(range(10))]  # the full one went; two wait for company
    assert batcher.pending == 2 and not futures[-1].done()
    await batcher.close()  # closing drains without waiting
    assert commit.batches[-1] == [10, 11] and futures[-1].result() == 22


async def test_sizes_count_toward_the_cap() -> None:
    commit = Recorder()
    batcher: Batcher[int, int] = Batcher(commit, name="test", max_batch=10, max_wait=0.01)
    await asyncio.gather(*(batcher.submit(n, size=4) for n in range(5)))
    assert [len(b) for b in commit.batches] == [2, 2, 1]


async def test_a_cancelled_submit_still_waits_for_its_outcome() -> None:
    hold = asyncio.Event()
    commit = Recorder(hold=hold)
    batcher: Batcher[int, int] = Batcher(commit, name="test")
    task = asyncio.ensure_future(batcher.submit(5))
    await asyncio.sleep(0)
    task.cancel()
    await asyncio.sleep(0)
    assert not task.done()  # waiting for the commit, not gone
    hold.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert commit.batches == [[5]]


async def test_close_drains_then_refuses() -> None:
    commit = Recorder()
    batcher: Batcher[int, int] = Batcher(commit, name="test", max_wait=60.0)
    futures = [batcher.queue(n) for n in range(5)]
    await batcher.close()  # does not wait the minute for company
    assert [f.result() for f in futures] == [0, 2, 4, 6, 8]
    with pytest.raises(BatcherClosedError):
        batcher.queue(9)
    await batcher.close()  # twice is fine


async def test_a_commit_that_forgets_an_item_does_not_hang_its_caller() -> None:
    async def forgetful(batch: list[Pending[int, int]]) -> None:
        batch[0].succeed(0)

    batcher: Batcher[int, int] = Batcher(forgetful, name="test")
    results = await asyncio.gather(*(batcher.submit(n) for n in range(3)),
                                   return_exceptions=True)
    assert results[0] == 0 or isinstance(results[0], RuntimeError)
    assert any(isinstance(r, RuntimeError) for r in results)


async def test_take_queued_lets_a_commit_fail_what_was_built_on_it() -> None:
    """The debate runtime's rule: changes queued behind a failed write fail with it."""
    batcher: Batcher[int, int]
    hold = asyncio.Event()

    async def failing(batch: list[Pending[int, int]]) -> None:
        await hold.wait()
        behind = batcher.take_queued()
        error = ValueError("write failed")
        for item in (*batch, *behind):
            item.fail(error)

    batcher = Batcher(failing, name="test")
    first = asyncio.ensure_future(batcher.submit(1))
    await asyncio.sleep(0)
    later = asyncio.ensure_future(batcher.submit(2))
    await asyncio.sleep(0)
    hold.set()
    for task in (first, later):
        with pytest.raises(ValueError):
            await task
    assert batcher.pending == 0
