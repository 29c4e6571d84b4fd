"""Privacy: per-guild opt-out of participation logging, and forget-me.

An opted-out member still debates; nothing new is logged for them (the event writer checks
`privacy_opt_outs` inside each batch's transaction, so the rule holds across restarts with no
cache to warm), and their existing counters are hidden from every board, rank and stat until
they opt back in. `forget_me` deletes their events and counters in one guild; it does not
change the opt-out choice.
"""

from __future__ import annotations

from bot.storage.counters import delete_member_counters, set_member_visible
from bot.storage.db import Database


async def opt_out(db: Database, guild_id: int, user_id: int, *, now: float) -> bool:
    """Stop logging and hide the member in this guild; False if they had already opted out."""
    async with db.write() as conn:
        cursor = await conn.execute(
            "INSERT INTO privacy_opt_outs (guild_id, user_id, opted_out_at) VALUES (?, ?, ?) "
            "ON CONFLICT (guild_id, user_id) DO NOTHING", (guild_id, user_id, now))
        changed = cursor.rowcount > 0
        await set_member_visible(conn, guild_id, user_id, False)
    return changed


async def opt_in(db: Database, guild_id: int, user_id: int) -> bool:
    """Resume logging and show the member again; False if they had not opted out."""
    async with db.write() as conn:
        cursor = await conn.execute(
            "DELETE FROM privacy_opt_outs WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id))
        changed = cursor.rowcount > 0
        if changed:
            await set_member_visible(conn, guild_id, user_id, True)
    return changed


async def is_opted_out(db: Database, guild_id: int, user_id: int) -> bool:
    row = await db.fetchone(
        "SELECT 1 FROM privacy_opt_outs WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
    return row is not None


async def forget_me(db: Database, guild_id: int, user_id: int) -> int:
    """Delete the member's events and counters in this guild; returns the rows deleted.

    Other guilds are untouched, and so is the opt-out choice. Events of the member queued
    in the event writer but not yet committed are stored afterwards unless they opted out,
    so a member who wants no further record opts out first.
    """
    async with db.write() as conn:
        cursor = await conn.execute(
            "DELETE FROM participation_events WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id))
        events = cursor.rowcount
        counters = await delete_member_counters(conn, guild_id, user_id)
    return events + counters


async def opted_out_among(db: Database, guild_id: int, user_ids: list[int]) -> set[int]:
    """Those of `user_ids` who opted out in this guild (kept off public pages)."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return set()
    marks = ", ".join("?" for _ in wanted)
    rows = await db.fetchall(
        f"SELECT user_id FROM privacy_opt_outs WHERE guild_id = ? AND user_id IN ({marks})",
        (guild_id, *wanted))
    return {row["user_id"] for row in rows}
