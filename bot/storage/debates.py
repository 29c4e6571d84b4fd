"""Debate persistence: the engine's state as rows, written in the same transaction as the
announcements it causes (the outbox), and read back whole after a restart."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core import debate as engine
from bot.core.content import ContentPack
from bot.core.debate import DebateState, DebateStatus
from bot.core.results import Result
from bot.storage.db import Database, Statement, Transaction


class ChannelBusy(Exception):
    """A live debate already runs in this channel."""

    def __init__(self, debate_id: int, thread_id: int | None) -> None:
        super().__init__(f"debate {debate_id} is live in this channel")
        self.debate_id = debate_id
        self.thread_id = thread_id


@dataclass(frozen=True, slots=True)
class Announcement:
    """Something to post in the debate's thread, durable until it has been posted."""

    id: int
    debate_id: int
    kind: str
    payload: dict[str, Any]
    created_at: float = 0.0


@dataclass(frozen=True, slots=True)
class DebateSummary:
    id: int
    topic_id: str
    format_id: str
    status: str
    created_at: float
    thread_id: int | None


@dataclass(frozen=True, slots=True)
class PhaseRecord:
    index: int
    phase_id: str
    started_at: float
    deadline: float | None
    ended_at: float | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    actor_id: int
    action: str
    detail: str
    at: float


def announcements_for(effect: engine.Effect) -> list[tuple[str, dict[str, Any]]]:
    """The outbox work an effect calls for, as (kind, JSON payload) pairs.

    All are thread posts except "awards": scoring a finished debate's participation,
    queued with the finish so a crash in between cannot lose the points; and "close_thread":
    locking and archiving the thread once its last card is up.
    """
    found = _announcement(effect)
    if isinstance(effect, engine.DebateFinished):
        return [found, ("awards", {}), ("close_thread", {})]  # type: ignore[list-item]
    if isinstance(effect, engine.DebateCancelled):
        return [found, ("close_thread", {})]  # type: ignore[list-item]
    return [found] if found else []


def _announcement(effect: engine.Effect) -> tuple[str, dict[str, Any]] | None:
    match effect:
        case engine.PhaseStarted(index=index, deadline=deadline):
            return "phase_started", {"index": index, "deadline": deadline}
        case engine.WarningDue(index=index, seconds_left=left, deadline=deadline):
            return "warning", {"index": index, "seconds_left": left, "deadline": deadline}
        case engine.VoteClosed(index=index, tally=tally):
            return "vote_closed", {"index": index, "pro": tally.pro, "con": tally.con,
                                   "undecided": tally.undecided}
        case engine.DebateFinished(result=result, ended_early=early):
            return "finished", {"result": result.as_dict(), "ended_early": early}
        case engine.DebateCancelled():
            return "cancelled", {}
        case engine.ArgumentAccepted(argument=argument):
            return "argument", {"seq": argument.seq}
        case engine.ArgumentRedacted(argument=argument):
            return "redacted", {"seq": argument.seq}
        case engine.Paused(remaining=remaining):
            return "paused", {"remaining": remaining}
        case engine.Resumed(deadline=deadline):
            return "resumed", {"deadline": deadline}
        case engine.Extended(seconds=seconds, deadline=deadline, remaining=remaining):
            return "extended", {"seconds": seconds, "deadline": deadline,
                                "remaining": remaining}
        case engine.MemberRemoved(user_id=user_id, side=side):
            return "removed", {"user_id": user_id, "side": side}
    return None


async def create(db: Database, *, guild_id: int, channel_id: int, topic_id: str,
                 format_id: str, phase_seconds: int | None, created_by: int,
                 now: float, language: str = "en") -> int:
    """Reserve a debate id in the lobby; raise ChannelBusy if the channel has a live one."""
    async with db.write() as conn:
        busy = await _live_in_channel(conn, guild_id, channel_id)
        if busy is not None:
            raise ChannelBusy(*busy)
        row = await conn.fetchone(
            "INSERT INTO debates (guild_id, channel_id, topic_id, format_id, phase_seconds,"
            " status, created_by, created_at, language)"
            " VALUES (?, ?, ?, ?, ?, 'lobby', ?, ?, ?) RETURNING id",
            (guild_id, channel_id, topic_id, format_id, phase_seconds, created_by, now,
             language))
        return row[0]


async def _live_in_channel(conn: Transaction, guild_id: int,
                           channel_id: int) -> tuple[int, int | None] | None:
    row = await conn.fetchone(
        "SELECT id, thread_id FROM debates WHERE guild_id = ? AND channel_id = ? "
        "AND status IN ('lobby', 'running', 'paused')", (guild_id, channel_id))
    return (row["id"], row["thread_id"]) if row else None


async def attach_thread(db: Database, debate_id: int, thread_id: int, *,
                        now: float | None = None) -> None:
    """Record the debate's thread; with `now`, also queue its lobby card in the outbox (same
    transaction), so the card is posted, retried and re-posted after a crash like any
    other announcement."""
    async with db.write() as conn:
        await conn.execute("UPDATE debates SET thread_id = ? WHERE id = ?",
                           (thread_id, debate_id))
        if now is not None:
            await conn.execute(
                "INSERT INTO debate_outbox (debate_id, kind, payload, created_at) "
                "VALUES (?, 'lobby', '{}', ?)", (debate_id, now))


async def set_lobby_message(db: Database, debate_id: int, message_id: int) -> None:
    await db.execute("UPDATE debates SET lobby_message_id = ? WHERE id = ?",
                     (message_id, debate_id))


async def discard(db: Database, debate_id: int) -> None:
    """Forget a debate whose thread or lobby card could not be posted."""
    await db.execute("DELETE FROM debates WHERE id = ? AND status = 'lobby'", (debate_id,))


@dataclass(frozen=True, slots=True)
class Change:
    """The statements that write one transition (its rows and its announcements) atomically.

    The statements from `outbox_from` on each insert one announcement and return its id.
    """

    statements: list[Statement]
    outbox_from: int

    def outbox_ids(self, results: Sequence[Sequence[Any]]) -> list[int]:
        """The new announcements' outbox ids, in order, from the statements' results."""
        return [rows[0][0] for rows in results[self.outbox_from:]]


def change_for(state: DebateState, effects: Sequence[engine.Effect], *, now: float,
               names: Mapping[int, str] | None = None,
               audit: AuditEntry | None = None) -> Change:
    """The statements that write `effects` (just applied to `state`) and their announcements."""
    change = _Change()
    _write_debate_row(change, state)
    for effect in effects:
        _write_effect(change, state, effect, now)
    for user_id, name in (names or {}).items():
        change.execute(
            "INSERT INTO debate_names (debate_id, user_id, display_name) VALUES (?, ?, ?) "
            "ON CONFLICT (debate_id, user_id) DO UPDATE SET display_name = excluded.display_name",
            (state.id, user_id, name))
    if audit is not None:
        change.execute(
            "INSERT INTO debate_audit (debate_id, actor_id, action, detail, at) "
            "VALUES (?, ?, ?, ?, ?)",
            (state.id, audit.actor_id, audit.action, audit.detail, audit.at))
    queued = len(change.statements)
    for kind, payload in (item for effect in effects for item in announcements_for(effect)):
        change.execute(
            "INSERT INTO debate_outbox (debate_id, kind, payload, created_at) "
            "VALUES (?, ?, ?, ?) RETURNING id", (state.id, kind, json.dumps(payload), now))
    return Change(change.statements, queued)


async def persist(db: Database, state: DebateState, effects: Sequence[engine.Effect], *,
                  now: float, names: Mapping[int, str] | None = None,
                  audit: AuditEntry | None = None) -> list[int]:
    """Write a transition's changes and its announcements atomically, in one transaction
    (which may also carry other debates' changes: see `Database.transact`).

    Returns the outbox ids of the announcements, in order.
    """
    change = change_for(state, effects, now=now, names=names, audit=audit)
    return change.outbox_ids(await db.transact(change.statements))


class _Change:
    """A transition's statements, collected for `Database.transact` (written like a
    connection's calls, so the helpers below read as plain SQL)."""

    def __init__(self) -> None:
        self.statements: list[Statement] = []

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.statements.append((sql, params))


def _write_debate_row(conn: _Change, state: DebateState) -> None:
    conn.execute(
        "UPDATE debates SET status = ?, phase_index = ?, deadline = ?, paused_remaining = ?,"
        " warnings_sent = ?, finished_at = ?, result = ?, thread_id = COALESCE(?, thread_id)"
        " WHERE id = ?",
        (state.status.value, state.phase_index, state.deadline, state.paused_remaining,
         ",".join(str(mark) for mark in sorted(state.warnings_sent)), state.finished_at,
         json.dumps(state.result.as_dict()) if state.result else None, state.thread_id,
         state.id))


def _write_effect(conn: _Change, state: DebateState, effect: engine.Effect,
                  now: float) -> None:
    debate_id = state.id
    match effect:
        case engine.PhaseStarted(phase=phase, index=index, deadline=deadline):
            conn.execute(
                "UPDATE debate_phases SET ended_at = ? WHERE debate_id = ? AND ended_at IS NULL",
                (now, debate_id))
            conn.execute(
                "INSERT INTO debate_phases (debate_id, phase_index, phase_id,"
                " started_at, deadline) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (debate_id, phase_index) DO UPDATE SET phase_id ="
                " excluded.phase_id, started_at = excluded.started_at,"
                " deadline = excluded.deadline, ended_at = NULL",
                (debate_id, index, phase.id, now, deadline))
        case engine.Resumed(deadline=deadline) | engine.Extended(deadline=deadline) \
                if deadline is not None:
            conn.execute(
                "UPDATE debate_phases SET deadline = ? WHERE debate_id = ? AND phase_index = ?",
                (deadline, debate_id, state.phase_index))
        case engine.DebateFinished() | engine.DebateCancelled():
            conn.execute(
                "UPDATE debate_phases SET ended_at = ? WHERE debate_id = ? AND ended_at IS NULL",
                (now, debate_id))
        case engine.ArgumentAccepted(argument=a):
            conn.execute(
                "INSERT INTO debate_arguments (debate_id, seq, user_id, side, phase_id, text,"
                " posted_at, reply_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (debate_id, a.seq, a.user_id, a.side, a.phase_id, a.text, a.posted_at,
                 a.reply_to))
        case engine.ArgumentRedacted(argument=a):
            conn.execute(
                "UPDATE debate_arguments SET text = '', redacted = 1"
                " WHERE debate_id = ? AND seq = ?", (debate_id, a.seq))
        case engine.JudgeNamed(user_id=user_id):
            conn.execute(
                "INSERT INTO debate_judges (debate_id, user_id, named_at) VALUES (?, ?, ?)"
                " ON CONFLICT (debate_id, user_id) DO NOTHING", (debate_id, user_id, now))
        case engine.BallotCast(user_id=user_id, side=side):
            conn.execute(
                "INSERT INTO debate_ballots (debate_id, user_id, side, cast_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (debate_id, user_id) DO UPDATE SET"
                " side = excluded.side, cast_at = excluded.cast_at",
                (debate_id, user_id, side, now))
        case engine.SpeakerNamed(user_id=user_id, speaker_id=speaker_id):
            conn.execute(
                "INSERT INTO debate_speaker_votes (debate_id, user_id, speaker_id, cast_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (debate_id, user_id) DO UPDATE SET"
                " speaker_id = excluded.speaker_id, cast_at = excluded.cast_at",
                (debate_id, user_id, speaker_id, now))
        case engine.VoteRecorded(vote=v):
            conn.execute(
                "INSERT INTO debate_votes (debate_id, phase_id, user_id, choice, cast_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (debate_id, phase_id, user_id)"
                " DO UPDATE SET choice = excluded.choice, cast_at = excluded.cast_at",
                (debate_id, v.phase_id, v.user_id, v.choice, v.cast_at))
        case engine.MemberJoined(user_id=user_id) | engine.MemberRemoved(user_id=user_id):
            member = state.members[user_id]
            conn.execute(
                "INSERT INTO debate_members (debate_id, user_id, side, joined_at, removed)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (debate_id, user_id) DO UPDATE SET"
                " side = excluded.side, removed = excluded.removed",
                (debate_id, user_id, member.side, member.joined_at, int(member.removed)))
            if isinstance(effect, engine.MemberJoined) and effect.votes_withdrawn:
                conn.execute(
                    "DELETE FROM debate_votes WHERE debate_id = ? AND user_id = ?",
                    (debate_id, user_id))
        case engine.MemberLeft(user_id=user_id):
            conn.execute(
                "DELETE FROM debate_members WHERE debate_id = ? AND user_id = ?",
                (debate_id, user_id))


async def pending_announcements(db: Database,
                                debate_id: int | None = None) -> list[Announcement]:
    """Announcements not yet posted, oldest first (all debates when `debate_id` is None)."""
    where, params = ("WHERE debate_id = ?", (debate_id,)) if debate_id is not None else ("", ())
    # One debate's pending items are asked for after every phase change: a few rows of a
    # table that only holds what is not posted yet, so a lookup (no thread hop).
    read = db.lookup if debate_id is not None else db.fetchall
    rows = await read(
        f"SELECT id, debate_id, kind, payload, created_at FROM debate_outbox {where} "
        "ORDER BY id", params)
    return [Announcement(r["id"], r["debate_id"], r["kind"], json.loads(r["payload"]),
                         r["created_at"]) for r in rows]


async def pending_debates(db: Database) -> list[tuple[int, int]]:
    """(debate, guild) of every debate with announcements not yet posted, by debate id."""
    rows = await db.fetchall(
        "SELECT DISTINCT o.debate_id, d.guild_id FROM debate_outbox o "
        "JOIN debates d ON d.id = o.debate_id ORDER BY o.debate_id")
    return [(r["debate_id"], r["guild_id"]) for r in rows]


async def mark_announced(db: Database, announcement_id: int) -> None:
    await db.execute("DELETE FROM debate_outbox WHERE id = ?", (announcement_id,))


async def load(db: Database, debate_id: int, pack: ContentPack) -> DebateState | None:
    states = await _load_where(db, "id = ?", (debate_id,), pack)
    return states[0] if states else None


async def load_live(db: Database, pack: ContentPack,
                    guilds: Callable[[int], bool] | None = None) -> list[DebateState]:
    """Every debate in lobby, running or paused, to re-arm after a restart; only those of
    the guilds `guilds` accepts, when given (a sharded process loads its own)."""
    return await _load_where(db, "status IN ('lobby', 'running', 'paused')", (), pack,
                             guilds)


async def _load_where(db: Database, where: str, params: Sequence[Any], pack: ContentPack,
                      guilds: Callable[[int], bool] | None = None) -> list[DebateState]:
    rows = await db.fetchall(f"SELECT * FROM debates WHERE {where} ORDER BY id", params)
    states = []
    for row in rows:
        if guilds is not None and not guilds(row["guild_id"]):
            continue
        fmt = pack.format(row["format_id"])
        if fmt is None:
            raise LookupError(f"debate {row['id']} uses format {row['format_id']!r}, "
                              "which is not in the content pack")
        state = DebateState(
            id=row["id"], guild_id=row["guild_id"], channel_id=row["channel_id"],
            topic_id=row["topic_id"], format=fmt, created_at=row["created_at"],
            thread_id=row["thread_id"], phase_seconds=row["phase_seconds"],
            status=DebateStatus(row["status"]), phase_index=row["phase_index"],
            deadline=row["deadline"], paused_remaining=row["paused_remaining"],
            warnings_sent={int(m) for m in row["warnings_sent"].split(",") if m},
            finished_at=row["finished_at"], language=row["language"],
            result=Result.from_dict(json.loads(row["result"])) if row["result"]
            else None,
        )
        await _load_children(db, state)
        states.append(state)
    return states


async def _load_children(db: Database, state: DebateState) -> None:
    for r in await db.fetchall("SELECT * FROM debate_members WHERE debate_id = ?", (state.id,)):
        state.members[r["user_id"]] = engine.Member(r["user_id"], r["side"], r["joined_at"],
                                                    bool(r["removed"]))
    for r in await db.fetchall(
            "SELECT * FROM debate_arguments WHERE debate_id = ? ORDER BY seq", (state.id,)):
        state.arguments.append(engine.Argument(r["seq"], r["user_id"], r["side"],
                                               r["phase_id"], r["text"], r["posted_at"],
                                               bool(r["redacted"]), r["reply_to"]))
    for r in await db.fetchall("SELECT user_id FROM debate_judges WHERE debate_id = ?",
                               (state.id,)):
        state.judges.add(r["user_id"])
    for r in await db.fetchall("SELECT user_id, side FROM debate_ballots WHERE debate_id = ?",
                               (state.id,)):
        state.ballots[r["user_id"]] = r["side"]
    for r in await db.fetchall("SELECT user_id, speaker_id FROM debate_speaker_votes"
                               " WHERE debate_id = ?", (state.id,)):
        state.speaker_votes[r["user_id"]] = r["speaker_id"]
    for r in await db.fetchall("SELECT * FROM debate_votes WHERE debate_id = ?", (state.id,)):
        state.votes[(r["phase_id"], r["user_id"])] = engine.Vote(
            r["phase_id"], r["user_id"], r["choice"], r["cast_at"])


async def set_argument_message(db: Database, debate_id: int, seq: int,
                               message_id: int) -> None:
    """Remember the message that shows argument `seq` (for reports and redaction)."""
    await db.execute("UPDATE debate_arguments SET message_id = ? WHERE debate_id = ? AND seq = ?",
                     (message_id, debate_id, seq))


async def argument_message(db: Database, debate_id: int, seq: int) -> int | None:
    row = await db.fetchone(
        "SELECT message_id FROM debate_arguments WHERE debate_id = ? AND seq = ?",
        (debate_id, seq))
    return row["message_id"] if row else None


async def argument_at(db: Database, guild_id: int, message_id: int) -> tuple[int, int] | None:
    """(debate, seq) of the argument a message of this guild shows, if it shows one."""
    row = await db.fetchone(
        "SELECT a.debate_id, a.seq FROM debate_arguments a JOIN debates d ON d.id = a.debate_id"
        " WHERE a.message_id = ? AND d.guild_id = ?", (message_id, guild_id))
    return (row["debate_id"], row["seq"]) if row else None


async def lobby_message(db: Database, debate_id: int) -> int | None:
    row = await db.fetchone("SELECT lobby_message_id FROM debates WHERE id = ?", (debate_id,))
    return row["lobby_message_id"] if row else None


async def created_by(db: Database, debate_id: int) -> int | None:
    row = await db.fetchone("SELECT created_by FROM debates WHERE id = ?", (debate_id,))
    return row["created_by"] if row else None


async def names(db: Database, debate_id: int) -> dict[int, str]:
    rows = await db.lookup(  # a primary-key range: the debate's members
        "SELECT user_id, display_name FROM debate_names WHERE debate_id = ?", (debate_id,))
    return {r["user_id"]: r["display_name"] for r in rows}


async def phases(db: Database, debate_id: int) -> list[PhaseRecord]:
    rows = await db.fetchall(
        "SELECT phase_index, phase_id, started_at, deadline, ended_at FROM debate_phases "
        "WHERE debate_id = ? ORDER BY phase_index", (debate_id,))
    return [PhaseRecord(r["phase_index"], r["phase_id"], r["started_at"], r["deadline"],
                        r["ended_at"]) for r in rows]


async def audit_log(db: Database, debate_id: int) -> list[AuditEntry]:
    rows = await db.fetchall(
        "SELECT actor_id, action, detail, at FROM debate_audit WHERE debate_id = ? ORDER BY id",
        (debate_id,))
    return [AuditEntry(r["actor_id"], r["action"], r["detail"], r["at"]) for r in rows]


async def recent(db: Database, guild_id: int, limit: int = 25) -> list[DebateSummary]:
    """This guild's debates, newest first."""
    rows = await db.fetchall(
        "SELECT id, topic_id, format_id, status, created_at, thread_id FROM debates "
        "WHERE guild_id = ? ORDER BY id DESC LIMIT ?", (guild_id, limit))
    return [DebateSummary(r["id"], r["topic_id"], r["format_id"], r["status"],
                          r["created_at"], r["thread_id"]) for r in rows]
