"""Turns a finished debate into participation events (see `bot.core.scoring`)."""

from __future__ import annotations

from bot.core.debate import DebateState
from bot.core.results import SIDES
from bot.core.scoring import ArgumentRecord, Award, debate_awards
from bot.storage.event_writer import EventWriter
from bot.storage.events import Event


def awards_for(state: DebateState, moderator_id: int | None) -> list[Award]:
    """Everything a finished debate earns. A no contest (a side left empty) earns nothing."""
    result = state.result
    if result is None or result.outcome == "no_contest":
        return []
    debaters = {user: side for side in SIDES for user in state.debaters(side)}
    arguments = [ArgumentRecord(a.seq, a.user_id, a.phase_id, a.text)
                 for a in state.arguments if not a.redacted]
    voters = {user for phase in state.format.phases if phase.is_vote
              for user in state.counted_votes(phase.id)}
    return debate_awards(debate_id=state.id, topic_id=state.topic_id, debaters=debaters,
                         arguments=arguments, voters=voters, winner=result.winner,
                         moderators=[moderator_id] if moderator_id else [],
                         best_speaker=state.best_speaker())


async def record(writer: EventWriter, state: DebateState, moderator_id: int | None) -> int:
    """Log the debate's awards (idempotent: source keys make a replay a no-op); count new."""
    at = state.finished_at or state.created_at
    events = [Event.from_award(award, guild_id=state.guild_id, at=at)
              for award in awards_for(state, moderator_id)]
    outcomes = await writer.log_many(events) if events else []
    return sum(1 for outcome in outcomes if outcome.stored)
