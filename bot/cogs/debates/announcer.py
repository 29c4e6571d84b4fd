"""Posts a debate's pending announcements (the outbox) into its thread, in order, once.

The debate service's `Announcements` port: the service reaches Discord only through it."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot.cogs.debates.components import (
    RESULT_ACTIONS,
    SpeakerSelect,
    debate_view,
    lobby_actions,
    phase_actions,
)
from bot.core.content import Phase, Topic
from bot.core.debate import DebateState
from bot.core.results import Result, Tally
from bot.keyed_locks import KeyedLocks
from bot.pacer import Priority, prepaid, priority
from bot.storage import alerts
from bot.storage import debates as store
from bot.ui import debate_cards as cards
from bot.ui import pictures, text
from bot.ui.voice import Voice, voice_in

if TYPE_CHECKING:
    from bot.app import Rostrum

log = logging.getLogger(__name__)
RETRY_SECONDS = 5.0
#: Failures that say nothing about our code: Discord's 5xx, a rate limit discord.py would not
#: wait out, a dropped or timed-out connection. Retried quietly (a warning, no traceback).
TRANSIENT: tuple[type[BaseException], ...] = (
    discord.DiscordServerError, discord.RateLimited, aiohttp.ClientError, TimeoutError,
    ConnectionError)
#: Answers a rate-limit proxy gives for Discord (nirn-proxy's own 429s carry no `Via`, so
#: discord.py raises them as plain HTTPExceptions), and a timed-out proxied request.
TRANSIENT_STATUSES = (408, 429)


def is_transient(error: BaseException) -> bool:
    return isinstance(error, TRANSIENT) or (isinstance(error, discord.HTTPException)
                                            and error.status in TRANSIENT_STATUSES)


#: What can stop a display refresh (the lobby card): it is logged, never raised.
DISPLAY_FAILURES: tuple[type[BaseException], ...] = (discord.HTTPException, *TRANSIENT)


Award = Callable[[DebateState], Awaitable[None]]


@dataclass
class ArgumentClaim:
    """Set `seq` once the interaction's own answer has shown argument `seq`."""

    seq: int | None = None

    def posted(self, seq: int) -> None:
        self.seq = seq


def post_nonce(item: store.Announcement) -> str:
    """The same for every attempt at one outbox item (24 characters).

    discord.py sends a nonce with `enforce_nonce`, so Discord creates the message once even
    when its answer was lost and we post again, or the bot crashed between posting and
    crossing the item off; a random nonce per attempt would make a duplicate.
    """
    key = json.dumps([item.debate_id, item.id, item.kind, item.payload, item.created_at],
                     sort_keys=True)
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


async def _no_award(state: DebateState) -> None:
    raise RuntimeError("the announcer was not bound to a debate service")


class Announcer:
    """Works through the outbox: thread posts, and the awards of finished debates."""

    def __init__(self, bot: Rostrum) -> None:
        self.bot = bot
        self.live: Mapping[int, DebateState] = {}
        self._award: Award = _no_award
        self._locks = KeyedLocks()
        self._retries: set[asyncio.Task[None]] = set()
        self._displays: set[asyncio.Task[None]] = set()
        #: (debate, member) whose next argument is being posted as the answer to their own
        #: interaction: the outbox waits at it until that answer is known (see `claim`).
        self._claims: set[tuple[int, int]] = set()
        #: Debates whose lobby refresh waits for its turn at the pacer.
        self._lobby_waiting: set[int] = set()
        self._stopping = False

    def bind(self, live: Mapping[int, DebateState], award: Award) -> None:
        """The service's live debates (read before the database) and its scorer."""
        self.live = live
        self._award = award

    def lobby_changed(self, state: DebateState) -> None:
        """Refresh the lobby card in the background (the member's answer goes first).
        Coalesced: while a refresh waits for its turn, another change adds nothing (the
        waiting one reads the debate as it is when it runs)."""
        if state.id in self._lobby_waiting:
            return
        self._lobby_waiting.add(state.id)
        self._background(lambda: self._refresh_when_due(state), f"debate-{state.id}-lobby")

    async def _refresh_when_due(self, state: DebateState) -> None:
        async with prepaid(self.bot.pacer, Priority.DISPLAY):
            # The turn is waited for here, while later changes still fold into this one;
            # the edit itself then goes straight out.
            self._lobby_waiting.discard(state.id)
            await self.refresh_lobby(state)

    async def lobby_card(self, state: DebateState) -> discord.Embed | None:
        """The lobby card as it should read now (None once its topic is gone)."""
        topic = self.bot.content.topic(state.topic_id)
        if topic is None:
            return None
        names = await store.names(self.bot.db, state.id)
        return cards.lobby_embed(state, topic, names, self.voice(state))

    async def argument_card(self, state: DebateState, seq: int,
                            names: Mapping[int, str] | None = None) -> discord.Embed:
        """Argument `seq` as the thread shows it (its author as stored with the debate, their
        side, the phase, the argument it answers with a link, in the debate's language)."""
        voice = self.voice(state)
        argument = state.argument(seq)
        assert argument is not None, f"debate {state.id} has no argument {seq}"
        target = state.argument(argument.reply_to) if argument.reply_to else None
        needed = {argument.user_id} | ({target.user_id} if target else set())
        if names is None or not needed <= names.keys():
            names = await store.names(self.bot.db, state.id)  # only when a name is missing
        phase = next(p for p in state.format.phases if p.id == argument.phase_id)
        author = names.get(argument.user_id) or cards.unknown_author(argument.user_id, voice)
        answers = None
        if target is not None:
            message_id = await store.argument_message(self.bot.db, state.id, target.seq)
            link = (text.jump_url(state.guild_id, state.thread_id, message_id)
                    if message_id else None)
            answers = cards.Answers(target.seq, names.get(target.user_id)
                                    or cards.unknown_author(target.user_id, voice), link)
        return cards.argument_embed(state, seq, author, argument.side, phase, argument.text,
                                    voice, redacted=argument.redacted, answers=answers)

    async def _show_redaction(self, state: DebateState, thread: discord.abc.Messageable,
                              seq: int, names: Mapping[int, str]) -> None:
        """Replace a redacted argument's card with "removed by a moderator".

        Discord refuses edits in an archived thread, so a finished debate's thread is
        reopened for the edit and closed again (as it was: locked or not)."""
        message_id = await store.argument_message(self.bot.db, state.id, seq)
        argument = state.argument(seq)
        if message_id is None or argument is None or not isinstance(thread, discord.Thread):
            return  # never shown: nothing to take back
        card = await self.argument_card(state, seq, names)
        with priority(Priority.CARD):
            archived, locked = thread.archived, thread.locked
            if archived:
                await thread.edit(archived=False)
            try:
                await thread.get_partial_message(message_id).edit(embed=card)
            finally:
                if archived:
                    await thread.edit(archived=True, locked=locked)

    async def refresh_lobby(self, state: DebateState) -> None:
        """Show the current sides on the lobby card (best effort: it is only a display)."""
        topic = self.bot.content.topic(state.topic_id)
        lobby_id = await store.lobby_message(self.bot.db, state.id)
        if topic is None or lobby_id is None or state.thread_id is None:
            return
        names = await store.names(self.bot.db, state.id)
        thread = self.bot.get_channel(state.thread_id)
        if not isinstance(thread, discord.Thread):
            return
        try:
            await thread.get_partial_message(lobby_id).edit(
                embed=cards.lobby_embed(state, topic, names, self.voice(state)))
        except DISPLAY_FAILURES:
            log.warning("could not refresh the lobby card of debate %s", state.id,
                        exc_info=True)

    @contextlib.asynccontextmanager
    async def claim(self, debate_id: int, user_id: int) -> AsyncIterator[ArgumentClaim]:
        """While held, the member's new argument stays in the outbox (nothing after it is
        posted either, so the thread keeps its order); `posted(seq)` says the interaction's
        answer showed it, so the outbox crosses it off. Released otherwise (a refusal, a
        failed answer), the outbox posts it as usual; a crash loses the claim, not the post."""
        key = (debate_id, user_id)
        claim = ArgumentClaim()
        self._claims.add(key)
        try:
            yield claim
        finally:
            if claim.seq is not None:
                # Crossed off before the claim goes, so no flush can post it a second time.
                await self._cross_off_argument(debate_id, claim.seq)
            self._claims.discard(key)
            # What waited behind it goes out in the background: the member's answer never
            # waits for the outbox, which may be waiting for Discord's rate limits.
            self._background(lambda: self.flush(debate_id), f"debate-{debate_id}-release")

    def _background(self, work: Callable[[], Coroutine[Any, Any, None]], name: str) -> None:
        """Run `work()` in a task of ours (made inside the task, so a task cancelled before
        it starts leaves no coroutine behind)."""
        async def run() -> None:
            try:
                await work()
            except Exception:
                log.exception("%s failed", name)

        task = asyncio.create_task(run(), name=name)
        self._displays.add(task)
        task.add_done_callback(self._displays.discard)

    async def _cross_off_argument(self, debate_id: int, seq: int) -> None:
        for item in await store.pending_announcements(self.bot.db, debate_id):
            if item.kind == "argument" and item.payload.get("seq") == seq:
                await store.mark_announced(self.bot.db, item.id)

    def _claimed(self, state: DebateState, item: store.Announcement) -> bool:
        if item.kind != "argument" or not self._claims:
            return False
        argument = state.argument(item.payload["seq"])
        return argument is not None and (state.id, argument.user_id) in self._claims

    async def flush(self, debate_id: int) -> None:
        """Post everything pending for one debate; stop at the first transient failure.

        Once the bot is closing, nothing more is posted: what is pending stays in the outbox
        and goes out at the next start.
        """
        if self.bot.is_closed():
            return
        async with self._locks[debate_id]:
            pending = await store.pending_announcements(self.bot.db, debate_id)
            if not pending:
                return
            state = self.live.get(debate_id) or await store.load(self.bot.db, debate_id,
                                                                  self.bot.content)
            if state is None or not self.bot.ownership.owns(state.guild_id):
                return
            names = await store.names(self.bot.db, debate_id)
            for item in pending:
                if self._stopping:
                    return  # the rest waits in the outbox for the next start
                if self._claimed(state, item):
                    return  # its author's interaction is answering with it (see `claim`)
                try:
                    if item.kind == "awards":
                        await self._award(state)
                    else:
                        await self._post(state, item, names)
                except (discord.NotFound, discord.Forbidden) as error:
                    log.warning("debate %s: dropping %s announcement: %s", debate_id,
                                item.kind, error)
                except Exception as error:
                    if self.bot.is_closed():
                        # Stopping closed the connection under the post: it stays in the
                        # outbox for the next start.
                        log.info("debate %s: %s left in the outbox for the next start (%s)",
                                 debate_id, item.kind, type(error).__name__)
                        return
                    if is_transient(error):
                        # A Discord hiccup, not a bug: keep it in the outbox, try again.
                        log.warning("debate %s: %s not posted (%s: %s); retrying in %g s",
                                    debate_id, item.kind, type(error).__name__, error,
                                    RETRY_SECONDS)
                    else:
                        # A bug or a storage error: keep it in the outbox, try again.
                        log.exception("debate %s: %s failed; retrying in %g s", debate_id,
                                      item.kind, RETRY_SECONDS)
                    self._retry_later(debate_id)
                    return
                await store.mark_announced(self.bot.db, item.id)

    async def flush_all(self) -> None:
        """At start-up: post whatever a crash left in the outbox, for our guilds' debates
        (another process posts its own)."""
        for debate_id, guild_id in await store.pending_debates(self.bot.db):
            if self.bot.ownership.owns(guild_id):
                await self.flush(debate_id)

    async def stop(self) -> None:
        self._stopping = True  # a flush under way finishes its post and stops there
        tasks = [*self._retries, *self._displays]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _retry_later(self, debate_id: int) -> None:
        async def retry() -> None:
            await asyncio.sleep(RETRY_SECONDS)
            await self.flush(debate_id)

        task = asyncio.create_task(retry(), name=f"debate-{debate_id}-announce-retry")
        self._retries.add(task)
        task.add_done_callback(self._retries.discard)

    async def _thread(self, state: DebateState) -> discord.abc.Messageable | None:
        if state.thread_id is None:
            return None
        channel = self.bot.get_channel(state.thread_id)
        if channel is None:
            channel = await self.bot.fetch_channel(state.thread_id)
        return channel if isinstance(channel, discord.abc.Messageable) else None

    async def _alerted(self, state: DebateState, phase: Phase) -> list[int]:
        """The debaters to mention on `phase`'s card: those whose turn it is and who keep the
        default alert. Those who asked for a DM get one, in the background."""
        turn = state.turn_of(phase)
        chosen = await alerts.modes(self.bot.db, turn)
        by_dm = [user for user in turn if chosen[user] == "dm"]
        if by_dm:
            self._background(lambda: self._send_turn_dms(state, phase, by_dm),
                             f"debate-{state.id}-turn-dms")
        return [user for user in turn if chosen[user] == "mention"][:cards.MAX_TURN_MENTIONS]

    async def _send_turn_dms(self, state: DebateState, phase: Phase, users: list[int]) -> None:
        """Best effort: a member who closed their DMs simply gets none."""
        voice = self.voice(state)
        content = cards.turn_dm(state, phase, voice)
        for user in users:
            try:
                with priority(Priority.OTHER):
                    channel = await self.bot.create_dm(discord.Object(user))
                    await channel.send(content)
            except DISPLAY_FAILURES as error:
                log.info("debate %s: no turn DM for %s (%s)", state.id, user, error)

    async def _close(self, state: DebateState, thread: discord.abc.Messageable) -> None:
        """Lock and archive a debate's thread once it is over, so it stays as it ended.

        Locking needs Manage Threads; without it the thread is only archived (a member's
        post would reopen it)."""
        if not isinstance(thread, discord.Thread):
            return
        can_lock = thread.permissions_for(thread.guild.me).manage_threads
        if not can_lock:
            log.info("debate %s: no Manage Threads permission to lock its thread; archiving "
                     "it only", state.id)
        with priority(Priority.CARD):
            try:
                if can_lock:
                    await thread.edit(archived=True, locked=True)
                else:
                    await thread.edit(archived=True)
            except discord.HTTPException as error:
                if is_transient(error):
                    raise
                # e.g. a moderator archived it first: nothing to retry.
                log.warning("debate %s: its thread was not closed: %s", state.id, error)

    def voice(self, state: DebateState) -> Voice:
        """A debate's thread speaks the language it started in (timers included)."""
        return voice_in(state.language, self.bot.content)

    def _closed_vote(self, state: DebateState, index: int) -> tuple[Phase, Tally] | None:
        """The vote that closed just before phase `index`, shown on its card (lean posts)."""
        if not self.bot.lean_posts or index == 0 or not state.format.phases[index - 1].is_vote:
            return None
        previous = state.format.phases[index - 1]
        return previous, Tally.of(state.counted_votes(previous.id).values())

    async def _post(self, state: DebateState, item: store.Announcement,
                    names: dict[int, str]) -> None:
        thread = await self._thread(state)
        if thread is None:
            log.warning("debate %s has no thread; dropping %s announcement", state.id,
                        item.kind)
            return
        if item.kind == "close_thread":
            await self._close(state, thread)
            return
        if item.kind == "redacted":
            await self._show_redaction(state, thread, item.payload["seq"], names)
            return
        topic = self.bot.content.topic(state.topic_id)
        voice = self.voice(state)
        send = functools.partial(thread.send, nonce=post_nonce(item))
        with priority(Priority.ARGUMENT if item.kind == "argument" else Priority.CARD):
            await self._send(state, item, names, send, topic, voice)

    async def _send(self, state: DebateState, item: store.Announcement, names: dict[int, str],
                    send: Callable[..., Awaitable[discord.Message]], topic: Topic | None,
                    voice: Voice) -> None:
        payload, phases = item.payload, state.format.phases
        match item.kind:
            case "lobby" if topic is not None:
                lobby = await send(
                    embed=cards.lobby_embed(state, topic, names, voice),
                    view=debate_view(state.id, lobby_actions(state.format.has_votes), voice))
                await store.set_lobby_message(self.bot.db, state.id, lobby.id)
            case "phase_started":
                index = payload["index"]
                phase = phases[index]
                closed = self._closed_vote(state, index)
                alerted = await self._alerted(state, phase)
                view = debate_view(state.id, phase_actions(index, phase.is_vote), voice)
                closing = state.closing_vote
                candidates = state.speaker_candidates()
                if closing is not None and closing.id == phase.id and candidates:
                    view.add_item(SpeakerSelect(state.id, [
                        (user, names.get(user) or cards.unknown_author(user, voice))
                        for user in candidates], voice))
                await send(content=cards.turn_alert(alerted, phase, state, voice)
                           if alerted else None,
                           allowed_mentions=discord.AllowedMentions(
                               everyone=False, roles=False, replied_user=False,
                               users=[discord.Object(user) for user in alerted]),
                           embed=cards.phase_embed(state, phase, index, payload["deadline"],
                                                   voice, closed),
                           view=view)
            case "warning" | "vote_closed" if self.bot.lean_posts:
                # The phase card's live countdown shows the time left; the closed vote's
                # tally is on the next card (or the result).
                return
            case "warning":
                phase = phases[payload["index"]]
                await send(cards.warning_text(state, phase, payload["seconds_left"],
                                              payload["deadline"], voice))
            case "vote_closed":
                phase = phases[payload["index"]]
                tally = Tally(payload["pro"], payload["con"], payload["undecided"])
                await send(embed=cards.vote_closed_embed(state, phase, tally, voice))
            case "finished" if topic is not None:
                result = Result.from_dict(payload["result"])
                embed = cards.result_embed(state, topic, result, names, voice)
                picture = await pictures.vote_picture(result, voice) if self.bot.charts else None
                await send(embed=embed, view=debate_view(state.id, RESULT_ACTIONS, voice),
                           file=None if picture is None else pictures.show_on(embed, picture))
            case "cancelled":
                await send(cards.cancelled_notice(voice))
            case "argument":
                seq = payload["seq"]
                card = await send(embed=await self.argument_card(state, seq, names))
                await store.set_argument_message(self.bot.db, state.id, seq, card.id)
            case "paused":
                await send(cards.paused_notice(payload["remaining"], voice))
            case "resumed":
                await send(cards.resumed_notice(payload["deadline"], voice))
            case "extended":
                await send(cards.extended_notice(payload["seconds"], payload["deadline"],
                                                 payload["remaining"], voice))
            case "removed":
                await send(cards.removed_notice(names.get(payload["user_id"]), voice))
            case _:
                log.warning("debate %s: unknown announcement %r", state.id, item.kind)
