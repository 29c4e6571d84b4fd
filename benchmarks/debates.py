"""debates: 1,000 concurrent debates, 10 members each, 5-second phases, for a minute.

What runs: the real bot in a child process (`benchmarks.launcher`, through the production
runner) against the emulator in this process, with the real `SystemClock`. The emulator's
rate limits are off here: this measures the bot's own cost (memory, CPU, timers); 200
phase cards a second is four times what one bot token may post, and how many debates a
token sustains is the capacity benchmark's question (so the bot does not pace itself
either: API_BUDGET=off).

How the debates are made: `/moderate start` refuses phases under 10 s, so the debates are
created before the bot starts, through the storage API (`store.create` with
`phase_seconds=5`, `store.attach_thread`, then the ten members join with the engine's own
`DebateState.join`, written by `store.persist`), in threads made in the emulator. The
format is a copy of the content pack with one extra format, `bench-marathon`: eleven
speaking phases and a vote, so twelve 5-second phases make the minute (the pack's own
formats are four to eight phases long). The bot loads them at start-up as it re-arms
debates after a restart; then each guild's moderator begins them with `/moderate next`, 200 a
second, so phase changes are spread over the run (about 200 phase cards a second).

Figures:
- RSS of the bot process, sampled from /proc every 0.25 s (peak), against the same for
  `BareBot` in the same emulator setup (same guilds, channels, threads and members).
- Timer drift: the time each announcement of a deadline (the next phase card, or the vote's
  close at the end) reached the emulator (its message id's timestamp) minus the deadline
  stored in `debate_phases`.
- CPU seconds the bot's process used from the first begin to the last finish.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import sqlite3
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks.child import launch
from benchmarks.common import CONTENT_DIR, TOPICS, scratch
from benchmarks.drive import Lane, at_rate
from benchmarks.procs import Child
from benchmarks.report import Outcome, percentile, verdict
from bot.core.content import load_pack
from bot.storage import debates as store
from bot.storage.opening import open_database
from playground.emulator import Channel, Emulator, Guild, InteractionResult, Member
from playground.model import PUBLIC_THREAD

NAME = "debates"
RATE = 200.0
MANAGE_THREADS = 1 << 34
TARGET_RSS_MB = 150.0
TARGET_DRIFT_MS = 250.0
MARATHON = "bench-marathon"
PHASE_CARD = re.compile(r"^Phase (\d+)/(\d+)")


@dataclass(frozen=True, slots=True)
class Size:
    debates: int
    guilds: int
    members: int          # per debate, all on a side (half pro, half con)
    phase_seconds: int
    format_id: str
    phases: int
    bare_sampling: float  # seconds the bare bot's RSS is sampled for


DEFAULT = Size(debates=1_000, guilds=10, members=10, phase_seconds=5, format_id=MARATHON,
               phases=12, bare_sampling=3.0)
QUICK = Size(debates=10, guilds=1, members=10, phase_seconds=1, format_id="quick", phases=4,
             bare_sampling=0.5)


def content_with_marathon(folder: Path) -> Path:
    """A copy of the content pack with the `bench-marathon` format added."""
    target = folder / "content"
    shutil.copytree(CONTENT_DIR, target)
    formats_file = target / "formats.yaml"
    data = yaml.safe_load(formats_file.read_text("utf-8"))
    speaking = [{"id": f"round-{n}", "title": f"Round {n}", "kind": "speech", "side": "both",
                 "seconds": 10, "max_chars": 1000, "max_posts_per_member": 1}
                for n in range(1, 12)]
    data["formats"].append({
        "id": MARATHON, "title": "Benchmark marathon", "result": "majority",
        "description": "Eleven open rounds and a vote, for the debates benchmark.",
        "phases": [*speaking, {"id": "vote", "title": "Vote", "kind": "vote", "side": "none",
                               "seconds": 10}]})
    formats_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    load_pack(target)  # refuses an invalid pack, as the bot would
    return target


@dataclass
class Debate:
    guild: Guild
    channel: Channel
    thread: Channel
    moderator: Member
    members: list[Member]
    id: int = 0


def build_world(emu: Emulator, size: Size) -> list[Debate]:
    debates: list[Debate] = []
    per_guild = size.debates // size.guilds
    for g in range(size.guilds):
        guild = emu.create_guild(f"Bench {g}")
        mods = guild.create_role("Moderators", permissions=MANAGE_THREADS)
        moderator = guild.create_member(f"mo{g}", roles=[mods])
        for n in range(per_guild):
            channel = guild.create_text_channel(f"debates-{n}")
            thread = Channel(id=emu.snowflake(), guild=guild, name=f"Debate {g}-{n}",
                             type=PUBLIC_THREAD, parent_id=channel.id,
                             owner_id=emu.bot_user.id)
            thread.thread_member_ids.add(emu.bot_user.id)
            guild.channels[thread.id] = thread
            members = [guild.create_member(f"m{g}-{n}-{k}") for k in range(size.members)]
            debates.append(Debate(guild, channel, thread, moderator, members))
    return debates


async def seed(path: Path, content: Path, size: Size, debates: list[Debate]) -> None:
    """Create every debate in its lobby, its members on their sides (storage API)."""
    pack = load_pack(content)
    async with await open_database(path) as db:
        await db.migrate()
        for n, debate in enumerate(debates):
            now = time.time()
            debate.id = await store.create(
                db, guild_id=debate.guild.id, channel_id=debate.channel.id,
                topic_id=TOPICS[n % len(TOPICS)], format_id=size.format_id,
                phase_seconds=size.phase_seconds, created_by=debate.moderator.id, now=now)
            await store.attach_thread(db, debate.id, debate.thread.id)
            state = await store.load(db, debate.id, pack)
            assert state is not None
            effects = [effect for k, member in enumerate(debate.members)
                       for effect in state.join(member.id, ("pro", "con")[k % 2], now)]
            await store.persist(db, state, effects, now=now,
                                names={m.id: m.name for m in debate.members})


async def sample_rss(child: Child, samples: list[float], every: float = 0.25) -> None:
    while child.alive():
        samples.append(child.rss_mb())
        await asyncio.sleep(every)


async def bare_rss(emu: Emulator, debates: list[Debate], size: Size,
                   folder: Path) -> tuple[float, float]:
    """(RSS once up, peak RSS while idle) of BareBot in the same emulator setup, in MB."""
    first = debates[0]
    launched = await launch(emu, "bare", folder / "bare.log",
                            lambda: first.moderator.act().slash("ping", channel=first.channel,
                                                                wait=False))
    try:
        up = launched.child.rss_mb()
        samples: list[float] = []
        sampling = asyncio.create_task(sample_rss(launched.child, samples))
        await asyncio.sleep(size.bare_sampling)
        sampling.cancel()
        return up, max([up, *samples, launched.child.peak_rss_mb()])
    finally:
        launched.child.stop()


def all_cards_posted(emu: Emulator, debate: Debate, phases: int) -> bool:
    """The last phase card is there, and something was posted after it (its vote closed)."""
    posted = [m for m in emu.messages(debate.thread) if not m.ephemeral]
    cards = [i for i, m in enumerate(posted)
             if m.embeds and PHASE_CARD.match(m.embeds[0].get("title") or "")]
    return len(cards) == phases and cards[-1] < len(posted) - 1


def drift(emu: Emulator, debates: list[Debate], db_path: Path) -> list[float]:
    """Seconds from each stored deadline to the announcement that followed it."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        deadlines = {(row[0], row[1]): row[2] for row in conn.execute(
            "SELECT debate_id, phase_index, deadline FROM debate_phases")}
    finally:
        conn.close()
    found = []
    for debate in debates:
        posted = [m for m in emu.messages(debate.thread) if not m.ephemeral]
        for i, message in enumerate(posted[:-1]):
            match = PHASE_CARD.match((message.embeds or [{}])[0].get("title") or "")
            deadline = deadlines.get((debate.id, int(match[1]) - 1)) if match else None
            if deadline is not None:
                found.append(posted[i + 1].created_at - deadline)
    return found


@dataclass(frozen=True, slots=True)
class Found:
    bare_up: float
    bare_peak: float
    up: float
    peak: float
    cpu: float
    window: float
    drift: list[float]
    begins: list[float]
    unanswered: int
    finished: int


async def _measure(size: Size, folder: Path) -> Found:
    content = content_with_marathon(folder)
    db_path = folder / "rostrum.sqlite3"
    async with Emulator(set_endpoints=False, rate_limits=False) as emu:
        debates = build_world(emu, size)
        await seed(db_path, content, size, debates)
        bare_up, bare_peak = await bare_rss(emu, debates, size, folder)
        first = debates[0]
        env = {"DATABASE_PATH": str(db_path), "CONTENT_DIR": str(content),
               "API_BUDGET": "off"}  # unlimited, as the emulator is here
        launched = await launch(
            emu, "rostrum", folder / "rostrum.log",
            lambda: first.moderator.act().slash("sections", channel=first.channel, wait=False),
            env=env, timeout=120)
        child = launched.child
        try:
            up = child.rss_mb()
            samples: list[float] = []
            sampling = asyncio.create_task(sample_rss(child, samples))
            cpu_before, started = child.cpu_seconds(), time.monotonic()

            def begin(n: int) -> Awaitable[InteractionResult]:
                d = debates[n]
                return d.moderator.act().slash("moderate next", channel=d.thread, wait=False)

            [begins] = await at_rate([Lane(emu, begin)], size.debates, RATE, settle=10)
            expected = size.phases * size.phase_seconds + size.debates / RATE
            with contextlib.suppress(TimeoutError):  # reported below: debates not finished
                await emu.wait_for(lambda: all(all_cards_posted(emu, d, size.phases)
                                               for d in debates),
                                   timeout=expected + 60)
            cpu, window = child.cpu_seconds() - cpu_before, time.monotonic() - started
            sampling.cancel()
            peak = max([up, *samples, child.peak_rss_mb()])
            finished = sum(1 for d in debates if all_cards_posted(emu, d, size.phases))
        finally:
            child.stop()
        return Found(bare_up, bare_peak, up, peak, cpu, window, drift(emu, debates, db_path),
                     begins.latencies, begins.unanswered, finished)


def run(quick: bool = False) -> Outcome:
    size = QUICK if quick else DEFAULT
    with scratch(NAME) as folder:
        found = asyncio.run(_measure(size, folder))
    ratio = found.peak / found.bare_peak
    p99 = percentile(found.drift, 99) * 1e3 if found.drift else float("nan")
    outcome = Outcome(NAME, found.peak, "MB peak RSS", ratio,
                      headers=("measure", "Rostrum", "baseline (BareBot)", "ratio", "target"))
    outcome.add("RSS peak (MB)", found.peak, found.bare_peak, ratio,
                f"≤ {TARGET_RSS_MB:.0f} MB ({verdict(found.peak <= TARGET_RSS_MB)})")
    outcome.add("RSS once up (MB)", found.up, found.bare_up, found.up / found.bare_up, "")
    outcome.add("timer drift p50 (ms)", percentile(found.drift, 50) * 1e3 if found.drift
                else float("nan"), "-", "-", "")
    outcome.add("timer drift p99 (ms)", p99, "-", "-",
                f"≤ {TARGET_DRIFT_MS:.0f} ms ({verdict(p99 <= TARGET_DRIFT_MS)})")
    outcome.add("timer drift max (ms)", max(found.drift) * 1e3 if found.drift
                else float("nan"), "-", "-", "")
    outcome.add("CPU seconds (whole run)", found.cpu, "-", "-",
                f"{found.cpu / found.window:.0%} of one core over {found.window:.0f} s")
    outcome.add("/moderate next (begin) p99 (ms)", percentile(found.begins, 99) * 1e3, "-", "-",
                f"{found.unanswered} unanswered")
    outcome.notes.append(
        f"{size.debates:,} debates in {size.guilds} guilds, {size.members} members each, "
        f"{size.phases} phases of {size.phase_seconds} s ({size.format_id}); "
        f"{found.finished:,} finished; {len(found.drift):,} deadlines measured")
    outcome.notes.append("RSS read from /proc/<pid> of each bot's own process (VmRSS sampled "
                         "every 0.25 s, and VmHWM); ratio = Rostrum peak / BareBot peak")
    outcome.notes.append(f"debates created through the storage API with phase_seconds="
                         f"{size.phase_seconds} (/moderate start refuses < 10 s), begun with "
                         "/moderate next")
    return outcome
