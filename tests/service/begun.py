"""A debate stored and begun through the storage API, for the runtime tests."""

from __future__ import annotations

from bot.core.content import ContentPack
from bot.core.debate import DebateState
from bot.storage import debates as store
from bot.storage.db import Database

T0 = 1_800_000_000.0


async def begun_debate(db: Database, pack: ContentPack, guild_id: int, *, format_id: str,
                       phase_seconds: int) -> DebateState:
    """A debate with a debater a side (members guild_id + 10 and + 11), begun at T0.

    Its channel is guild_id + 1 and its thread guild_id + 2.
    """
    debate_id = await store.create(db, guild_id=guild_id, channel_id=guild_id + 1,
                                   topic_id="history-versus-interests", format_id=format_id,
                                   phase_seconds=phase_seconds, created_by=1, now=T0)
    await store.attach_thread(db, debate_id, thread_id=guild_id + 2)
    fmt = pack.format(format_id)
    assert fmt is not None
    state = DebateState.new(id=debate_id, guild_id=guild_id, channel_id=guild_id + 1,
                            topic_id="history-versus-interests", format=fmt, now=T0,
                            thread_id=guild_id + 2, phase_seconds=phase_seconds)
    for user, side in ((guild_id + 10, "pro"), (guild_id + 11, "con")):
        await store.persist(db, state, state.join(user, side, T0), now=T0)
    await store.persist(db, state, state.begin(T0), now=T0)
    return state
