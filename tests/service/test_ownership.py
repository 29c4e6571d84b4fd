"""A sharded process drives only its own guilds' debates: timers, re-arming, the outbox.

Debates in two guilds share one real SQLite file, one guild on shard 0 and one on shard 1
(of 2). The runtimes run on a FakeClock: time moves only when the test says so.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord.abc
import pytest

from bot.cogs.debates.announcer import Announcer
from bot.core.clock import FakeClock
from bot.core.content import ContentPack, load_pack
from bot.core.debate import DebateState
from bot.core.sharding import Ownership, shard_for
from bot.service.runtime import DebateRuntime
from bot.storage import debates as store
from bot.storage.db import Database
from tests.service.begun import T0, begun_debate

REPO = Path(__file__).resolve().parents[2]
SHARD0 = Ownership.of(2, (0,))
SHARD1 = Ownership.of(2, (1,))
GUILD0 = 41944705796 << 22            # (id >> 22) is even: shard 0 of 2
GUILD1 = (41944705796 + 1) << 22      # odd: shard 1 of 2


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(REPO / "content")


async def running_debate(db: Database, pack: ContentPack, guild_id: int) -> DebateState:
    """A quick debate with a debater a side, in its first (60 s) phase since T0."""
    return await begun_debate(db, pack, guild_id, format_id="quick", phase_seconds=60)


async def starting_debate(db: Database, guild_id: int) -> int:
    """A /moderate start still waiting for its thread (its process is creating it now)."""
    return await store.create(db, guild_id=guild_id, channel_id=guild_id + 5,
                              topic_id="history-versus-interests", format_id="quick",
                              phase_seconds=60, created_by=1, now=T0)


class Flushes:
    """The runtime's flush callback: records which debates asked to post."""

    def __init__(self) -> None:
        self.seen: list[int] = []
        self.changed = asyncio.Event()

    async def __call__(self, debate_id: int) -> None:
        self.seen.append(debate_id)
        self.changed.set()


def test_the_two_guilds_are_on_different_shards() -> None:
    assert (shard_for(GUILD0, 2), shard_for(GUILD1, 2)) == (0, 1)


async def test_a_process_arms_and_advances_only_its_own_debates(
        db: Database, pack: ContentPack) -> None:
    mine = await running_debate(db, pack, GUILD0)
    theirs = await running_debate(db, pack, GUILD1)
    theirs_starting = await starting_debate(db, GUILD1)
    clock, flushes = FakeClock(T0 + 1), Flushes()
    runtime = DebateRuntime(db, clock, lambda: pack, flushes, owns=SHARD0.owns)
    await runtime.start()
    try:
        assert set(runtime.live) == {mine.id}
        clock.advance(60)  # past both deadlines
        await asyncio.wait_for(flushes.changed.wait(), 5)
        assert flushes.seen == [mine.id]
    finally:
        await runtime.stop()

    mine_now = await store.load(db, mine.id, pack)
    theirs_now = await store.load(db, theirs.id, pack)
    assert mine_now is not None and mine_now.phase_index == 1
    assert theirs_now is not None and theirs_now.phase_index == 0
    assert theirs_now.deadline == theirs.deadline  # untouched
    # Another process is opening this one's thread right now: not ours to discard.
    assert await store.load(db, theirs_starting, pack) is not None


async def test_a_restarted_process_re_arms_exactly_its_own(db: Database,
                                                           pack: ContentPack) -> None:
    mine = await running_debate(db, pack, GUILD0)
    theirs = await running_debate(db, pack, GUILD1)
    theirs_starting = await starting_debate(db, GUILD1)
    for owner, expected in ((SHARD1, {theirs.id}), (SHARD0, {mine.id})):
        runtime = DebateRuntime(db, FakeClock(T0 + 1), lambda: pack, Flushes(),
                                owns=owner.owns)
        await runtime.start()
        await runtime.stop()
        assert set(runtime.live) == expected
    # Shard 1's process found its own threadless start and dropped it, as after a crash.
    assert await store.load(db, theirs_starting, pack) is None


async def test_an_unsharded_process_runs_every_debate(db: Database, pack: ContentPack) -> None:
    debates = {(await running_debate(db, pack, guild)).id for guild in (GUILD0, GUILD1)}
    runtime = DebateRuntime(db, FakeClock(T0 + 1), lambda: pack, Flushes())
    await runtime.start()
    await runtime.stop()
    assert set(runtime.live) == debates


async def test_a_debate_of_another_shard_is_never_tracked(db: Database,
                                                          pack: ContentPack) -> None:
    theirs = await running_debate(db, pack, GUILD1)
    runtime = DebateRuntime(db, FakeClock(T0 + 1), lambda: pack, Flushes(), owns=SHARD0.owns)
    runtime.track(theirs)
    assert runtime.live == {}


# ---------------------------------------------------------------- the outbox at start-up


@dataclass
class Thread:
    """Stands in for a Discord thread: records what was sent to it."""

    sent: list[dict[str, Any]] = field(default_factory=list)

    async def send(self, content: str | None = None, **kwargs: Any) -> Any:
        self.sent.append({"content": content, **kwargs})
        return self


@dataclass
class ShardBot:
    """What the announcer needs of the bot: storage, content, ownership, channels."""

    db: Database
    content: ContentPack
    ownership: Ownership
    threads: dict[int, Thread]
    lean_posts: bool = True

    def is_closed(self) -> bool:
        return False

    def get_channel(self, channel_id: int) -> Thread | None:
        return self.threads.get(channel_id)


async def test_start_up_posts_only_its_own_guilds_pending_announcements(
        db: Database, pack: ContentPack, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = await running_debate(db, pack, GUILD0)
    theirs = await running_debate(db, pack, GUILD1)
    assert {d for d, _ in await store.pending_debates(db)} == {mine.id, theirs.id}
    threads = {GUILD0 + 2: Thread(), GUILD1 + 2: Thread()}
    monkeypatch.setattr(discord.abc, "Messageable", Thread)  # the stand-in counts as postable
    bot = ShardBot(db, pack, SHARD0, threads)

    async def no_awards(state: DebateState) -> None:
        raise AssertionError("nothing finished")

    announcer = Announcer(bot)  # type: ignore[arg-type]
    announcer.bind({}, no_awards)
    await announcer.flush_all()
    await announcer.flush(theirs.id)  # even when asked directly, not ours to post

    assert threads[GUILD0 + 2].sent, "our phase card was not posted"
    assert threads[GUILD1 + 2].sent == []
    assert [d for d, _ in await store.pending_debates(db)] == [theirs.id]
