"""Two bot processes, SHARD_IDS=0 and SHARD_IDS=1 of SHARD_COUNT=2, one shared database.

Each process is the real Rostrum (`python -m playground.child`, settings from the
environment as for `python -m bot run`) connected to the emulator in this process. A guild
on each shard runs a quick debate to its result; each process answers only its own guild,
drives only its own debate, and after a restart re-arms exactly its own; one leaderboard in
the shared database keeps each guild's members apart.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path

from bot.core.sharding import shard_for
from playground.emulator import Channel, Emulator, Guild, Member, Message, User
from tests.e2e.world import MANAGE_THREADS
from tests.reliability.processes import PATIENCE, Child, spawn_bot

PHASE = 10  # seconds, the shortest phase /moderate start allows: the vote ends by the timer
SUBSTANTIVE = "Trust between neighbours rests on an honest account of the past, always."
BOARD_LINE = re.compile(r"^\S+ (.+?) — \*\*(\d+) pts?\*\*", re.MULTILINE)
LOGGED_ERROR = re.compile(r"ERROR {2}|CRITICAL |Traceback")  # a padded level name, a trace


@dataclass
class Community:
    """A guild on one shard: a moderator, a debater a side, three voters."""

    shard: int
    guild: Guild
    channel: Channel
    mod: Member
    pro: Member
    con: Member
    voters: list[Member]

    @property
    def everyone(self) -> list[Member]:
        return [self.mod, self.pro, self.con, *self.voters]


def community(emu: Emulator, shard: int, prefix: str, both_guilds: User) -> Community:
    guild = emu.create_guild(f"Shard {shard} community", shard=(shard, 2))
    mods = guild.create_role("Moderators", permissions=MANAGE_THREADS)
    return Community(
        shard=shard, guild=guild, channel=guild.create_text_channel("debates"),
        mod=guild.create_member(f"{prefix}-mod", roles=[mods]),
        pro=guild.create_member(f"{prefix}-pro"), con=guild.create_member(f"{prefix}-con"),
        voters=[guild.create_member(f"{prefix}-voter1"), guild.create_member(f"{prefix}-voter2"),
                guild.add_member(both_guilds)],  # one member of both guilds
    )


@dataclass
class Debate:
    id: int
    thread: Channel
    lobby: Message


def titles(emu: Emulator, thread: Channel) -> list[str]:
    return [e.get("title") or "" for m in emu.messages(thread) if not m.ephemeral
            for e in m.embeds]


async def card(emu: Emulator, thread: Channel, part: str) -> Message:
    return await emu.wait_for_message(
        thread, lambda m: not m.ephemeral and any(part in (e.get("title") or "")
                                                  for e in m.embeds), timeout=PATIENCE)


async def start_debate(emu: Emulator, c: Community) -> Debate:
    r = await c.mod.act().slash("moderate start", channel=c.channel, timeout=PATIENCE,
                                topic="history-versus-interests", format="quick",
                                phase_seconds=PHASE)
    await r.wait_done(timeout=PATIENCE)
    thread = await emu.wait_for(lambda: next(iter(emu.threads(c.channel)), None),
                                timeout=PATIENCE, description="the debate's thread")
    lobby = await emu.wait_for_message(thread, lambda m: bool(m.components), timeout=PATIENCE)
    debate_id = int(lobby.components[0]["components"][0]["custom_id"].split(":")[1])
    return Debate(debate_id, thread, lobby)


async def run_to_result(emu: Emulator, c: Community, d: Debate) -> Message:
    """Sides, an argument each, the moderator moves to the vote; the timer closes it."""
    for member, side in ((c.pro, "pro"), (c.con, "con")):
        joined = await member.act().click(d.lobby, f"deb:{d.id}:join-{side}", timeout=PATIENCE)
        assert (await joined.private_reply(timeout=PATIENCE)).startswith("You joined")
    await c.mod.act().slash("moderate next", channel=d.thread, timeout=PATIENCE)
    await card(emu, d.thread, "Phase 1/4")
    for member, words in ((c.pro, SUBSTANTIVE), (c.con, "No.")):
        argued = await member.act().slash("debate argue", channel=d.thread, text=words,
                                          timeout=PATIENCE)
        assert (await argued.private_reply(timeout=PATIENCE)).startswith("Posted as argument")
    for phase in ("Phase 2/4", "Phase 3/4", "Phase 4/4"):
        await c.mod.act().slash("moderate next", channel=d.thread, timeout=PATIENCE)
        vote = await card(emu, d.thread, phase)
    for voter, side in zip(c.voters, ("pro", "pro", "con"), strict=True):
        voted = await voter.act().click(vote, f"deb:{d.id}:vote-{side}", timeout=PATIENCE)
        assert voted.content.startswith("Vote recorded"), voted.content
    return await card(emu, d.thread, "wins")  # posted when the vote phase's timer ends


async def board(c: Community, asker: Member) -> dict[str, int]:
    """The all-time leaderboard as `asker` sees it in `c`'s guild: member name -> points."""
    r = await asker.act().slash("leaderboard", channel=c.channel, period="all",
                                timeout=PATIENCE)
    return {name.replace("\\", ""): int(points) for name, points in BOARD_LINE.findall(
        r.embeds[0]["description"])}


async def test_two_sharded_processes_share_one_database(
        emulator: Emulator, shared_database: dict[str, str], tmp_path: Path) -> None:
    emu = emulator
    both = User(id=emu.snowflake(), username="hana")  # a member of both guilds
    emu.users[both.id] = both
    zero, one = community(emu, 0, "ana", both), community(emu, 1, "bo", both)
    assert [shard_for(c.guild.id, 2) for c in (zero, one)] == [0, 1]

    # One token, two processes: the token has 4 rate-limited calls a second; API_BUDGET=3
    # leaves a margin for requests that reach Discord late, and each process paces itself
    # to its share (1.5 a second).
    emu.rate_limits.global_limit = 4

    def spawn(c: Community, run: int) -> asyncio.Task[Child]:
        return asyncio.ensure_future(spawn_bot(
            emu, tmp_path / "unused.sqlite3", tmp_path / f"shard-{c.shard}-{run}.log",
            SHARD_COUNT="2", SHARD_IDS=str(c.shard), API_BUDGET="3", **shared_database))

    # Both start together on a new database (both migrate it; one applies each migration).
    children = list(await asyncio.gather(spawn(zero, 1), spawn(one, 1)))
    runs = [[children[0]], [children[1]]]  # every process each shard had, for their logs
    try:
        for c, child in zip((zero, one), children, strict=True):
            assert f"running shard {c.shard} of 2" in child.log
            assert "API budget: 1.5 rate-limited requests/s for this process" in child.log
        # Only shard 0's process looks at the slash commands.
        assert "slash commands: left to the process running shard 0" in children[1].log
        assert "slash commands: left to" not in children[0].log
        debates = await asyncio.gather(start_debate(emu, zero), start_debate(emu, one))
        assert debates[0].id != debates[1].id

        # Restart shard 1's process: of the two live debates it re-arms only its own.
        children[1].terminate()
        assert await children[1].exit_code() == 0
        children[1] = await spawn(one, 2)
        runs[1].append(children[1])
        assert "re-armed 1 live debate(s)" in children[1].log

        results = await asyncio.gather(run_to_result(emu, zero, debates[0]),
                                       run_to_result(emu, one, debates[1]))
        for d, result in zip(debates, results, strict=True):
            assert "Pro wins" in (result.embeds[0].get("title") or ""), result.embeds[0]
            shown = titles(emu, d.thread)
            # One process drove each debate: every card exactly once.
            assert sum("Phase 1/4" in t for t in shown) == 1
            assert sum("wins" in t for t in shown) == 1, shown

        # Each process answered only its own guild, and scored only its own debate.
        for child, d in zip(children, debates, strict=True):
            await child.wait_log(f"debate {d.id} finished:")
        for mine, theirs in ((0, 1), (1, 0)):
            log = "".join(child.log for child in runs[mine])
            guild, other = (zero, one)[mine].guild.id, (zero, one)[theirs].guild.id
            assert f"in guild {guild}" in log and f"in guild {other}" not in log
            assert f"debate {debates[theirs].id} finished:" not in log

        # Together they stayed under the token's limit: not one global 429.
        assert [r for r in emu.rate_limits.refused if r[1] == "global"] == []

        # One shared leaderboard, each guild's members apart, points as in the rules:
        # pro 1 join + 3 argument + 5 win; moderator 2; con 1 join; each voter 1 (hana
        # voted in both guilds: 1 point in each, never 2 in either).
        for c in (zero, one):
            expected = {c.pro.name: 9, c.mod.name: 2, c.con.name: 1,
                        **{voter.name: 1 for voter in c.voters}}
            assert await board(c, c.con) == expected
    finally:
        for child in children:
            child.terminate()
        codes = await asyncio.gather(*(child.exit_code() for child in children),
                                     return_exceptions=True)
        for child in children:
            await child.stop()
    assert codes == [0, 0], [child.log[-2000:] for child in children]
    for child in (*runs[0], *runs[1]):
        assert not LOGGED_ERROR.search(child.log), child.log[-3000:]
