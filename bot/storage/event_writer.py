"""`EventWriter`: the one way participation events get in, by group commit.

It queues events and commits whatever is queued as one transaction (at most `max_batch`
events, waiting at most `max_wait` seconds after the first queued event), so a burst of
thousands of events costs a handful of commits (`bot.storage.batcher`). A caller's
`await writer.log(event)` returns only after the batch holding its event committed, with the
event's `Outcome`; if the batch fails, every caller in it gets the exception. Bot events are
dropped before the queue.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.storage.batcher import Batcher, Pending
from bot.storage.counters import write_events
from bot.storage.db import Database
from bot.storage.events import Event, Outcome

log = logging.getLogger(__name__)

DEFAULT_MAX_BATCH = 1000
DEFAULT_MAX_WAIT = 0.005


class WriterClosedError(RuntimeError):
    """`log()` was called after `EventWriter.close()`."""


def _closed() -> WriterClosedError:
    return WriterClosedError("the event writer is closed")


Unit = Pending[list[Event], list[Outcome]]
"""Events from one log()/log_many() call: they commit together, in one batch."""


class EventWriter:
    """Queues events and commits them in batches (group commit) through `db.write()`.

    Stop it with `close()`, which commits everything already queued before returning. A
    caller whose `log()` is cancelled does not unqueue its event: it is still written.

    Figures: `batches` counts committed transactions, `failed_batches` rolled-back ones,
    `events_committed` events that went through a committed batch (new or not).
    """

    def __init__(self, db: Database, *, max_batch: int = DEFAULT_MAX_BATCH,
                 max_wait: float = DEFAULT_MAX_WAIT) -> None:
        self._db = db
        self._batcher: Batcher[list[Event], list[Outcome]] = Batcher(
            self._commit, name="rostrum-event-writer", max_batch=max_batch, max_wait=max_wait,
            closed_error=_closed)
        self.batches = 0
        self.failed_batches = 0
        self.events_committed = 0

    @property
    def max_batch(self) -> int:
        return self._batcher.max_batch or DEFAULT_MAX_BATCH

    @property
    def max_wait(self) -> float:
        return self._batcher.max_wait

    @property
    def closed(self) -> bool:
        return self._batcher.closed

    @property
    def pending(self) -> int:
        """Events queued and not yet taken into a batch."""
        return self._batcher.pending

    def start(self) -> None:
        """Refuses once closed; the committer itself runs whenever events are queued."""
        if self.closed:
            raise _closed()

    async def __aenter__(self) -> EventWriter:
        self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def log(self, event: Event) -> Outcome:
        """Log one event; returns once its batch committed (raises if the batch failed)."""
        return (await self.log_many([event]))[0]

    async def log_many(self, events: Iterable[Event]) -> list[Outcome]:
        """Log events that must commit together (e.g. all awards of a finished debate)."""
        if self.closed:
            raise _closed()
        events = list(events)
        for event in events:
            if not isinstance(event, Event):
                raise TypeError(f"expected an Event, got {type(event).__name__}")
        outcomes: list[Outcome | None] = [Outcome.BOT if e.is_bot else None for e in events]
        wanted = [e for e in events if not e.is_bot]
        if not wanted:
            return [Outcome.BOT] * len(events)
        results = iter(await self._batcher.queue(wanted, size=len(wanted)))
        return [o if o is not None else next(results) for o in outcomes]

    async def close(self) -> None:
        """Stop taking events, commit everything queued, and stop. Safe to call twice."""
        await self._batcher.close()

    async def _commit(self, batch: list[Unit]) -> None:
        events = [event for unit in batch for event in unit.payload]
        try:
            async with self._db.write() as conn:
                outcomes = await write_events(conn, events)
        except Exception:
            self.failed_batches += 1
            log.exception("event batch of %d events failed", len(events))
            raise  # every unit of the batch fails with it
        self.batches += 1
        self.events_committed += len(events)
        start = 0
        for unit in batch:
            unit.succeed(outcomes[start:start + unit.size])
            start += unit.size
