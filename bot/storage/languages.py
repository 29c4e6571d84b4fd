"""The languages servers and members chose for Rostrum (`/settings language`, `/language`).

Read on every reply, so they are kept in memory (`LanguageChoices`), loaded at start-up and
updated by the commands that change them. Several bot processes sharing a database see a
change made in another process at their next start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.storage.db import Database


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class LanguageChoices:
    servers: dict[int, str] = field(default_factory=dict)
    members: dict[int, str] = field(default_factory=dict)

    @classmethod
    async def load(cls, db: Database) -> LanguageChoices:
        servers = await db.fetchall(
            "SELECT guild_id, language FROM guild_settings WHERE language IS NOT NULL")
        members = await db.fetchall("SELECT user_id, language FROM member_languages")
        return cls({r["guild_id"]: r["language"] for r in servers},
                   {r["user_id"]: r["language"] for r in members})

    async def set_server(self, db: Database, guild_id: int, language: str | None) -> None:
        """`None`: follow the server's Discord language again."""
        await db.execute(
            "INSERT INTO guild_settings (guild_id, language, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET language = excluded.language, "
            "updated_at = excluded.updated_at", (guild_id, language, _now()))
        if language is None:
            self.servers.pop(guild_id, None)
        else:
            self.servers[guild_id] = language

    async def set_member(self, db: Database, user_id: int, language: str | None) -> None:
        """`None`: follow the member's Discord app again (the row is deleted)."""
        if language is None:
            await db.execute("DELETE FROM member_languages WHERE user_id = ?", (user_id,))
            self.members.pop(user_id, None)
            return
        await db.execute(
            "INSERT INTO member_languages (user_id, language, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET language = excluded.language, "
            "updated_at = excluded.updated_at", (user_id, language, _now()))
        self.members[user_id] = language
