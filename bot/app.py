"""The Rostrum bot: one object that owns the settings, the content pack and the storage."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import gc
import logging
import signal
from collections import deque
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.charts import warm as warm_chart_fonts
from bot.command_sync import trees_differ
from bot.config import Settings
from bot.core.clock import Clock, SystemClock
from bot.core.content import ContentPack, Topic, load_library
from bot.core.motions import Motion
from bot.core.sharding import Ownership
from bot.errors import handle_interaction_error, reader_say_or_english
from bot.i18n.commands import CatalogTranslator
from bot.pacer import Pacer, install
from bot.storage import motions as motion_store
from bot.storage.db import Database
from bot.storage.event_writer import EventWriter
from bot.storage.languages import LanguageChoices
from bot.storage.opening import open_database
from bot.ui.failures import restarting
from bot.ui.text import escape_user_text
from bot.web.server import PublicPages

log = logging.getLogger(__name__)
#: How long a stop waits for interactions already being handled.
DRAIN_SECONDS = 10.0
#: How long Discord waits for an interaction's first answer.
ANSWER_WINDOW = datetime.timedelta(seconds=3)
#: The names discord.py gives the tasks that run interaction handlers.
INTERACTION_TASKS = ("CommandTree-invoker", "discord-ui-view-dispatch-",
                     "discord-ui-dynamic-item-", "discord-ui-modal-dispatch-",
                     "discord.py: on_interaction")

EXTENSIONS: tuple[str, ...] = (
    "bot.cogs.reading",
    "bot.cogs.admin",
    "bot.cogs.debates",
    "bot.cogs.standings",
)


class RostrumTree(app_commands.CommandTree):
    """Every failed slash command is answered (ephemerally) and logged with its traceback."""

    async def on_error(self, interaction: discord.Interaction,
                       error: app_commands.AppCommandError) -> None:
        await handle_interaction_error(interaction, error)


class Rostrum(commands.Bot):
    """The bot over a single gateway connection (no SHARD_COUNT); see `create_bot`."""

    def __init__(self, settings: Settings, *, content: ContentPack | None = None,
                 clock: Clock | None = None, lean_posts: bool = True,
                 charts: bool = True, **options: Any) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            # Guilds only: Rostrum answers interactions and never reads messages, reactions or
            # typing; their gateway events (its own posts echoed back, hundreds a second with
            # many debates) were a tenth of its CPU in the debates benchmark.
            intents=discord.Intents(guilds=True),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=RostrumTree,
            # A route wait over 30 s (discord.py's minimum) raises RateLimited instead of
            # holding a task: the outbox keeps the post and tries again.
            max_ratelimit_timeout=30.0,
            **options,
        )
        self.settings = settings
        #: Spend as few rate-limited calls as Discord allows (arguments as the answer to their
        #: own interaction, lobby updates in the button's answer, no vote-closed or warning
        #: posts the cards already show). Off only to measure what it saves (benchmarks).
        self.lean_posts = lean_posts
        #: Charts as pictures on Oxford result cards and /stats. Off only to measure what
        #: they cost (benchmarks).
        self.charts = charts
        #: The guilds whose debates this process drives (all of them unless sharded).
        self.ownership: Ownership = settings.ownership
        self.clock: Clock = clock or SystemClock()
        self._content = content
        self._db: Database | None = None
        self._events: EventWriter | None = None
        #: The queue in front of every rate-limited Discord call, login included (None with
        #: API_BUDGET=off).
        budget = settings.process_budget
        self.pacer: Pacer | None = Pacer(budget) if budget is not None else None
        if self.pacer is not None:
            install(self.http, self.pacer)
        #: Set once a stop signal came: new interactions are turned away (`begin_draining`).
        self.draining = False
        #: Interactions that may still be waiting for a first answer (a shutdown answers
        #: them); answered ones are let go at once, so the collector has little to scan.
        self._recent: deque[discord.Interaction] = deque(maxlen=1000)
        self._refusals: set[asyncio.Task[None]] = set()
        #: Languages chosen with /settings language and /language (loaded in setup_hook).
        self.language_choices = LanguageChoices()
        #: Servers' approved motions as topics, by id "motion:<n>" (loaded in setup_hook;
        #: the content pack finds topics here too).
        self.motions: dict[str, Topic] = {}
        self.motion_guilds: dict[str, int] = {}
        #: The public pages (WEB_PORT), when served.
        self.pages: PublicPages | None = None
        self._warm_charts: asyncio.Future[None] | None = None

    @property
    def content(self) -> ContentPack:
        if self._content is None:
            raise RuntimeError("content is loaded in setup_hook")
        return self._content

    @content.setter
    def content(self, pack: ContentPack) -> None:
        self._content = pack.with_extra(self.motions)

    def keep_motion(self, motion: Motion) -> None:
        """An approved motion of a server, from now on a topic its debates can be about."""
        self.motions[motion.topic_id] = motion.as_topic(escape_user_text)
        self.motion_guilds[motion.topic_id] = motion.guild_id

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("the database is opened in setup_hook")
        return self._db

    @property
    def events(self) -> EventWriter:
        """The participation log's writer (group commit)."""
        if self._events is None:
            raise RuntimeError("the event writer starts in setup_hook")
        return self._events

    async def setup_hook(self) -> None:
        if self.settings.process_budget is None:
            log.info("API budget: off (not paced)")
        else:
            log.info("API budget: %g rate-limited requests/s for this process",
                     self.settings.process_budget)
        if self._content is None:
            self._content = load_library(self.settings.content_dir)  # ContentError stops startup
        self._content = self._content.with_extra(self.motions)
        log.info("content pack: %s", self._content.summary_line())
        log.info("running %s", self.ownership.describe())
        self._db = await open_database(self.settings.database_target)
        applied = await self._db.migrate()
        if applied:
            log.info("applied %d migration(s)", len(applied))
        self._events = EventWriter(self._db)
        self._events.start()
        self.language_choices = await LanguageChoices.load(self._db)
        for motion in await motion_store.approved(self._db):
            self.keep_motion(motion)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.tree.translator is None:  # a test may bring its own
            await self.tree.set_translator(CatalogTranslator())
        if self.charts:  # load the chart font now, in a thread, not in the first result card
            self._warm_charts = asyncio.get_running_loop().run_in_executor(None, warm_chart_fonts)
        if self.settings.web_port is not None:
            self.pages = PublicPages(self)
            await self.pages.start(self.settings.web_host, self.settings.web_port)
        if self.ownership.syncs_commands:
            await self.sync_commands()
        else:
            log.info("slash commands: left to the process running shard 0")

    async def sync_commands(self) -> None:
        """Sync the command tree when it differs from what Discord has (sync is rate limited).

        The commands belong to the application, not to a shard: of a sharded bot's
        processes only the one running shard 0 checks them at start (the others would spend
        the token's budget on the same answer), and the comparison makes it idempotent.
        """
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        commands = self.tree.get_commands(guild=guild)
        translator = self.tree.translator
        local = [await command.get_translated_payload(self.tree, translator) if translator
                 else command.to_dict(self.tree) for command in commands]
        remote = await self._stored_commands(guild)
        if not trees_differ(local, remote):
            log.info("slash commands already up to date (%d)", len(local))
            return
        synced = await self.tree.sync(guild=guild)
        log.info("synced %d slash commands %s", len(synced),
                 f"to guild {guild.id}" if guild else "globally")

    async def _stored_commands(self, guild: discord.abc.Snowflake | None) -> list[Any]:
        """The command tree as Discord stores it: the raw payloads, every field kept."""
        application_id = self.application_id
        assert application_id is not None, "the application id is known once logged in"
        if guild is None:
            return list(await self.http.get_global_commands(application_id))
        return list(await self.http.get_guild_commands(application_id, guild.id))

    async def close(self) -> None:
        try:
            if self.pages is not None:
                await self.pages.stop()
            await super().close()  # unloads cogs: debate timers stop first
        finally:
            if self.pacer is not None:
                self.pacer.close()
            if self._events is not None:
                await self._events.close()  # drains: nothing queued is dropped
            if self._db is not None:
                await self._db.close()

    # ------------------------------------------------------------------ stopping

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Every interaction as it arrives (the same object its handler answers): kept so
        a shutdown can tell who is still waiting for an answer. Holding a thousand answered
        ones made the garbage collector's pauses the slowest answers (p99 x3 in the
        interactions benchmark), so those answered or past Discord's 3 s go first."""
        recent, answerable = self._recent, discord.utils.utcnow() - ANSWER_WINDOW
        while recent and (recent[0].response.is_done() or recent[0].created_at < answerable):
            recent.popleft()
        recent.append(interaction)

    def begin_draining(self) -> None:
        """Stop taking new work: from now on every new interaction is told, privately, that
        Rostrum is restarting (work already started carries on)."""
        if self.draining:
            return
        self.draining = True
        parsers = self._connection.parsers

        def refuse(data: Any) -> None:
            interaction = discord.Interaction(data=data, state=self._connection)
            task = asyncio.create_task(_tell_restarting(interaction),
                                       name="rostrum-restarting")
            self._refusals.add(task)
            task.add_done_callback(self._refusals.discard)

        parsers["INTERACTION_CREATE"] = refuse

    async def drain(self, timeout: float = DRAIN_SECONDS) -> int:  # noqa: ASYNC109 - bounded on purpose
        """Let interactions already being handled finish (at most `timeout` seconds); those
        still unanswered then are told Rostrum is restarting. Returns how many were cut off."""
        self.begin_draining()
        busy = [t for t in asyncio.all_tasks() if t.get_name().startswith(INTERACTION_TASKS)
                and t is not asyncio.current_task()]
        if busy:
            log.info("waiting for %d interaction(s) in progress", len(busy))
            await asyncio.wait(busy, timeout=timeout)
        # Discord takes a first answer for 3 s: later, nobody is waiting for one any more.
        answerable = discord.utils.utcnow() - ANSWER_WINDOW
        cut = [i for i in self._recent
               if not i.response.is_done() and i.created_at > answerable]
        await asyncio.gather(*(_tell_restarting(i) for i in cut), *self._refusals,
                             return_exceptions=True)
        return len(cut)

    async def on_ready(self) -> None:
        assert self.user is not None
        log.info("ready as %s (%s) in %d guild(s)", self.user, self.user.id, len(self.guilds))


class ShardedRostrum(Rostrum, commands.AutoShardedBot):
    """Rostrum over the shards SHARD_IDS of SHARD_COUNT (discord.py's AutoShardedBot).

    The method order puts Rostrum first and AutoShardedClient before Client, so Rostrum's
    hooks run unchanged over one connection per shard. Several processes with disjoint
    SHARD_IDS share one database; each drives only its own guilds' debates.
    """

    def __init__(self, settings: Settings, **options: Any) -> None:
        if settings.shard_count is None:
            raise ValueError("ShardedRostrum needs SHARD_COUNT")
        shard_ids = None if settings.shard_ids is None else list(settings.shard_ids)
        super().__init__(settings, shard_count=settings.shard_count, shard_ids=shard_ids,
                         **options)


def create_bot(settings: Settings, *, content: ContentPack | None = None,
               clock: Clock | None = None, **options: Any) -> Rostrum:
    """The bot the settings ask for: sharded when SHARD_COUNT is set, else as always."""
    if settings.api_base is not None:  # a rate-limit proxy in front of Discord's REST API
        discord.http.Route.BASE = settings.api_base
    cls = Rostrum if settings.shard_count is None else ShardedRostrum
    return cls(settings, content=content, clock=clock, **options)


async def _tell_restarting(interaction: discord.Interaction) -> None:
    """Answer an interaction Rostrum will not handle: privately, in the member's language
    (autocomplete gets no choices)."""
    try:
        if interaction.type is discord.InteractionType.autocomplete:
            await interaction.response.autocomplete([])
            return
        await interaction.response.send_message(restarting(reader_say_or_english(interaction)),
                                                ephemeral=True)
    except (discord.HTTPException, discord.InteractionResponded, aiohttp.ClientError):
        log.warning("could not tell interaction %s that Rostrum is restarting", interaction.id)


async def _freeze_when_ready(bot: Rostrum) -> None:
    """Once the bot is up, keep what it has loaded out of the garbage collector's full scans.

    The content pack, modules and guild caches live as long as the process; scanning them on
    every full collection stalled the event loop for up to ~50 ms, the slowest answers of the
    interactions benchmark. Frozen objects are still freed when their last reference goes.
    """
    await bot.wait_until_ready()
    gc.collect()
    gc.freeze()


async def run_until_stopped(bot: Rostrum, token: str) -> None:
    """Run `bot` until its connection ends for good, or SIGTERM / SIGINT arrives.

    Either way the bot closes cleanly: debate timers stop, the event writer commits
    everything queued (so every event whose `log()` was waiting is written), the database is
    closed and the gateway is closed with code 1000. Exceptions from `start` (a rejected
    token, an unreachable Discord) propagate after the clean-up.
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGTERM, signal.SIGINT)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        async with bot:
            running = asyncio.create_task(bot.start(token), name="rostrum-start")
            stopping = asyncio.create_task(stop.wait(), name="rostrum-stop-signal")
            settled = asyncio.create_task(_freeze_when_ready(bot), name="rostrum-gc-freeze")
            await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            settled.cancel()
            if not running.done():
                log.info("stop signal received: finishing what is in progress")
                cut = await bot.drain()
                log.info("closing (%d interaction(s) cut off and told so)", cut)
                await bot.close()
            await running
    finally:
        for sig in signals:
            with contextlib.suppress(ValueError, RuntimeError):
                loop.remove_signal_handler(sig)
