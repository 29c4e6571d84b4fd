"""budget: the Discord API calls one debate costs, per format, counted at the emulator.

Each format is played once, start to result, the way members play it: the moderator starts
it with /moderate start (phases 60 s), two debaters join with the lobby buttons, the
moderator begins with the button, every debater allowed to speak posts one argument
through the form in each speech phase, three audience members vote with the phase card's
buttons, and the clock moves on when a phase is done. The bot runs in this process on a
test clock, so a debate takes a second, not half an hour.

Counted from the start command to the result card (the emulator's own request log):
*rate-limited* calls need the bot token and count against its 50-a-second budget and the
channels' buckets; *exempt* calls are interaction callbacks and interaction webhooks.
The emulator's rate limits are off here: a 429 would add a retry, and this counts what the
bot asks for, not how Discord paces it.

Baseline: the same debates with the lean posting switched off (every argument, warning and
vote-closed card as its own thread post, lobby updates as message edits), as Rostrum posted
before; ratio = lean / baseline for the quick round.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import discord

from benchmarks.common import CONTENT_DIR, scratch
from benchmarks.report import Outcome, verdict
from bot.app import Rostrum
from bot.config import Settings
from bot.core.clock import FakeClock
from bot.core.content import Format, load_library
from playground.emulator import Channel, Emulator, Guild, Member, Message
from playground.ratelimits import EXEMPT_PREFIXES

NAME = "budget"
CLOSE_ROUTE = "PATCH /channels/{channel_id}"  # locks and archives the thread once it is over
TOPIC = "history-versus-interests"
PHASE_SECONDS = 60
ARGUMENT = ("Trust between neighbours rests on an honest account of the past, and on "
            "keeping the promises made since; both sides gain from saying so plainly.")
MANAGE_THREADS = discord.Permissions(manage_threads=True).value
TARGET = 0.5  # at most half the calls of posting everything


@dataclass(frozen=True, slots=True)
class Count:
    limited: Counter[str]
    exempt: int
    closing: int = 0  # after the result card: locking and archiving the thread

    @property
    def total_limited(self) -> int:
        return sum(self.limited.values())


@dataclass
class Table:
    guild: Guild
    channel: Channel
    mo: Member
    pro: Member
    con: Member
    audience: list[Member]


def _table(emu: Emulator, name: str) -> Table:
    guild = emu.create_guild(name)
    role = guild.create_role("Moderators", permissions=MANAGE_THREADS)
    return Table(guild, guild.create_text_channel("debates"),
                 guild.create_member("mo", roles=[role]), guild.create_member("pro"),
                 guild.create_member("con"), [guild.create_member(f"a{n}") for n in range(3)])


def _button(message: Message, action: str) -> str:
    for row in message.components:
        for component in row["components"]:
            custom_id = str(component.get("custom_id", ""))
            if custom_id.endswith(f":{action}"):
                return custom_id
    raise LookupError(f"no {action} button on message {message.id}")


def _has_button(action: str) -> Callable[[Message], bool]:
    def found(message: Message) -> bool:
        return any(str(c.get("custom_id", "")).endswith(f":{action}")
                   for row in message.components for c in row["components"])
    return found


async def _play(emu: Emulator, clock: FakeClock, table: Table, fmt: Format) -> Count:
    first = len(emu.requests)
    r = await table.mo.act().slash("moderate start", channel=table.channel, topic=TOPIC,
                                   format=fmt.id, phase_seconds=PHASE_SECONDS)
    await r.wait_done(timeout=10)
    thread = await emu.wait_for(lambda: next(iter(emu.threads(table.channel)[-1:]), None))
    lobby = await emu.wait_for_message(thread, lambda m: bool(m.components))
    for member, side in ((table.pro, "pro"), (table.con, "con")):
        await member.act().click(lobby, _button(lobby, f"join-{side}"))
    await table.mo.act().click(lobby, _button(lobby, "begin"))
    for index, phase in enumerate(fmt.phases):
        card = await emu.wait_for_message(thread, _has_button(f"show-phase-{index}"))
        if phase.is_vote:
            for n, member in enumerate(table.audience):
                await member.act().click(card, _button(card, ("vote-pro", "vote-con")[n % 2]))
        else:
            for member, side in ((table.pro, "pro"), (table.con, "con")):
                if phase.allows_side(side):
                    form = await member.act().click(card, _button(card, "argue"))
                    await member.act().submit_modal(form, {"argument": ARGUMENT})
        await asyncio.sleep(0.05)  # let the posts of this phase go out before it ends
        clock.advance(PHASE_SECONDS)
    await emu.wait_for_message(thread, _has_button("show-result"), timeout=10)
    await asyncio.sleep(0.2)  # anything still going out belongs to this debate
    await emu.wait_for(lambda: thread.archived, description="the thread closed")
    limited: Counter[str] = Counter()
    exempt = closing = 0
    for record in emu.requests[first:]:
        if not record.route.startswith(("GET ", "POST ", "PATCH ", "PUT ", "DELETE ")):
            continue
        if record.route.startswith(EXEMPT_PREFIXES):
            exempt += 1
        elif record.route == CLOSE_ROUTE:
            closing += 1
        elif record.path.startswith("/api/"):
            limited[record.route] += 1
    return Count(limited, exempt, closing)


async def _measure(folder: Path, lean: bool) -> dict[str, Count]:
    formats = load_library(CONTENT_DIR).formats
    clock = FakeClock(1_800_000_000.0)
    counts = {}
    async with Emulator(rate_limits=False) as emu:
        tables = {fmt.id: _table(emu, fmt.id) for fmt in formats}
        settings = Settings(discord_token=None, database_path=folder / f"budget-{lean}.sqlite3",
                            content_dir=CONTENT_DIR, dev_guild_id=None, log_level="WARNING")
        bot = Rostrum(settings, clock=clock, lean_posts=lean)
        await emu.start_client(bot)
        try:
            for fmt in formats:
                counts[fmt.id] = await _play(emu, clock, tables[fmt.id], fmt)
        finally:
            await emu.stop_client(bot)
    return counts


def _routes(count: Count) -> str:
    short = {"POST /channels/{channel_id}/messages": "post",
             "PATCH /channels/{channel_id}/messages/{message_id}": "edit",
             "POST /channels/{channel_id}/messages/{message_id}/threads": "thread"}
    posts = [f"{n} {short.get(route, route)}" for route, n in count.limited.most_common()]
    return ", ".join(posts) + (f" (+{count.closing} close)" if count.closing else "")


def run(quick: bool = False) -> Outcome:
    with scratch("rostrum-budget-") as folder:
        lean = asyncio.run(_measure(folder, lean=True))
        naive = asyncio.run(_measure(folder, lean=False))
    quick_ratio = lean["quick"].total_limited / max(1, naive["quick"].total_limited)
    outcome = Outcome(NAME, lean["quick"].total_limited, "rate-limited calls per quick debate",
                      quick_ratio, headers=("format", "rate-limited", "baseline", "ratio",
                                            "exempt", "what", "target"))
    for fmt_id in lean:
        ours, base = lean[fmt_id], naive[fmt_id]
        ratio = ours.total_limited / max(1, base.total_limited)
        outcome.add(fmt_id, f"{ours.total_limited}", f"{base.total_limited}", ratio,
                    f"{ours.exempt}", _routes(ours),
                    f"≤ {TARGET}× ({verdict(ratio <= TARGET)})")
    outcome.notes.append(
        "one debate per format: 2 debaters, 3 voters, one argument per allowed debater per "
        f"speech phase, {PHASE_SECONDS} s phases; counted at the emulator from /moderate "
        "start to the result card")
    outcome.notes.append("close: the PATCH that locks and archives the thread after the "
                         "result card, the same in both; not in the counts or ratios")
    outcome.notes.append("baseline: the same with lean posting off (arguments, warnings and "
                         "vote-closed cards posted to the thread, lobby updates as edits)")
    return outcome

