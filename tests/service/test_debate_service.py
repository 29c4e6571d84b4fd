"""The debate service without Discord: its use cases on a real database, its ports faked.

What a moderator and members would notice: a start that Discord refuses leaves the channel
free, a start that loses the race takes back its public answer, members' actions come back as
outcomes (not sentences), refusals carry codes, and a debate runs start to result.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.clock import FakeClock
from bot.core.content import ContentPack, Format, Topic, load_pack
from bot.core.debate import DebateState, Refusal
from bot.service.debates import DebateService
from bot.service.outcomes import Argued, Joined, Left, Steered, Voted
from bot.storage import debates as store
from bot.storage.db import Database
from bot.storage.event_writer import EventWriter
from tests.backends import sqlite_only

REPO = Path(__file__).resolve().parents[2]
T0 = 1_800_000_000.0
GUILD, CHANNEL, THREAD, MOD = 10, 11, 12, 1

pytestmark = sqlite_only


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(REPO / "content")


class Announcements:
    """Records what the service asked Discord to show."""

    def __init__(self) -> None:
        self.flushed: list[int] = []
        self.lobbies: list[int] = []

    async def flush(self, debate_id: int) -> None:
        self.flushed.append(debate_id)

    async def flush_all(self) -> None:
        return None

    def lobby_changed(self, state: DebateState) -> None:
        self.lobbies.append(state.id)

    async def stop(self) -> None:
        return None


class Venue:
    def __init__(self, fail: BaseException | None = None) -> None:
        self.fail = fail
        self.opened: list[int] = []
        self.withdrawn = False

    async def open(self, debate_id: int, topic: Topic, fmt: Format) -> int:
        if self.fail is not None:
            raise self.fail
        self.opened.append(debate_id)
        return THREAD

    async def withdraw(self) -> None:
        self.withdrawn = True


@pytest.fixture
async def service(db: Database, pack: ContentPack) -> DebateService:
    writer = EventWriter(db)
    writer.start()
    svc = DebateService(db, FakeClock(T0), lambda: pack, lambda: writer, Announcements(),
                        owns=lambda guild: True)
    await svc.open()
    yield svc
    await svc.close()
    await writer.close()


async def start(service: DebateService, pack: ContentPack, venue: Venue,
                format_id: str = "quick") -> DebateState:
    topic, fmt = pack.topics[0], pack.format(format_id)
    assert fmt is not None
    return await service.start(guild_id=GUILD, channel_id=CHANNEL, moderator_id=MOD,
                               topic=topic, fmt=fmt, phase_seconds=60, venue=venue)


async def test_a_start_discord_refuses_leaves_the_channel_free(
        service: DebateService, pack: ContentPack, db: Database) -> None:
    with pytest.raises(Refusal) as refused:
        await start(service, pack, Venue(fail=Refusal("start_failed", cause="forbidden")))
    assert refused.value.code == "start_failed"
    assert await store.load_live(db, pack) == []
    service.ensure_free(GUILD, CHANNEL)  # no refusal: a new start may go ahead
    state = await start(service, pack, Venue())
    assert state.thread_id == THREAD and service.here(GUILD, THREAD) is state


async def test_a_start_that_loses_the_race_withdraws_its_public_answer(
        service: DebateService, pack: ContentPack) -> None:
    first = await start(service, pack, Venue())
    with pytest.raises(Refusal) as early:
        service.ensure_free(GUILD, CHANNEL)
    assert early.value.code == "channel_busy" and early.value.params["advise"] is True
    # A second start already past the early check (it deferred publicly) meets the database.
    service.runtime.live.clear()
    late = Venue()
    with pytest.raises(Refusal) as refused:
        await start(service, pack, late)
    assert refused.value.code == "channel_busy"
    assert refused.value.params == {"thread_id": first.thread_id, "advise": False}
    assert late.withdrawn and late.opened == []


async def test_members_get_outcomes_and_a_debate_runs_to_its_result(
        service: DebateService, pack: ContentPack, db: Database) -> None:
    state = await start(service, pack, Venue(), format_id="oxford")
    announcements = service.announcements
    assert isinstance(announcements, Announcements)
    assert await service.join(state, 21, "Ana", "pro") == Joined(state.id, "pro", False)
    assert await service.join(state, 21, "Ana", "con") == Joined(state.id, "con", True)
    assert await service.join(state, 22, "Bo", "pro") == Joined(state.id, "pro", False)
    assert await service.leave(state, 22, "Bo") == Left(state.id)
    await service.join(state, 22, "Bo", "pro")
    assert announcements.lobbies.count(state.id) == 5  # the lobby card follows every change

    with pytest.raises(Refusal) as refused:
        await service.steer(state, 21, "Ana", "pause")
    assert refused.value.code == "not_started" and refused.value.format is state.format

    assert await service.steer(state, MOD, "Mod", "next") == Steered("begin")
    first = state.current_phase
    assert first is not None and first.is_vote  # Oxford opens with the audience's first vote
    voted = await service.vote(state, 30, "Cy", "pro")
    assert voted == Voted("pro", None, first.id)
    assert (await service.vote(state, 30, "Cy", "pro")).unchanged
    with pytest.raises(Refusal) as debater_vote:
        await service.vote(state, 21, "Ana", "pro")
    assert debater_vote.value.code == "debater"

    await service.steer(state, MOD, "Mod", "next")
    speaker = 22 if state.current_phase and state.current_phase.allows_side("pro") else 21
    argued = await service.argue(state, speaker, "Speaker", "A point.")
    assert isinstance(argued, Argued) and argued.seq == 1
    assert await service.steer(state, MOD, "Mod", "extend", 30) == Steered("extend", 30)

    assert await service.steer(state, MOD, "Mod", "end") == Steered("end")
    assert state.is_over and state.id not in service.live
    with pytest.raises(Refusal) as ended:
        service.by_button(GUILD, state.id)
    assert ended.value.code == "buttons_dead"
    record = await service.transcript(GUILD, THREAD, None)
    assert record.state.id == state.id and record.names[21] == "Ana"
    assert [a.action for a in record.audit] == ["begin", "next", "extend", "end"]


async def test_clicking_too_fast_is_refused_with_the_wait(
        service: DebateService, pack: ContentPack) -> None:
    state = await start(service, pack, Venue(), format_id="oxford")
    await service.join(state, 21, "Ana", "pro")
    await service.join(state, 22, "Bo", "con")
    await service.steer(state, MOD, "Mod", "begin")
    for choice in ("pro", "con", "undecided"):
        await service.vote(state, 30, "Cy", choice)
    with pytest.raises(Refusal) as slow:
        await service.vote(state, 30, "Cy", "pro")
    assert slow.value.code == "slow_down" and slow.value.params["seconds"] > 0


async def test_refusals_of_place_carry_codes(service: DebateService) -> None:
    for call, code in ((lambda: service.here(GUILD, 999), "no_debate_here"),
                       (lambda: service.here(None, None), "no_debate_here"),
                       (lambda: service.by_button(GUILD, 12345), "buttons_dead")):
        with pytest.raises(Refusal) as refused:
            call()
        assert refused.value.code == code
    with pytest.raises(Refusal) as missing:
        await service.transcript(GUILD, None, 424242)
    assert missing.value.code == "no_such_debate"
