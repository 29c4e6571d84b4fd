"""Group commit for `Database.transact`: many callers' small units, a few transactions.

A unit is a list of statements that must commit together. Callers queue units; one
committer task takes everything queued so far as a batch and hands it to the backend's
`run_batch`, which writes the batch in one transaction (or as few as it must) and settles
each unit's future with its rows or its error. Units queued meanwhile form the next batch,
so under load a transaction carries many units, and when idle a unit commits at once.

A caller returns only after its unit's outcome is known; a caller cancelled while waiting
still waits for that outcome before the cancellation propagates, so what it does next
(e.g. reload its state) sees what was committed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bot.storage.db import Statement


@dataclass(slots=True)
class Unit:
    """Statements that commit together, and the future their caller waits on."""

    statements: list[Statement]
    done: asyncio.Future[list[list[Any]]]

    def succeed(self, rows: list[list[Any]]) -> None:
        if not self.done.done():
            self.done.set_result(rows)

    def fail(self, error: BaseException) -> None:
        if not self.done.done():
            self.done.set_exception(error)


RunBatch = Callable[[list[Unit]], Awaitable[None]]


def fail_all(units: Iterable[Unit], error: BaseException) -> None:
    """Fail every unit of `units` not settled yet."""
    for unit in units:
        unit.fail(error)


class GroupCommit:
    """The queue of units and the task that commits them (one per database handle).

    `run_batch(units)` must settle every unit it commits or rejects; if it raises, the
    units it left unsettled fail with its error.
    """

    def __init__(self, run_batch: RunBatch, *, name: str) -> None:
        self._run_batch = run_batch
        self._name = name
        self._units: list[Unit] = []
        self._committer: asyncio.Task[None] | None = None
        self._closed = False

    async def submit(self, statements: Iterable[Statement]) -> list[list[Any]]:
        """Queue one unit and wait until it committed (its rows) or failed (raises)."""
        if self._closed:
            raise RuntimeError("the database is closed")
        loop = asyncio.get_running_loop()
        unit = Unit(list(statements), loop.create_future())
        self._units.append(unit)
        if self._committer is None or self._committer.done():
            self._committer = loop.create_task(self._commit_units(), name=self._name)
        try:
            return await asyncio.shield(unit.done)
        except asyncio.CancelledError:
            await asyncio.wait([unit.done])
            raise

    async def close(self) -> None:
        """Refuse new units and wait until every queued one is settled."""
        self._closed = True
        if self._committer is not None:
            await asyncio.gather(self._committer, return_exceptions=True)

    async def _commit_units(self) -> None:
        while self._units:
            batch, self._units = self._units, []
            try:
                await self._run_batch(batch)
            except Exception as error:
                fail_all(batch, error)
            except BaseException as error:
                fail_all([*batch, *self._units], error)
                raise
            # A backend that forgot a unit must not leave its caller waiting forever.
            fail_all(batch, RuntimeError("the unit was neither committed nor rejected"))
