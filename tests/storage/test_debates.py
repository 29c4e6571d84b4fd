"""Debate persistence on a real database (each backend): what is saved is what comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.content import ContentPack, load_pack
from bot.core.debate import DebateState, DebateStatus
from bot.storage import debates as store
from bot.storage.db import Database

REPO = Path(__file__).resolve().parents[2]
T0 = 1_800_000_000.0


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(REPO / "content")


async def new_debate(db: Database, pack: ContentPack, fmt: str = "oxford",
                     channel: int = 20, phase_seconds: int | None = 120) -> DebateState:
    debate_id = await store.create(db, guild_id=10, channel_id=channel,
                                   topic_id="history-versus-interests", format_id=fmt,
                                   phase_seconds=phase_seconds, created_by=1, now=T0)
    await store.attach_thread(db, debate_id, thread_id=channel + 1000)
    await store.set_lobby_message(db, debate_id, 5)
    return DebateState.new(id=debate_id, guild_id=10, channel_id=channel,
                           topic_id="history-versus-interests", format=pack.format(fmt),
                           now=T0, thread_id=channel + 1000, phase_seconds=phase_seconds)


async def apply(db: Database, state: DebateState, effects: list, now: float,
                **kw: object) -> list[int]:
    return await store.persist(db, state, effects, now=now, **kw)


async def test_a_whole_debate_round_trips(db: Database, pack: ContentPack) -> None:
    state = await new_debate(db, pack)
    t = T0
    await apply(db, state, state.join(101, "pro", t), t, names={101: "Alice"})
    await apply(db, state, state.join(102, "con", t), t, names={102: "Bob"})
    await apply(db, state, state.begin(t), t)
    await apply(db, state, state.vote(201, "con", t + 1), t + 1)
    await apply(db, state, state.vote(201, "pro", t + 2), t + 2)   # changed: one row
    await apply(db, state, state.vote(202, "undecided", t + 2), t + 2)
    await apply(db, state, state.next_phase(t + 5), t + 5)
    await apply(db, state, state.argue(101, "Memory matters because trust is built on it.",
                                       t + 6), t + 6)
    await apply(db, state, state.pause(t + 10), t + 10)
    await apply(db, state, state.extend(30, t + 11), t + 11)
    await apply(db, state, state.remove(102, t + 12), t + 12,
                audit=store.AuditEntry(1, "remove", "member 102", t + 12))

    loaded = await store.load(db, state.id, pack)
    assert loaded == state
    assert loaded.status == DebateStatus.PAUSED
    assert loaded.paused_remaining == pytest.approx(state.paused_remaining)
    assert len(loaded.votes) == 2 and loaded.votes[("pre-vote", 201)].choice == "pro"
    assert await store.names(db, state.id) == {101: "Alice", 102: "Bob"}
    assert [p.phase_id for p in await store.phases(db, state.id)] == ["pre-vote", "pro-opening"]
    assert [(a.action, a.detail) for a in await store.audit_log(db, state.id)] == [
        ("remove", "member 102")]


async def test_refused_vote_in_lobby_raised_and_wrote_nothing(db: Database,
                                                               pack: ContentPack) -> None:
    from bot.core.debate import Refusal

    state = await new_debate(db, pack)
    with pytest.raises(Refusal):
        state.vote(201, "pro", T0)
    assert (await store.load(db, state.id, pack)).votes == {}


async def test_finished_debate_keeps_its_result(db: Database, pack: ContentPack) -> None:
    state = await new_debate(db, pack, fmt="quick")
    await apply(db, state, state.join(1, "pro", T0) + state.join(2, "con", T0), T0)
    await apply(db, state, state.begin(T0), T0)
    t = T0
    while not state.is_over:
        t = state.next_wakeup()
        await apply(db, state, state.tick(t), t)
        if state.current_phase and state.current_phase.is_vote and not state.votes:
            await apply(db, state, state.vote(9, "con", t), t)
    loaded = await store.load(db, state.id, pack)
    assert loaded.result is not None and loaded.result.outcome == "con"
    assert loaded.result == state.result
    assert all(p.ended_at is not None for p in await store.phases(db, state.id))
    assert await store.load_live(db, pack) == []


async def test_one_live_debate_per_channel(db: Database, pack: ContentPack) -> None:
    first = await new_debate(db, pack, channel=30)
    with pytest.raises(store.ChannelBusy) as busy:
        await new_debate(db, pack, channel=30)
    assert busy.value.debate_id == first.id and busy.value.thread_id == 1030
    # The database enforces it too, whatever the code path.
    with pytest.raises(db.dialect.integrity_error):
        await db.execute("INSERT INTO debates (guild_id, channel_id, topic_id, format_id, "
                         "status, created_by, created_at) VALUES (10, 30, 't', 'quick', "
                         "'running', 1, 0)")
    # Once it is over, the channel is free again.
    await apply(db, first, first.cancel(T0), T0)
    second = await new_debate(db, pack, channel=30)
    assert second.id != first.id


async def test_outbox_holds_announcements_until_marked(db: Database, pack: ContentPack) -> None:
    state = await new_debate(db, pack, fmt="quick")
    ids = await apply(db, state, state.begin(T0), T0)
    assert len(ids) == 1
    pending = await store.pending_announcements(db, state.id)
    assert [(a.kind, a.payload["index"]) for a in pending] == [("phase_started", 0)]
    await store.mark_announced(db, pending[0].id)
    assert await store.pending_announcements(db) == []


async def test_leaving_deletes_the_member_but_keeps_arguments(db: Database,
                                                              pack: ContentPack) -> None:
    state = await new_debate(db, pack, fmt="quick")
    await apply(db, state, state.join(1, "pro", T0) + state.join(2, "con", T0), T0)
    await apply(db, state, state.begin(T0), T0)
    await apply(db, state, state.argue(1, "An argument that stays on the record.", T0 + 1),
                T0 + 1)
    await apply(db, state, state.leave(1, T0 + 2), T0 + 2)
    loaded = await store.load(db, state.id, pack)
    assert 1 not in loaded.members
    assert [a.user_id for a in loaded.arguments] == [1]


async def test_live_debates_load_for_rearming(db: Database, pack: ContentPack) -> None:
    running = await new_debate(db, pack, fmt="quick", channel=40)
    await apply(db, running, running.begin(T0), T0)
    lobby = await new_debate(db, pack, fmt="oxford", channel=41)
    done = await new_debate(db, pack, fmt="quick", channel=42)
    await apply(db, done, done.cancel(T0), T0)
    live = await store.load_live(db, pack)
    assert [s.id for s in live] == [running.id, lobby.id]
    assert live[0].deadline == running.deadline
    assert [d.id for d in await store.recent(db, 10)] == [done.id, lobby.id, running.id]
