"""Storing participation events and keeping their counters, in the caller's transaction.

For events the INSERT … RETURNING reports as inserted (a replayed source key is not), the
counters are upserted (`member_counters`, `member_topic_counters`: points, per-kind counts and
last activity per member and period "2026-W48" / "2026-11" / "all", UTC) and the board buckets
(members per points value, which make ranks cheap) are moved along. Leaderboards read counters
and buckets, never the log; `rebuild_counters` recomputes both from the log. Events of
opted-out members are dropped inside the transaction (see `bot.storage.privacy`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

from bot.core.scoring import Kind, period_keys
from bot.storage.db import Database, Dialect, Transaction
from bot.storage.events import Event, Outcome

log = logging.getLogger(__name__)

_INSERT_CHUNK = 500      # rows per multi-row INSERT (8 parameters a row)
_INSERT_SQL = ("INSERT INTO participation_events "
               "(guild_id, user_id, kind, debate_id, topic_id, points, at, source_key) "
               "VALUES {values} ON CONFLICT (guild_id, source_key) DO NOTHING "
               "RETURNING guild_id, source_key")
_LOOKUP_CHUNK = 500      # (guild, user) pairs per opt-out lookup


_KIND_COLUMN = {
    Kind.DEBATE_JOINED: 1,
    Kind.ARGUMENT_POSTED: 2,
    Kind.VOTE_CAST: 3,
    Kind.DEBATE_WON: 4,
    Kind.DEBATE_MODERATED: 5,
    Kind.BEST_SPEAKER: 6,
}
COUNT_COLUMNS = ("debates_joined", "arguments", "votes", "wins", "moderated", "best_speaker")
_LAST = 1 + len(COUNT_COLUMNS)  # a totals row: [points, *counts, last_active]
_DAY = 86_400


@lru_cache(maxsize=4096)
def _day_periods(day: int) -> tuple[str, str, str]:
    """The period keys of a UTC day: weeks and months begin at midnight UTC, so every moment
    of a day shares them (computing them once a day, not once an event, is a measurable
    share of a batch)."""
    return period_keys(day * _DAY)


class _Totals:
    """Counter contributions of a set of events, keyed like the counter tables."""

    def __init__(self) -> None:
        # value: [points, joined, arguments, votes, wins, moderated, best_speaker,
        #         last_active]
        self.members: dict[tuple[int, int, str], list[Any]] = {}
        self.topics: dict[tuple[int, int, str, str], list[Any]] = {}

    @staticmethod
    def _bump(table: dict[Any, list[Any]], key: Any, column: int, points: int,
              at: float) -> None:
        row = table.get(key)
        if row is None:
            row = table[key] = [0] * _LAST + [at]
        row[0] += points
        row[column] += 1
        if at > row[_LAST]:
            row[_LAST] = at

    def add(self, guild_id: int, user_id: int, kind: Kind, topic_id: str | None,
            points: int, at: float) -> None:
        column = _KIND_COLUMN[kind]
        for period in _day_periods(int(at // _DAY)):
            self._bump(self.members, (guild_id, user_id, period), column, points, at)
            if topic_id is not None:
                self._bump(self.topics, (guild_id, user_id, period, topic_id), column, points,
                           at)


_COLUMNS = "points, " + ", ".join(COUNT_COLUMNS) + ", last_active"
_EVENTS_IN_ROW = " + ".join(COUNT_COLUMNS)
_ROW_WIDTH = _LAST + 1  # values a totals row adds to a counter key
_UPSERT_CHUNK = 400  # rows per multi-row upsert (≤ 12 parameters a row)


@dataclass(frozen=True, slots=True)
class _Board:
    """A counters table and the buckets table that summarises it."""

    counters: str
    buckets: str
    key: tuple[str, ...]          # counter primary key
    bucket_key: tuple[str, ...]   # bucket primary key without points (≥ 2 columns)
    pick: Any = field(init=False, repr=False, compare=False)  # counter key -> bucket key

    def __post_init__(self) -> None:
        object.__setattr__(self, "pick", itemgetter(*map(self.key.index, self.bucket_key)))

    def upsert_sql(self, rows: int, dialect: Dialect) -> str:
        # The old row's columns are named with the table (PostgreSQL finds bare names
        # ambiguous next to `excluded`; SQLite accepts both).
        columns = ", ".join(self.key)
        placeholders = "(" + ", ".join(["?"] * (len(self.key) + _ROW_WIDTH)) + ")"
        table = self.counters
        add = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in ("points", *COUNT_COLUMNS))
        latest = dialect.greatest(f"{table}.last_active", "excluded.last_active")
        return (f"INSERT INTO {table} ({columns}, {_COLUMNS}) "
                f"VALUES {', '.join([placeholders] * rows)} "
                f"ON CONFLICT ({columns}) DO UPDATE SET {add}, last_active = {latest} "
                f"RETURNING {columns}, points, {_EVENTS_IN_ROW}")

    def insert_sql(self) -> str:
        columns = ", ".join(self.key)
        placeholders = ", ".join(["?"] * (len(self.key) + _ROW_WIDTH))
        return f"INSERT INTO {self.counters} ({columns}, {_COLUMNS}) VALUES ({placeholders})"

    def shrink_bucket_sql(self) -> str:
        where = " AND ".join(f"{c} = ?" for c in (*self.bucket_key, "points"))
        return f"UPDATE {self.buckets} SET members = members + ? WHERE {where}"

    def grow_bucket_sql(self) -> str:
        columns = ", ".join((*self.bucket_key, "points"))
        return (f"INSERT INTO {self.buckets} ({columns}, members) "
                f"VALUES ({', '.join(['?'] * (len(self.bucket_key) + 2))}) "
                f"ON CONFLICT ({columns}) DO UPDATE SET "
                f"members = {self.buckets}.members + excluded.members")

    def drop_empty_bucket_sql(self) -> str:
        where = " AND ".join(f"{c} = ?" for c in (*self.bucket_key, "points"))
        return f"DELETE FROM {self.buckets} WHERE {where} AND members = 0"


MEMBER_BOARD = _Board("member_counters", "board_buckets",
                      ("guild_id", "user_id", "period"), ("guild_id", "period"))
TOPIC_BOARD = _Board("member_topic_counters", "topic_board_buckets",
                     ("guild_id", "user_id", "period", "topic_id"),
                     ("guild_id", "topic_id", "period"))
BOARDS = (MEMBER_BOARD, TOPIC_BOARD)


async def _queue(conn: Transaction,
                 statements: Iterable[tuple[str, Callable[[], list[Any]]]]
                 ) -> list[asyncio.Task[Any]]:
    """Queue statements on the transaction, in order, and return without their rows.

    On SQLite the connection's thread writes them one after the other while the caller goes
    on (counting events, reading an earlier statement's rows), instead of idling through
    every round trip; PostgreSQL runs them in the same order. Await the tasks in order;
    after an error, `_settle` them before rolling back.
    """
    async def run(sql: str, params: Callable[[], list[Any]]) -> Any:
        return await conn.fetchall(sql, params())

    tasks = [asyncio.ensure_future(run(sql, params)) for sql, params in statements]
    try:
        await asyncio.sleep(0)  # each task builds its parameters and queues its statement
    except BaseException:
        await _settle(tasks)
        raise
    return tasks


async def _settle(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """Let every queued statement finish (and its error be retrieved), e.g. before a rollback."""
    await asyncio.gather(*tasks, return_exceptions=True)


async def _queue_upserts(conn: Transaction, board: _Board,
                         totals: dict[tuple[Any, ...], list[Any]]) -> list[asyncio.Task[Any]]:
    """Start adding `totals` to a counters table, `_UPSERT_CHUNK` rows a statement."""
    items = list(totals.items())
    chunks = (items[start:start + _UPSERT_CHUNK] for start in range(0, len(items), _UPSERT_CHUNK))
    return await _queue(conn, ((board.upsert_sql(len(chunk), conn.dialect),
                                functools.partial(_counter_params, chunk))
                               for chunk in chunks))


def _counter_params(chunk: list[tuple[tuple[Any, ...], list[Any]]]) -> list[Any]:
    return [value for key, row in chunk for value in (*key, *row)]


def _event_params(chunk: Sequence[Any]) -> list[Any]:
    return [value for e in chunk for value in (
        e.guild_id, e.user_id, e.kind.value, e.debate_id, e.topic_id, e.points, e.at,
        e.source_key)]


async def _bucket_moves(board: _Board, totals: dict[tuple[Any, ...], list[Any]],
                        upserts: list[asyncio.Task[Any]]) -> dict[tuple[Any, ...], int]:
    """How many members each bucket gains (or loses), from the upserts' RETURNING rows."""
    moves: dict[tuple[Any, ...], int] = {}
    moved = moves.get
    width = len(board.key)
    pick = board.pick
    for upsert in upserts:
        for row in await upsert:
            key = row[:width]                  # a tuple, like the keys of `totals`
            points, events = row[width], row[width + 1]
            delta = totals[key]
            if events == sum(delta[1:_LAST]):  # the row did not exist before
                bucket = (*pick(key), points)
                moves[bucket] = moved(bucket, 0) + 1
            elif delta[0]:
                board_key = pick(key)
                left, joined = (*board_key, points - delta[0]), (*board_key, points)
                moves[left] = moved(left, 0) - 1
                moves[joined] = moved(joined, 0) + 1
    return moves


async def _move_buckets(conn: Transaction, board: _Board,
                        moves: dict[tuple[Any, ...], int]) -> None:
    # Leavers first (an UPDATE: an upsert would CHECK a negative count before the conflict),
    # then arrivals, then drop buckets nobody is left in.
    leaving = [(n, *bucket) for bucket, n in moves.items() if n < 0]
    arriving = [(*bucket, n) for bucket, n in moves.items() if n > 0]
    if leaving:
        await conn.executemany(board.shrink_bucket_sql(), leaving)
    if arriving:
        await conn.executemany(board.grow_bucket_sql(), arriving)
    if leaving:
        await conn.executemany(board.drop_empty_bucket_sql(),
                               [bucket for _, *bucket in leaving])


async def _apply_totals(conn: Transaction, totals: _Totals) -> None:
    """Add `totals` to both counters tables and move the touched members between buckets.

    Every counter upsert is queued up front (they run in order on the connection's thread),
    and their RETURNING rows are read while the later ones are still being written.
    """
    boards: tuple[tuple[_Board, dict[Any, list[Any]]], ...] = (
        (MEMBER_BOARD, totals.members), (TOPIC_BOARD, totals.topics))
    queued: list[list[asyncio.Task[Any]]] = []
    try:
        for board, table in boards:
            queued.append(await _queue_upserts(conn, board, table))
        moves = [await _bucket_moves(board, table, upserts)
                 for (board, table), upserts in zip(boards, queued, strict=True)]
    except BaseException:
        await _settle(u for upserts in queued for u in upserts)
        raise
    for (board, _), board_moves in zip(boards, moves, strict=True):
        await _move_buckets(conn, board, board_moves)


async def set_member_visible(conn: Transaction, guild_id: int, user_id: int,
                             visible: bool) -> None:
    """Show or hide a member's counters on every board of a guild (opt-in / opt-out).

    Runs inside the caller's write transaction and keeps the buckets in step.
    """
    params = {"guild": guild_id, "user": user_id, "from": 1 if visible else 0}
    for board in BOARDS:
        rest = [c for c in board.bucket_key if c != "guild_id"]
        if visible:
            columns = ", ".join((*board.bucket_key, "points"))
            await conn.execute(
                f"INSERT INTO {board.buckets} ({columns}, members) "
                f"SELECT {columns}, 1 FROM {board.counters} "
                "WHERE guild_id = :guild AND user_id = :user AND hidden = :from "
                f"ON CONFLICT ({columns}) DO UPDATE SET members = {board.buckets}.members + 1",
                params)
        else:
            tuple_ = ", ".join((*rest, "points"))
            await conn.execute(
                f"UPDATE {board.buckets} SET members = members - 1 "
                f"WHERE guild_id = :guild AND ({tuple_}) IN "
                f"(SELECT {tuple_} FROM {board.counters} "
                " WHERE guild_id = :guild AND user_id = :user AND hidden = :from)", params)
            await conn.execute(
                f"DELETE FROM {board.buckets} WHERE guild_id = :guild AND members = 0", params)
        await conn.execute(
            f"UPDATE {board.counters} SET hidden = 1 - :from "
            "WHERE guild_id = :guild AND user_id = :user AND hidden = :from", params)


async def delete_member_counters(conn: Transaction, guild_id: int, user_id: int) -> int:
    """Delete a member's counters in a guild (buckets kept in step); returns rows deleted."""
    await set_member_visible(conn, guild_id, user_id, False)
    deleted = 0
    for board in BOARDS:
        result = await conn.execute(
            f"DELETE FROM {board.counters} WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id))
        deleted += result.rowcount
    return deleted


# --- writing a batch -------------------------------------------------------------------------

async def opted_out_among(conn: Transaction,
                          members: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which of these (guild, user) pairs have opted out, seen from `conn`'s transaction."""
    pairs = list(dict.fromkeys(members))
    found: set[tuple[int, int]] = set()
    row_sql = "({0}, {0})".format(conn.dialect.param("BIGINT"))  # "(?, ?)" on SQLite
    for start in range(0, len(pairs), _LOOKUP_CHUNK):
        chunk = pairs[start:start + _LOOKUP_CHUNK]
        values = ", ".join([row_sql] * len(chunk))
        rows = await conn.fetchall(
            "SELECT guild_id, user_id FROM privacy_opt_outs "
            f"WHERE (guild_id, user_id) IN (VALUES {values})",
            [part for pair in chunk for part in pair])
        found.update((row[0], row[1]) for row in rows)
    return found


async def write_events(conn: Transaction, events: Sequence[Event]) -> list[Outcome]:
    """Store `events` and update their counters inside the caller's open write transaction.

    Returns one outcome per event, in order. Within `events`, the first event with a given
    (guild, source key) wins and later ones are duplicates; only inserted events touch the
    counters.
    """
    outcomes: list[Outcome | None] = [Outcome.BOT if e.is_bot else None for e in events]
    live = [i for i, e in enumerate(events) if not e.is_bot]
    opted_out = await opted_out_among(conn, ((events[i].guild_id, events[i].user_id)
                                             for i in live))
    first: dict[tuple[int, str], int] = {}
    for i in live:
        event = events[i]
        if (event.guild_id, event.user_id) in opted_out:
            outcomes[i] = Outcome.OPTED_OUT
            continue
        key = (event.guild_id, event.source_key)
        if key in first:
            outcomes[i] = Outcome.DUPLICATE
        else:
            first[key] = i
    candidates = [events[i] for i in first.values()]
    inserts = await _queue(conn, (
        (_INSERT_SQL.format(values=", ".join(["(?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk))),
         functools.partial(_event_params, chunk))
        for chunk in (candidates[start:start + _INSERT_CHUNK]
                      for start in range(0, len(candidates), _INSERT_CHUNK))))
    inserted: set[tuple[int, str]] = set()
    try:
        # Count every candidate while the rows are being inserted; in the rare batch where
        # some were already stored (a replayed act), count again without them.
        totals = _totals_of(candidates)
        for insert in inserts:
            inserted.update((row[0], row[1]) for row in await insert)
    except BaseException:
        await _settle(inserts)
        raise
    if len(inserted) < len(candidates):
        totals = _totals_of(e for e in candidates if (e.guild_id, e.source_key) in inserted)
    for i in first.values():
        event = events[i]
        stored = (event.guild_id, event.source_key) in inserted
        outcomes[i] = Outcome.NEW if stored else Outcome.DUPLICATE
    await _apply_totals(conn, totals)
    return [o if o is not None else Outcome.DUPLICATE for o in outcomes]


async def withdraw_events(conn: Transaction, guild_id: int,
                          source_keys: Sequence[str]) -> int:
    """Delete these events of a guild (a redacted argument's) and recount their members'
    counters from what is left, inside the caller's write transaction (boards kept in step);
    returns how many were deleted.

    Events of members who opted out are left as they are: their counters are hidden, off
    every board, and stay as they were until they opt in again.
    """
    if not source_keys:
        return 0
    marks = ", ".join("?" for _ in source_keys)
    found = await conn.fetchall(
        "SELECT user_id FROM participation_events WHERE guild_id = ? AND source_key IN "
        f"({marks})", (guild_id, *source_keys))
    keep = [user for _, user in await opted_out_among(conn, ((guild_id, row[0])
                                                             for row in found))]
    spared = f" AND user_id NOT IN ({', '.join('?' for _ in keep)})" if keep else ""
    deleted = await conn.fetchall(
        f"DELETE FROM participation_events WHERE guild_id = ? AND source_key IN ({marks})"
        f"{spared} RETURNING user_id", (guild_id, *source_keys, *keep))
    for user_id in sorted({row[0] for row in deleted}):
        # Recounted whole: a withdrawn event may have been a period's only one, or its
        # latest (last activity), which no subtraction can undo.
        await delete_member_counters(conn, guild_id, user_id)
        totals = _Totals()
        for row in await conn.fetchall(
                "SELECT kind, topic_id, points, at FROM participation_events"
                " WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)):
            totals.add(guild_id, user_id, Kind(row[0]), row[1], row[2], row[3])
        await _apply_totals(conn, totals)
    return len(deleted)


def _totals_of(events: Iterable[Event]) -> _Totals:
    totals = _Totals()
    for e in events:
        totals.add(e.guild_id, e.user_id, e.kind, e.topic_id, e.points, e.at)
    return totals


async def rebuild_counters(db: Database) -> int:
    """Recompute every counter and bucket from the event log, in one transaction.

    Returns the number of events read. Counters of opted-out members come back hidden, as the
    incremental path leaves them. (The one place that reads the whole log: an offline repair,
    `python -m bot db rebuild-counters`.)
    """
    async with db.write() as conn:
        for board in BOARDS:
            await conn.execute(f"DELETE FROM {board.counters}")
        totals = _Totals()
        count = 0
        async for rows in conn.iterate(
                "SELECT guild_id, user_id, kind, topic_id, points, at FROM participation_events"):
            for row in rows:
                totals.add(row[0], row[1], Kind(row[2]), row[3], row[4], row[5])
            count += len(rows)
        for board, table in ((MEMBER_BOARD, totals.members), (TOPIC_BOARD, totals.topics)):
            await conn.execute(f"DELETE FROM {board.buckets}")
            if table:
                await conn.executemany(board.insert_sql(),
                                       [(*key, *row) for key, row in table.items()])
            await conn.execute(
                f"UPDATE {board.counters} SET hidden = 1 WHERE (guild_id, user_id) IN "
                "(SELECT guild_id, user_id FROM privacy_opt_outs)")
            columns = ", ".join((*board.bucket_key, "points"))
            await conn.execute(
                f"INSERT INTO {board.buckets} ({columns}, members) "
                f"SELECT {columns}, count(*) FROM {board.counters} WHERE hidden = 0 "
                f"GROUP BY {columns}")
    log.info("rebuilt counters from %d events", count)
    return count


# --- the group-commit writer -----------------------------------------------------------------
