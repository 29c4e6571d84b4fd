"""The debate use cases, one method each, and their single write path.

Cogs parse an interaction into ids, names and cleaned text, call one method here, and render
the outcome it returns (or the `Refusal` it raises) with `bot.ui`. Every change to a live
debate goes through `DebateRuntime.apply`; the rows a start writes before its debate is live
(create, attach its thread, or discard it) are written here and nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.core.clock import Clock
from bot.core.content import ContentPack, Format, Topic
from bot.core.cooldown import Cooldown
from bot.core.debate import (
    ArgumentAccepted,
    BallotCast,
    DebateState,
    MemberJoined,
    Refusal,
    SpeakerNamed,
    VoteRecorded,
)
from bot.core.scoring import argument_key
from bot.service import participation
from bot.service.outcomes import (
    Argued,
    ArgumentForm,
    BallotRecorded,
    Joined,
    JudgeAdded,
    Left,
    PastDebate,
    Redacted,
    Removed,
    Reported,
    SpeakerChosen,
    Status,
    Steered,
    Transcript,
    Voted,
)
from bot.service.ports import Announcements, Venue
from bot.service.runtime import Applied, DebateRuntime, Owns, Transition
from bot.storage import debates as store
from bot.storage import reports
from bot.storage.counters import withdraw_events
from bot.storage.db import Database

if TYPE_CHECKING:
    from bot.storage.event_writer import EventWriter

log = logging.getLogger(__name__)

# Per member and debate: a burst of 3 argue/vote actions, then one every 5/3 s.
ACTION_RATE, ACTION_PER = 3, 5.0

def _steering(action: str, seconds: int | None) -> Transition:
    """The transition of a moderator action, by the name the audit log and the replies use."""
    match action:
        case "begin":
            return lambda state, now: state.begin(now)
        case "next":
            return lambda state, now: state.next_phase(now)
        case "pause":
            return lambda state, now: state.pause(now)
        case "resume":
            return lambda state, now: state.resume(now)
        case "end":
            return lambda state, now: state.end(now)
        case "cancel":
            return lambda state, now: state.cancel(now)
        case "extend":
            return lambda state, now: state.extend(seconds or 0, now)
    raise ValueError(f"unknown moderator action {action!r}")


class DebateService:
    def __init__(self, db: Database, clock: Clock, content: Callable[[], ContentPack],
                 events: Callable[[], EventWriter], announcements: Announcements, *,
                 owns: Owns) -> None:
        self.db = db
        self.clock = clock
        self._content = content
        self._events = events
        self.announcements = announcements
        self.runtime = DebateRuntime(db, clock, content, announcements.flush, owns=owns)
        self.cooldown = Cooldown(ACTION_RATE, ACTION_PER)

    # ------------------------------------------------------------------ lifecycle

    async def open(self) -> None:
        """Re-arm the live debates, then post what a crash left in the outbox."""
        await self.runtime.start()
        await self.announcements.flush_all()

    async def close(self) -> None:
        # The announcer first: from now on what is pending stays in the outbox, so stopping
        # waits only for posts already on their way.
        await self.announcements.stop()
        await self.runtime.stop()

    def content(self) -> ContentPack:
        """The content pack debates run in (English; translations hang off it)."""
        return self._content()

    @property
    def live(self) -> dict[int, DebateState]:
        return self.runtime.live

    async def award(self, state: DebateState) -> None:
        """Score a finished debate's participation (called from the outbox, once per finish)."""
        moderator = await store.created_by(self.db, state.id)
        stored = await participation.record(self._events(), state, moderator)
        log.info("debate %s finished: %d participation event(s) logged", state.id, stored)

    # ------------------------------------------------------------------ finding a debate

    def here(self, guild_id: int | None, channel_id: int | None) -> DebateState:
        """The live debate of this thread, or of the channel it started from."""
        if guild_id is None or channel_id is None:
            raise Refusal("no_debate_here")
        state = self.runtime.in_thread(channel_id) or self.runtime.in_channel(guild_id,
                                                                              channel_id)
        if state is None or state.guild_id != guild_id:
            raise Refusal("no_debate_here")
        return state

    def by_button(self, guild_id: int | None, debate_id: int) -> DebateState:
        """A live debate named by a button or form; another server's buttons do nothing."""
        state = self.runtime.live.get(debate_id)
        if state is None:
            raise Refusal("buttons_dead")
        if state.guild_id != guild_id:
            raise Refusal("foreign_button")
        return state

    # ------------------------------------------------------------------ members

    async def join(self, state: DebateState, user_id: int, name: str, side: str, *,
                   shown: bool = False) -> Joined:
        """`shown`: the caller shows the new lobby itself (a button on the lobby card updates
        it in its own answer), so no separate edit is sent."""
        applied = await self._apply(state, user_id, name, lambda s, now: s.join(user_id, side,
                                                                               now))
        switched = any(isinstance(e, MemberJoined) and e.previous_side for e in applied.effects)
        if not shown:
            self.announcements.lobby_changed(state)
        return Joined(state.id, side, switched)

    async def leave(self, state: DebateState, user_id: int, name: str, *,
                    shown: bool = False) -> Left:
        await self._apply(state, user_id, name, lambda s, now: s.leave(user_id, now))
        if not shown:
            self.announcements.lobby_changed(state)
        return Left(state.id)

    def argument_form(self, state: DebateState, user_id: int) -> ArgumentForm:
        """The form to open, or the refusal an argument would get now (before typing it)."""
        self._throttle(state, user_id)
        try:
            phase = state.check_can_argue(user_id, self.clock.now())
        except Refusal as refusal:
            raise refusal.within(state.format) from None
        return ArgumentForm(state.id, phase.id, state.side_of(user_id),
                            phase.max_chars or 4000)

    async def argue(self, state: DebateState, user_id: int, name: str, body: str,
                    reply_to: int | None = None) -> Argued:
        """`body` is already cleaned of control characters; `reply_to` makes it a rebuttal."""
        self._throttle(state, user_id)
        applied = await self._apply(state, user_id, name,
                                    lambda s, now: s.argue(user_id, body, now, reply_to))
        accepted = next(e for e in applied.effects if isinstance(e, ArgumentAccepted))
        return Argued(accepted.argument.seq, accepted.phase.id, accepted.posts_left)

    async def vote(self, state: DebateState, user_id: int, name: str, choice: str) -> Voted:
        self._throttle(state, user_id)
        phase = state.current_phase
        current = state.votes.get((phase.id, user_id)) if phase is not None else None
        if (phase is not None and current is not None and current.choice == choice
                and state.can_vote_now(user_id, self.clock.now())):
            return Voted(choice, choice, phase.id, unchanged=True)
        applied = await self._apply(state, user_id, name,
                                    lambda s, now: s.vote(user_id, choice, now))
        recorded = next(e for e in applied.effects if isinstance(e, VoteRecorded))
        return Voted(choice, recorded.previous, recorded.vote.phase_id)

    async def name_best_speaker(self, state: DebateState, user_id: int, name: str,
                                speaker_id: int) -> SpeakerChosen:
        self._throttle(state, user_id)
        applied = await self._apply(state, user_id, name,
                                    lambda s, now: s.name_best_speaker(user_id, speaker_id, now))
        named = next(e for e in applied.effects if isinstance(e, SpeakerNamed))
        speaker = (await store.names(self.db, state.id)).get(speaker_id, str(speaker_id))
        return SpeakerChosen(speaker, named.previous not in (None, speaker_id))

    async def cast_ballot(self, state: DebateState, user_id: int, name: str,
                          side: str) -> BallotRecorded:
        self._throttle(state, user_id)
        applied = await self._apply(state, user_id, name,
                                    lambda s, now: s.cast_ballot(user_id, side, now))
        cast = next(e for e in applied.effects if isinstance(e, BallotCast))
        return BallotRecorded(side, cast.previous)

    # ------------------------------------------------------------------ moderators

    async def name_judge(self, state: DebateState, actor_id: int, actor_name: str,
                         judge_id: int, judge_name: str) -> JudgeAdded:
        names = {judge_id: judge_name, actor_id: actor_name}
        await self._apply(state, actor_id, actor_name, lambda s, now: s.name_judge(judge_id, now),
                          audit="judge", detail=f"{judge_name} ({judge_id})", names=names)
        self.announcements.lobby_changed(state)
        return JudgeAdded(state.id, judge_name, len(state.judges))

    async def steer(self, state: DebateState, actor_id: int, actor_name: str, action: str,
                    seconds: int | None = None) -> Steered:
        """A moderator action; `next` in the lobby begins the debate."""
        if action == "next" and state.status == "lobby":
            action = "begin"
        detail = f"{seconds} s" if action == "extend" else ""
        await self._apply(state, actor_id, actor_name, _steering(action, seconds),
                          audit=action, detail=detail)
        return Steered(action, seconds if action == "extend" else None)

    async def remove(self, state: DebateState, actor_id: int, actor_name: str,
                     target_id: int, target_name: str) -> Removed:
        names = {target_id: target_name, actor_id: actor_name}
        await self._apply(state, actor_id, actor_name, lambda s, now: s.remove(target_id, now),
                          audit="remove", detail=f"{target_name} ({target_id})", names=names)
        self.announcements.lobby_changed(state)
        return Removed(state.id, target_name)

    async def report(self, guild_id: int, message_id: int, reporter_id: int) -> Reported:
        """A member reports the argument a message of this server shows."""
        debate_id, seq = await self._argument_at(guild_id, message_id)
        state = self.live.get(debate_id) or await store.load(self.db, debate_id,
                                                              self._content())
        argument = state.argument(seq) if state is not None else None
        if argument is None:
            raise Refusal("not_an_argument")
        if argument.redacted:
            raise Refusal("already_redacted", seq=seq)
        if argument.user_id == reporter_id:
            raise Refusal("own_argument")
        count = await reports.add(self.db, debate_id, seq, reporter_id, self.clock.now())
        if count is None:
            raise Refusal("already_reported", seq=seq)
        log.info("debate %s: argument %s reported by %s (reports so far: %d)", debate_id, seq,
                 reporter_id, count)
        return Reported(debate_id, seq, count)

    async def redact_message(self, guild_id: int, message_id: int, actor_id: int,
                             actor_name: str) -> Redacted:
        """A moderator removes the argument a message of this server shows."""
        debate_id, seq = await self._argument_at(guild_id, message_id)
        return await self.redact(guild_id, debate_id, seq, actor_id, actor_name)

    async def redact(self, guild_id: int, debate_id: int, seq: int, actor_id: int,
                     actor_name: str) -> Redacted:
        """Remove argument `seq`: its card says so, the transcript records it, and whatever
        it scored is taken back (a finished debate's points were awarded already)."""
        detail = f"#{seq}"
        state = self.live.get(debate_id)
        if state is not None and state.guild_id == guild_id:
            await self._apply(state, actor_id, actor_name,
                              lambda s, now: s.redact(seq, now), audit="redact", detail=detail)
            return Redacted(debate_id, seq, 0)
        state = await store.load(self.db, debate_id, self._content())
        if state is None or state.guild_id != guild_id:
            raise Refusal("no_such_debate")
        async with self.runtime.lock(debate_id):
            now = self.clock.now()
            try:
                effects = state.redact(seq, now)
            except Refusal as refusal:
                raise refusal.within(state.format) from None
            change = store.change_for(state, effects, now=now, names={actor_id: actor_name},
                                      audit=store.AuditEntry(actor_id, "redact", detail, now))
            async with self.db.write() as conn:  # the redaction and its points go together
                for sql, params in change.statements:
                    await conn.fetchall(sql, params)
                withdrawn = await withdraw_events(conn, guild_id,
                                                  [argument_key(debate_id, seq)])
        self.runtime.flush_soon(debate_id)
        log.info("debate %s: argument %s redacted by %s after the end (events withdrawn: %d)",
                 debate_id, seq, actor_id, withdrawn)
        return Redacted(debate_id, seq, withdrawn)

    async def _argument_at(self, guild_id: int, message_id: int) -> tuple[int, int]:
        found = await store.argument_at(self.db, guild_id, message_id)
        if found is None:
            raise Refusal("not_an_argument")
        return found

    def ensure_free(self, guild_id: int, channel_id: int) -> None:
        """Refuse early (before any public answer) when the channel already has a debate."""
        busy = self.runtime.in_channel(guild_id, channel_id)
        if busy is not None:
            raise Refusal("channel_busy", thread_id=busy.thread_id, advise=True)

    async def start(self, *, guild_id: int, channel_id: int, moderator_id: int, topic: Topic,
                    fmt: Format, phase_seconds: int | None, venue: Venue,
                    language: str = "en") -> DebateState:
        """Store a new debate, open its venue, and make it live (its lobby card is posted
        from the outbox: a Discord hiccup delays it, never loses it)."""
        now = self.clock.now()
        try:
            debate_id = await store.create(
                self.db, guild_id=guild_id, channel_id=channel_id, topic_id=topic.id,
                format_id=fmt.id, phase_seconds=phase_seconds, created_by=moderator_id, now=now,
                language=language)
        except store.ChannelBusy as busy:
            # The database refuses a second live debate in a channel: another start won the
            # race after our public "thinking…", so take that back before refusing privately.
            await venue.withdraw()
            raise Refusal("channel_busy", thread_id=busy.thread_id, advise=False) from busy
        state = DebateState.new(id=debate_id, guild_id=guild_id, channel_id=channel_id,
                                topic_id=topic.id, format=fmt, now=now,
                                phase_seconds=phase_seconds, language=language)
        try:
            state.thread_id = await venue.open(debate_id, topic, fmt)
        except BaseException:
            # Without a thread there is no debate: never leave one holding the channel.
            await store.discard(self.db, debate_id)
            raise
        await store.attach_thread(self.db, debate_id, state.thread_id, now=now)
        self.runtime.track(state)  # live before its buttons exist
        self.runtime.flush_soon(debate_id)
        log.info("debate %s started by %s in guild %s", debate_id, moderator_id, guild_id)
        return state

    # ------------------------------------------------------------------ reading

    async def status(self, state: DebateState) -> Status:
        topic = self._content().topic(state.topic_id)
        if topic is None:
            raise Refusal("topic_gone")
        names = await store.names(self.db, state.id)
        return Status(state, topic, state.status_view(self.clock.now()), names)

    async def transcript(self, guild_id: int, channel_id: int | None,
                         debate_id: int | None) -> Transcript:
        """A debate's record: the one named, else the one here, else the server's latest."""
        if debate_id is None:
            debate_id = await self._default_debate(guild_id, channel_id)
        pack = self._content()
        state = await store.load(self.db, debate_id, pack) if debate_id else None
        if state is None or state.guild_id != guild_id:
            raise Refusal("no_such_debate")
        return Transcript(state, pack.topic(state.topic_id),
                          await store.names(self.db, state.id),
                          await store.phases(self.db, state.id),
                          await store.audit_log(self.db, state.id))

    async def recent(self, guild_id: int, limit: int = 100) -> list[PastDebate]:
        pack = self._content()
        return [PastDebate(item, topic.title if (topic := pack.topic(item.topic_id))
                           else item.topic_id)
                for item in await store.recent(self.db, guild_id, limit=limit)]

    async def _default_debate(self, guild_id: int, channel_id: int | None) -> int | None:
        if channel_id is not None:
            live = (self.runtime.in_thread(channel_id)
                    or self.runtime.in_channel(guild_id, channel_id))
            if live is not None:
                return live.id
        recent = await store.recent(self.db, guild_id, limit=200)
        here = [d for d in recent if d.thread_id == channel_id]
        return (here or recent)[0].id if (here or recent) else None

    # ------------------------------------------------------------------ the write path

    def _throttle(self, state: DebateState, user_id: int) -> None:
        """Refuse (without touching storage) a member who is clicking too fast."""
        wait = self.cooldown.hit((state.id, user_id), self.clock.now())
        if wait:
            raise Refusal("slow_down", seconds=wait)

    async def _apply(self, state: DebateState, actor_id: int, actor_name: str,
                     transition: Transition, *, audit: str | None = None, detail: str = "",
                     names: dict[int, str] | None = None) -> Applied:
        """Apply a transition for `actor_id`; an audited one is logged with the change."""
        audit_entry = ((lambda now: store.AuditEntry(actor_id, audit, detail, now))
                       if audit else None)
        try:
            return await self.runtime.apply(state.id, transition,
                                            names=names or {actor_id: actor_name},
                                            audit=audit_entry)
        except Refusal as refusal:
            raise refusal.within(state.format) from None
        except LookupError as error:
            raise Refusal("just_ended") from error
