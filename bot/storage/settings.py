"""Per-guild settings."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.storage.db import Database


async def moderator_role(db: Database, guild_id: int) -> int | None:
    row = await db.fetchone(
        "SELECT moderator_role_id FROM guild_settings WHERE guild_id = ?", (guild_id,))
    return row["moderator_role_id"] if row else None


async def set_moderator_role(db: Database, guild_id: int, role_id: int | None) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    await db.execute(
        "INSERT INTO guild_settings (guild_id, moderator_role_id, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (guild_id) DO UPDATE SET moderator_role_id = excluded.moderator_role_id, "
        "updated_at = excluded.updated_at",
        (guild_id, role_id, now))


async def web_pages(db: Database, guild_id: int) -> bool:
    row = await db.fetchone("SELECT web_pages FROM guild_settings WHERE guild_id = ?",
                            (guild_id,))
    return bool(row["web_pages"]) if row else False


async def set_web_pages(db: Database, guild_id: int, on: bool) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    await db.execute(
        "INSERT INTO guild_settings (guild_id, web_pages, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (guild_id) DO UPDATE SET web_pages = excluded.web_pages, "
        "updated_at = excluded.updated_at", (guild_id, int(on), now))
