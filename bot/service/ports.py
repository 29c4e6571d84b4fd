"""What the debate service needs from Discord, as two small protocols.

The announcer implements `Announcements` (it posts the outbox into threads); each
`/moderate start` brings a `Venue` (where the new debate is held: a thread under an
announcement in a text channel, or a post in a forum). Tests can implement both without
Discord.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.content import Format, Topic
from bot.core.debate import DebateState


class Announcements(Protocol):
    async def flush(self, debate_id: int) -> None:
        """Post the debate's pending outbox items, in order, once."""

    async def flush_all(self) -> None:
        """Post whatever a crash left in the outbox (at start-up)."""

    def lobby_changed(self, state: DebateState) -> None:
        """Show the current sides on the lobby card, in the background: the member's own
        answer never waits for it (best effort: it is only a display)."""

    async def stop(self) -> None:
        """Stop retrying; what is pending stays in the outbox for the next start."""


class Venue(Protocol):
    async def open(self, debate_id: int, topic: Topic, fmt: Format) -> int:
        """Announce the debate and make its thread; return the thread's id.

        On failure it takes back whatever it posted and raises (a `Refusal` coded
        `start_failed` for a Discord refusal or outage): the service then discards the
        debate, so nothing is left holding the channel.
        """

    async def withdraw(self) -> None:
        """Take back the public 'thinking…' answer (another start won the channel)."""
