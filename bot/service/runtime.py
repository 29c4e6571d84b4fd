"""Live debates: the in-memory states, one lock per debate, and one scheduler for all timers.

Every change follows the same path (`DebateRuntime.apply`): under the debate's lock, run the
pure transition and queue its rows and announcements for the debate's writer, re-arm the
timer; the caller then waits for the commit, and the announcements are posted from the
outbox in the background, so a slow Discord never delays the member's own answer past the
interaction deadline. A debate has one write in flight at a time; changes made meanwhile
(a burst of votes) commit together in the next one, in order. A crash between commit and
post loses nothing: the outbox is flushed again at start-up.

When the bot runs as several processes over one database, each runtime loads, arms and
advances only the debates of guilds it owns (`owns`, from the process's shards): another
process's debates are never ticked here, nor discarded while their thread is being made.
"""

from __future__ import annotations

import asyncio
import functools
import heapq
import logging
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.clock import Clock
from bot.core.content import ContentPack
from bot.core.debate import DebateState, Effect
from bot.keyed_locks import KeyedLocks
from bot.storage import debates as store
from bot.storage.batcher import Batcher, Pending, fail_all
from bot.storage.db import Database

log = logging.getLogger(__name__)

Transition = Callable[[DebateState, float], list[Effect]]
Flush = Callable[[int], Coroutine[Any, Any, None]]
Owns = Callable[[int], bool]


def _every_guild(guild_id: int) -> bool:
    return True


Write = Pending[store.Change, list[int]]
"""A transition's change, waiting for its debate's next transaction; settles with the ids
of the outbox items it queued."""


@dataclass(frozen=True, slots=True)
class Applied:
    state: DebateState
    effects: list[Effect]
    now: float


class DebateRuntime:
    def __init__(self, db: Database, clock: Clock, content: Callable[[], ContentPack],
                 flush: Flush, owns: Owns = _every_guild) -> None:
        self.db = db
        self.owns = owns
        self.clock = clock
        self._content = content
        self._flush = flush
        self.live: dict[int, DebateState] = {}
        self._locks = KeyedLocks()
        self._timers: list[tuple[float, int]] = []
        self._armed: dict[int, float] = {}  # debate -> its wake-up time still in _timers
        self._wake = asyncio.Event()
        self._scheduler: asyncio.Task[None] | None = None
        self._jobs: set[asyncio.Task[None]] = set()
        self._flushes: set[asyncio.Task[None]] = set()
        self._writes: dict[int, Batcher[store.Change, list[int]]] = {}

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Load every live debate of our guilds, re-arm its timer, and start the scheduler."""
        for state in await store.load_live(self.db, self._content(), self.owns):
            if state.thread_id is None:
                # A /moderate start the process died in, before its thread existed: nobody
                # can reach it, and it would hold the channel.
                await store.discard(self.db, state.id)
                log.warning("discarded debate %s: its start never got a thread", state.id)
                continue
            self.track(state)
        log.info("re-armed %d live debate(s)", len(self.live))
        self._scheduler = asyncio.create_task(self._run(), name="debate-scheduler")

    async def stop(self, grace: float = 5.0) -> None:
        """Stop the timers, and give posts already under way `grace` seconds to finish."""
        tasks = [t for t in (self._scheduler, *self._jobs) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._scheduler = None
        # Changes already made are committed before the database closes.
        await asyncio.gather(*(w.wait_idle() for w in list(self._writes.values())))
        if self._flushes:
            _, late = await asyncio.wait(self._flushes, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    def track(self, state: DebateState) -> None:
        if not self.owns(state.guild_id):
            # Its guild's events go to another process, which runs this debate.
            log.warning("debate %s belongs to another shard's process; not tracked", state.id)
            return
        if state.is_over:
            self.live.pop(state.id, None)
            return
        self.live[state.id] = state
        self.arm(state)

    # ------------------------------------------------------------------ lookups

    def in_thread(self, thread_id: int) -> DebateState | None:
        return next((s for s in self.live.values() if s.thread_id == thread_id), None)

    def in_channel(self, guild_id: int, channel_id: int) -> DebateState | None:
        return next((s for s in self.live.values()
                     if s.guild_id == guild_id and s.channel_id == channel_id), None)

    def lock(self, debate_id: int) -> asyncio.Lock:
        return self._locks[debate_id]

    # ------------------------------------------------------------------ changes

    async def apply(self, debate_id: int, transition: Transition, *,
                    names: Mapping[int, str] | None = None,
                    audit: Callable[[float], store.AuditEntry] | None = None) -> Applied:
        """Run `transition` on a live debate, commit it, then post what it announced.

        A `Refusal` from the transition propagates with nothing changed. The caller returns
        once the change is committed. If the write fails, the caller gets the error, so do
        the debate's changes queued behind it (they were made on top of it), and the
        in-memory state is reloaded from the database: memory never keeps what was not
        committed.
        """
        async with self.lock(debate_id):
            state = self.live.get(debate_id)
            if state is None:
                raise LookupError(f"debate {debate_id} is not live")
            now = self.clock.now()
            effects = transition(state, now)
            if not effects:
                self.track(state)
                return Applied(state, effects, now)
            change = store.change_for(state, effects, now=now, names=names,
                                      audit=audit(now) if audit else None)
            written = self._queue_write(debate_id, change)
            self.track(state)
        outbox = await written
        if outbox:  # e.g. a vote announces nothing: no flush to run
            self.flush_soon(debate_id)
        return Applied(state, effects, now)

    def _queue_write(self, debate_id: int, change: store.Change) -> asyncio.Future[list[int]]:
        """Queue a transition's statements behind the debate's write in flight, if any.

        A debate has at most one write in flight; the changes made meanwhile (a burst of
        votes) wait together and commit as one transaction when it is done, instead of
        each holding the debate's lock for a round trip to the database. The debate's
        batcher exists while it has writes to make.
        """
        writes = self._writes.get(debate_id)
        if writes is None:
            writes = self._writes[debate_id] = Batcher(
                functools.partial(self._write, debate_id), name=f"debate-{debate_id}-write",
                on_idle=functools.partial(self._forget_writes, debate_id))
        return writes.queue(change, size=len(change.statements))

    def _forget_writes(self, debate_id: int) -> None:
        self._writes.pop(debate_id, None)

    async def _write(self, debate_id: int, batch: list[Write]) -> None:
        """Commit a batch of the debate's changes as one transaction.

        If it fails, the changes queued behind it fail too (they were made on top of it),
        and the in-memory state is reloaded from the database before any caller hears.
        """
        statements = [statement for write in batch for statement in write.payload.statements]
        try:
            results = await self.db.transact(statements)
        except BaseException as error:
            async with self.lock(debate_id):
                writes = self._writes.get(debate_id)
                failed = [*batch, *(writes.take_queued() if writes else [])]
                try:
                    await self._reload(debate_id)
                except Exception:
                    log.exception("debate %s: reloading after a failed write failed", debate_id)
                finally:
                    fail_all(failed, error)
            raise
        start = 0
        for write in batch:
            mine = results[start:start + len(write.payload.statements)]
            write.succeed(write.payload.outbox_ids(mine))
            start += len(write.payload.statements)

    def flush_soon(self, debate_id: int) -> None:
        """Post the debate's pending announcements without making the caller wait."""
        task = asyncio.create_task(self._flush(debate_id), name=f"debate-{debate_id}-announce")
        self._flushes.add(task)
        task.add_done_callback(self._flushes.discard)

    async def _reload(self, debate_id: int) -> None:
        fresh = await store.load(self.db, debate_id, self._content())
        if fresh is None:
            self.live.pop(debate_id, None)
        else:
            self.track(fresh)  # its timer as stored, not as the failed change had set it
        log.warning("debate %s reloaded from the database after a failed write", debate_id)

    # ------------------------------------------------------------------ timers

    def arm(self, state: DebateState) -> None:
        wake = state.next_wakeup()
        if wake is None or self._armed.get(state.id) == wake:
            return  # nothing to wait for, or already waiting for it (e.g. after a vote)
        self._armed[state.id] = wake
        heapq.heappush(self._timers, (wake, state.id))
        self._wake.set()

    async def _run(self) -> None:
        while True:
            now = self.clock.now()
            due: set[int] = set()
            while self._timers and self._timers[0][0] <= now:
                wake, debate_id = heapq.heappop(self._timers)
                if self._armed.get(debate_id) == wake:
                    del self._armed[debate_id]
                due.add(debate_id)
            for debate_id in due:
                job = asyncio.create_task(self._on_timer(debate_id),
                                          name=f"debate-{debate_id}-timer")
                self._jobs.add(job)
                job.add_done_callback(self._jobs.discard)
            await self._sleep()

    async def _sleep(self) -> None:
        """Until the earliest timer, or until a new timer is armed."""
        self._wake.clear()
        waits: list[asyncio.Task[object]] = [asyncio.create_task(self._wake.wait())]
        if self._timers:
            waits.append(asyncio.create_task(self.clock.sleep_until(self._timers[0][0])))
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()

    async def _on_timer(self, debate_id: int) -> None:
        state = self.live.get(debate_id)
        if state is None:
            return
        wake = state.next_wakeup()
        if wake is None or wake > self.clock.now():
            return  # a stale timer: the debate moved on since it was armed
        try:
            await self.apply(debate_id, lambda s, now: s.tick(now))
        except Exception:
            log.exception("timer of debate %s failed; retrying in 5 s", debate_id)
            heapq.heappush(self._timers, (self.clock.now() + 5, debate_id))
            self._wake.set()
