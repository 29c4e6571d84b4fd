"""`db copy`: a populated SQLite community moved into PostgreSQL, checked table by table and
by asking both sides the same questions."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.core import scoring
from bot.core.content import ContentPack, load_pack
from bot.core.debate import DebateState
from bot.core.motions import MotionStatus
from bot.core.schedule import Schedule
from bot.core.scoring import ArgumentRecord, Kind, period_keys
from bot.storage import alerts, debates, motions, privacy, reports, schedules, stats
from bot.storage import settings as guild_settings
from bot.storage.copy import COPY_TABLES, CopyError, copy_database, row_counts
from bot.storage.db import Database
from bot.storage.event_writer import EventWriter
from bot.storage.events import Event
from bot.storage.languages import LanguageChoices
from bot.storage.opening import open_database
from tests.backends import fresh_schema, server_url, with_schema
from tests.test_cli import run_cli

REPO = Path(__file__).resolve().parents[2]
NOW = 1_795_000_000.0
WEEK, MONTH, ALL = period_keys(NOW)
GUILD, OTHER = 10, 20
ARGUMENT = "Joint history textbooks worked in Europe and could work here too."


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(REPO / "content")


async def finished_debate(db: Database, pack: ContentPack) -> DebateState:
    """A quick debate from lobby to result: members, names, phases, arguments, votes, audit,
    and its announcements left in the outbox."""
    debate_id = await debates.create(db, guild_id=GUILD, channel_id=30,
                                     topic_id="history-versus-interests", format_id="quick",
                                     phase_seconds=60, created_by=1, now=NOW)
    await debates.attach_thread(db, debate_id, 31, now=NOW)
    state = DebateState.new(id=debate_id, guild_id=GUILD, channel_id=30,
                            topic_id="history-versus-interests", format=pack.format("quick"),
                            now=NOW, thread_id=31, phase_seconds=60)
    t = NOW
    await debates.persist(db, state, state.join(101, "pro", t) + state.join(102, "con", t)
                          + state.name_judge(103, t), now=t,
                          names={101: "Alice", 102: "Bob", 103: "Judge"})
    await debates.persist(db, state, state.begin(t), now=t,
                          audit=debates.AuditEntry(1, "begin", "", t))
    await debates.persist(db, state, state.argue(101, ARGUMENT, t + 1), now=t + 1)
    await debates.persist(db, state, state.argue(102, ARGUMENT + " Or not.", t + 2), now=t + 2)
    while not state.is_over:
        t = state.next_wakeup()
        await debates.persist(db, state, state.tick(t), now=t)
        phase = state.current_phase
        if phase is not None and phase.is_vote and not state.votes:
            await debates.persist(db, state, state.vote(201, "con", t) + state.vote(
                202, "con", t) + state.name_best_speaker(201, 101, t)
                + state.cast_ballot(103, "con", t), now=t)
    return state


async def populate(db: Database, pack: ContentPack) -> DebateState:
    await guild_settings.set_moderator_role(db, GUILD, 555)
    state = await finished_debate(db, pack)
    assert state.result is not None
    awards = scoring.debate_awards(
        debate_id=state.id, topic_id=state.topic_id, debaters={101: "pro", 102: "con"},
        arguments=[ArgumentRecord(a.seq, a.user_id, a.phase_id, a.text)
                   for a in state.arguments],
        voters=[201, 202], winner=state.result.outcome, moderators=[1])
    async with EventWriter(db) as writer:
        await writer.log_many([Event.from_award(a, guild_id=GUILD, at=NOW) for a in awards])
        await writer.log_many([
            Event(guild_id=guild, user_id=user, kind=Kind.VOTE_CAST, points=1, at=at,
                  source_key=f"old:{guild}:{user}", debate_id=99, topic_id="trade")
            for guild in (GUILD, OTHER) for user in range(300, 320)
            for at in (NOW - 40 * 86_400,)])
    await privacy.opt_out(db, GUILD, 305, now=NOW)
    choices = await LanguageChoices.load(db)
    await choices.set_server(db, GUILD, "ko")
    await choices.set_member(db, 305, "ja")
    await alerts.set_alerts(db, 102, "off")
    await alerts.set_alerts(db, 101, "dm")
    await reports.add(db, state.id, 2, 101, NOW)
    await debates.set_argument_message(db, state.id, 2, 9_000)
    await reports.set_report_channel(db, GUILD, 777)
    await schedules.add(db, Schedule(id=0, guild_id=GUILD, channel_id=30, topic_id="trade",
                                     format_id="oxford", starts_at=NOW + 86_400,
                                     created_by=1, weekly=True, event_id=888), now=NOW)
    await motions.add(db, GUILD, "This house would open the archives.", None,
                      MotionStatus.APPROVED, 1, now=NOW)
    return state


async def answers(db: Database, pack: ContentPack, debate_id: int) -> list[Any]:
    """The questions the bot asks its storage, answered from `db`."""
    found: list[Any] = []
    for guild in (GUILD, OTHER):
        for period in (WEEK, MONTH, ALL):
            for topic in (None, "trade", "history-versus-interests"):
                found.append(await stats.leaderboard(db, guild, period, topic_id=topic,
                                                     offset=2, limit=5))
        for user in (1, 101, 102, 201, 300, 305, 319):
            found.append(await stats.member_rank(db, guild, ALL, user))
            found.append(await stats.member_stats(db, guild, user, NOW))
    found.append(await debates.load(db, debate_id, pack))
    found.append(await debates.names(db, debate_id))
    found.append(await debates.phases(db, debate_id))
    found.append(await debates.audit_log(db, debate_id))
    found.append(await debates.pending_announcements(db))
    found.append(await guild_settings.moderator_role(db, GUILD))
    found.append(await reports.standing(db, GUILD))
    found.append(await debates.argument_at(db, GUILD, 9_000))
    found.append(await schedules.upcoming(db, GUILD))
    found.append(await motions.approved(db))
    return found


async def table_rows(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    return {table: sorted((tuple(row) for row in await db.fetchall(f"SELECT * FROM {table}")),
                          key=repr) for table in COPY_TABLES}


async def test_a_sqlite_community_moves_to_postgres_whole(tmp_path: Path,
                                                          pack: ContentPack) -> None:
    url = await server_url()
    async with await open_database(tmp_path / "rostrum.sqlite3") as source:
        await source.migrate()
        state = await populate(source, pack)
        counts = await row_counts(source)
        assert all(counts.values()), counts  # every table has something to copy

        async with fresh_schema(url) as schema, \
                await open_database(with_schema(url, schema)) as target:
            report = await copy_database(source, target, batch=7)  # several batches a table
            assert [t.table for t in report.tables] == list(COPY_TABLES)
            assert {t.table: t.rows for t in report.tables} == counts
            assert await row_counts(target) == counts
            assert await table_rows(target) == await table_rows(source)
            assert await answers(target, pack, state.id) == await answers(source, pack,
                                                                          state.id)

            # The copy is a working database: ids go on after the copied ones.
            new_id = await debates.create(target, guild_id=GUILD, channel_id=40,
                                          topic_id="trade", format_id="quick",
                                          phase_seconds=None, created_by=1, now=NOW)
            assert new_id > state.id
            async with EventWriter(target) as writer:
                await writer.log(Event(guild_id=GUILD, user_id=101, kind=Kind.VOTE_CAST,
                                       points=1, at=NOW, source_key="after-copy"))
            top = await stats.leaderboard(target, GUILD, ALL, limit=1)
            assert top.rows[0].user_id == (await stats.leaderboard(source, GUILD, ALL,
                                                                   limit=1)).rows[0].user_id

            # A second copy would mix two communities: refused, unless asked to replace.
            with pytest.raises(CopyError, match="the target is not empty: guild_settings"):
                await copy_database(source, target)
            await copy_database(source, target, force=True)
            assert await table_rows(target) == await table_rows(source)


async def test_the_copy_command(tmp_path: Path, pack: ContentPack) -> None:
    url = await server_url()
    path = tmp_path / "community.sqlite3"
    async with await open_database(path) as source:
        await source.migrate()
        await populate(source, pack)
        counts = await row_counts(source)

    async def cli(*args: str) -> Any:
        return await asyncio.to_thread(run_cli, "db", "copy", *args)

    async with fresh_schema(url) as schema:
        target = with_schema(url, schema)
        done = await cli("--from", f"sqlite:///{path}", "--to", target)
        assert done.returncode == 0, done.stderr
        assert f"participation_events{counts['participation_events']:>16,} rows" in done.stdout
        assert done.stdout.rstrip().endswith("row counts match")

        again = await cli("--from", str(path), "--to", target)
        assert again.returncode == 1
        assert again.stderr.strip().splitlines() == [
            "error: the target is not empty: " + ", ".join(
                f"{table} ({n:,})" for table, n in counts.items())
            + "; pass --force to replace what it holds"]
        forced = await cli("--from", str(path), "--to", target, "--force")
        assert forced.returncode == 0, forced.stderr

    missing = await cli("--from", f"sqlite:///{tmp_path / 'nope.sqlite3'}", "--to", url)
    assert (missing.returncode, missing.stderr.strip()) == (
        2, f"error: --from: there is no SQLite database at {tmp_path / 'nope.sqlite3'}")
    bad = await cli("--from", str(path), "--to", "mysql://root@db/x")
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "error: --to has an unsupported scheme 'mysql://' (use postgresql://… or sqlite:///…)"]
