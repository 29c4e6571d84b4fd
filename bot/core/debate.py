"""The debate state machine: lobby → phases in order → finished (or cancelled).

Everything here is pure. Time comes in as `now` (Unix seconds, float); every transition
mutates a `DebateState` in place and returns the effects the caller must perform (post a
phase card, a warning, a result...). A refused call raises `Refusal` and leaves the state
untouched: every check runs before the first write.

One scheduler drives every running debate from stored deadlines: it asks
`state.next_wakeup()` for the absolute time something is due, and at that time calls
`state.tick(now)`. Ticking late (the bot was down) is safe: overdue warnings collapse into
the most urgent one, and a passed deadline advances exactly one phase.

Decisions where the brief was silent (also noted on the methods concerned):

- Members are debaters. A member's `side` is "pro" or "con"; a record with `side=None`
  is an audience member a moderator removed (so their votes can be refused too).
- Leaving deletes the member record; their arguments stay (each argument carries its
  side), so the transcript and "who spoke" still show them. Someone who has argued never
  votes, even after leaving.
- Joining a side withdraws the member's earlier votes (an Oxford pre-vote), so a debater
  never has a vote that counts.
- Votes by removed members stay stored but never count, and are not in vote counts.
- Arguments and votes arriving at or after the phase deadline, before the scheduler has
  ticked, are refused with "time_up": the result depends only on (state, now).
- `next_phase` works while paused; the next phase starts running.
- `extend` adds to `max(deadline, now)`, so "extend 60" always gives at least 60 s more.
- `end` is refused in the lobby (use `cancel`); `begin` does not require debaters (an
  Oxford debate may begin with its pre-vote while sides are still open), and a debate
  that finishes without a debater on each side is a no contest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from bot.core.content import PHASE_SECONDS_RANGE, Format, Phase
from bot.core.results import (
    RULES,
    SIDES,
    Result,
    Tally,
    Votes,
    judges,
    no_contest,
)

VOTE_CHOICES: tuple[str, ...] = ("pro", "con", "undecided")
MAX_JUDGES = 9
WARNING_MARKS: tuple[int, ...] = (60, 10)  # seconds before the deadline
EXTEND_RANGE: tuple[int, int] = (1, 3600)


class DebateStatus(StrEnum):
    LOBBY = "lobby"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class Refusal(Exception):
    """A user or moderator action that does not apply now.

    `code` is stable (for logs, tests and translations); `params` are the facts the reply
    names (limits hit, sides, phase ids). The sentence itself is made in `bot.ui`.
    `format` is the debate's format when the refusal names its phases, so the reply can
    call them by their titles.
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params
        self.format: Format | None = None

    def within(self, fmt: Format) -> Refusal:
        """This refusal, about a debate in `fmt` (returns itself, for `raise ... from`)."""
        self.format = fmt
        return self

    def __str__(self) -> str:
        return f"{self.code} {self.params}" if self.params else self.code

    def __repr__(self) -> str:
        return f"Refusal({self.code!r}, **{self.params!r})"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    side: str | None  # "pro" | "con"; None only for a removed audience member
    joined_at: float
    removed: bool = False


@dataclass(frozen=True, slots=True)
class Argument:
    seq: int  # 1, 2, 3... in posting order across the whole debate
    user_id: int
    side: str
    phase_id: str
    text: str
    posted_at: float
    #: Removed by a moderator: its text is gone, it scores nothing and does not count
    #: against its author's posts in the phase (they may post a better one).
    redacted: bool = False
    #: The earlier argument of the other side this one answers (a rebuttal), by number.
    reply_to: int | None = None


@dataclass(frozen=True, slots=True)
class Vote:
    phase_id: str
    user_id: int
    choice: str  # pro | con | undecided
    cast_at: float


# --------------------------------------------------------------------------- effects


@dataclass(frozen=True, slots=True)
class PhaseStarted:
    phase: Phase
    index: int
    deadline: float


@dataclass(frozen=True, slots=True)
class VoteClosed:
    """A vote phase ended; its split may now be shown."""

    phase: Phase
    index: int
    tally: Tally


@dataclass(frozen=True, slots=True)
class WarningDue:
    phase: Phase
    index: int
    mark: int  # the warning point: 60 or 10 seconds before the deadline
    seconds_left: int  # actual time left (equals `mark` unless the tick was late)
    deadline: float


@dataclass(frozen=True, slots=True)
class DebateFinished:
    result: Result
    ended_early: bool


@dataclass(frozen=True, slots=True)
class DebateCancelled:
    phase: Phase | None


@dataclass(frozen=True, slots=True)
class ArgumentAccepted:
    argument: Argument
    phase: Phase
    posts_left: int | None  # in this phase, for this member; None when unlimited


@dataclass(frozen=True, slots=True)
class ArgumentRedacted:
    argument: Argument  # as it is now: redacted, its text gone


@dataclass(frozen=True, slots=True)
class SpeakerNamed:
    """An audience member named their best speaker (replacing an earlier choice)."""

    user_id: int
    speaker_id: int
    previous: int | None


@dataclass(frozen=True, slots=True)
class JudgeNamed:
    user_id: int


@dataclass(frozen=True, slots=True)
class BallotCast:
    user_id: int
    side: str
    previous: str | None


@dataclass(frozen=True, slots=True)
class VoteRecorded:
    vote: Vote
    previous: str | None  # the choice it replaced, if the member had voted already


@dataclass(frozen=True, slots=True)
class MemberJoined:
    user_id: int
    side: str
    previous_side: str | None  # set when the member switched sides
    votes_withdrawn: int  # earlier votes dropped because debaters do not vote


@dataclass(frozen=True, slots=True)
class MemberLeft:
    user_id: int
    side: str


@dataclass(frozen=True, slots=True)
class MemberRemoved:
    user_id: int
    side: str | None  # None: an audience member


@dataclass(frozen=True, slots=True)
class Paused:
    phase: Phase
    remaining: float


@dataclass(frozen=True, slots=True)
class Resumed:
    phase: Phase
    deadline: float


@dataclass(frozen=True, slots=True)
class Extended:
    phase: Phase
    seconds: int
    deadline: float | None  # new deadline when running
    remaining: float | None  # new remaining time when paused


Effect = (PhaseStarted | VoteClosed | WarningDue | DebateFinished | DebateCancelled
          | ArgumentAccepted | ArgumentRedacted | VoteRecorded | SpeakerNamed | JudgeNamed
          | BallotCast | MemberJoined | MemberLeft
          | MemberRemoved | Paused | Resumed | Extended)


@dataclass(frozen=True, slots=True)
class StatusView:
    """What `/debate status` shows. Vote splits stay hidden until the phase closes."""

    status: DebateStatus
    phase: Phase | None
    phase_number: int | None  # 1-based, for "phase 2 of 7"
    phase_count: int
    seconds_left: int | None
    pro: tuple[int, ...]
    con: tuple[int, ...]
    sides_open: bool
    votes_cast: int | None  # only during a vote phase: the number, never the split


# --------------------------------------------------------------------------- helpers


def _check_side(side: str) -> None:
    if side not in SIDES:
        raise Refusal("bad_side", side=side)


# --------------------------------------------------------------------------- state


@dataclass(slots=True)
class DebateState:
    """One debate, shaped like its storage rows (debate, members, arguments, votes).

    `phase_index` is None in the lobby. `deadline` is set only while running,
    `paused_remaining` only while paused. `warnings_sent` holds the warning marks that
    will not fire (again) in the current phase: those already sent, plus those that do
    not fit the phase (a 60 s warning in a 60 s phase).
    """

    id: int
    guild_id: int
    channel_id: int
    topic_id: str
    format: Format
    created_at: float
    thread_id: int | None = None
    phase_seconds: int | None = None  # overrides every phase's length when set
    status: DebateStatus = DebateStatus.LOBBY
    phase_index: int | None = None
    deadline: float | None = None
    paused_remaining: float | None = None
    warnings_sent: set[int] = field(default_factory=set)
    finished_at: float | None = None
    result: Result | None = None
    members: dict[int, Member] = field(default_factory=dict)
    arguments: list[Argument] = field(default_factory=list)
    votes: dict[tuple[str, int], Vote] = field(default_factory=dict)
    #: Best-speaker choices of the audience in the closing vote: voter → speaker.
    speaker_votes: dict[int, int] = field(default_factory=dict)
    #: Judges a moderator named; when there are any, their ballots decide the winner.
    judges: set[int] = field(default_factory=set)
    ballots: dict[int, str] = field(default_factory=dict)  # judge → pro | con
    #: The language of the debate's thread (cards, notices, transcript): "en", "ja" or "ko".
    language: str = "en"

    @classmethod
    def new(cls, *, id: int, guild_id: int, channel_id: int, topic_id: str,
            format: Format, now: float, thread_id: int | None = None,
            phase_seconds: int | None = None, language: str = "en") -> DebateState:
        """A fresh debate in the lobby; refuses an out-of-range `phase_seconds`."""
        low, high = PHASE_SECONDS_RANGE
        if phase_seconds is not None and not low <= phase_seconds <= high:
            raise Refusal("bad_phase_seconds", low=low, high=high)
        return cls(id=id, guild_id=guild_id, channel_id=channel_id, topic_id=topic_id,
                   format=format, created_at=now, thread_id=thread_id,
                   phase_seconds=phase_seconds, language=language)

    # ------------------------------------------------------------------ queries

    @property
    def format_id(self) -> str:
        return self.format.id

    @property
    def current_phase(self) -> Phase | None:
        if self.phase_index is None:
            return None
        return self.format.phases[self.phase_index]

    @property
    def is_running(self) -> bool:
        return self.status == DebateStatus.RUNNING

    @property
    def is_paused(self) -> bool:
        return self.status == DebateStatus.PAUSED

    @property
    def is_over(self) -> bool:
        return self.status in (DebateStatus.FINISHED, DebateStatus.CANCELLED)

    @property
    def is_live(self) -> bool:
        """Begun and not over: running or paused."""
        return self.status in (DebateStatus.RUNNING, DebateStatus.PAUSED)

    @property
    def sides_open(self) -> bool:
        """Joining and switching are open until the first speech/open_floor phase begins."""
        if self.status == DebateStatus.LOBBY:
            return True
        if not self.is_live or self.phase_index is None:
            return False
        return all(p.is_vote for p in self.format.phases[: self.phase_index + 1])

    def phase_length(self, phase: Phase) -> int:
        return self.phase_seconds if self.phase_seconds is not None else phase.seconds

    def debaters(self, side: str) -> tuple[int, ...]:
        """Non-removed members on `side`, by first joining time (stable across storage)."""
        on_side = [m for m in self.members.values() if m.side == side and not m.removed]
        return tuple(m.user_id for m in sorted(on_side, key=lambda m: (m.joined_at, m.user_id)))

    def turn_of(self, phase: Phase) -> tuple[int, ...]:
        """The debaters whose turn `phase` is: its side's (both sides' on an open floor);
        nobody in a vote."""
        if phase.is_vote:
            return ()
        return tuple(user for side in SIDES if phase.allows_side(side)
                     for user in self.debaters(side))

    def side_of(self, user_id: int) -> str | None:
        """The side of a current (non-removed) debater, else None."""
        member = self.members.get(user_id)
        if member is None or member.removed:
            return None
        return member.side

    def is_removed(self, user_id: int) -> bool:
        member = self.members.get(user_id)
        return member is not None and member.removed

    def has_argued(self, user_id: int) -> bool:
        return any(a.user_id == user_id for a in self.arguments)

    def arguments_in(self, phase_id: str, user_id: int | None = None) -> list[Argument]:
        return [a for a in self.arguments
                if a.phase_id == phase_id and (user_id is None or a.user_id == user_id)]

    def argument(self, seq: int) -> Argument | None:
        return self.arguments[seq - 1] if 0 < seq <= len(self.arguments) else None

    def speakers(self) -> dict[str, tuple[int, ...]]:
        """Who argued for each side, in order of first argument (includes leavers)."""
        spoken: dict[str, list[int]] = {side: [] for side in SIDES}
        for arg in self.arguments:
            if arg.user_id not in spoken[arg.side]:
                spoken[arg.side].append(arg.user_id)
        return {side: tuple(users) for side, users in spoken.items()}

    def counted_votes(self, phase_id: str) -> dict[int, str]:
        """user_id → latest choice in a vote phase, leaving out removed members and debaters."""
        return {user: vote.choice for (pid, user), vote in self.votes.items()
                if pid == phase_id and not self.is_removed(user)
                and self.side_of(user) is None}

    @property
    def closing_vote(self) -> Phase | None:
        """The format's last vote phase, where the audience also names a best speaker."""
        return next((p for p in reversed(self.format.phases) if p.is_vote), None)

    def speaker_candidates(self) -> tuple[int, ...]:
        """Who can be named best speaker: members with a standing argument, in speaking
        order, still in the debate (not removed)."""
        out: list[int] = []
        for argument in self.arguments:
            if (not argument.redacted and argument.user_id not in out
                    and not self.is_removed(argument.user_id)):
                out.append(argument.user_id)
        return tuple(out)

    def best_speaker(self) -> tuple[int, int] | None:
        """(speaker, votes) when one candidate has more counted votes than any other."""
        candidates = set(self.speaker_candidates())
        counts: dict[int, int] = {}
        for voter, speaker in self.speaker_votes.items():
            if speaker in candidates and not self.is_removed(voter):
                counts[speaker] = counts.get(speaker, 0) + 1
        if not counts:
            return None
        ranked = sorted(counts.items(), key=lambda item: -item[1])
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            return None  # a tie names nobody
        return ranked[0]

    def vote_count(self, phase_id: str) -> int:
        return len(self.counted_votes(phase_id))

    def time_left(self, now: float) -> float | None:
        if self.is_paused:
            return self.paused_remaining
        if self.is_running and self.deadline is not None:
            return max(0.0, self.deadline - now)
        return None

    def can_vote_now(self, user_id: int, now: float) -> bool:
        return _allowed(lambda: self._check_vote(user_id, "undecided", now))

    def check_can_argue(self, user_id: int, now: float) -> Phase:
        """Raise the Refusal an argument from `user_id` would get now, its text aside.

        Lets a caller refuse early (before opening a form) with the real reason.
        """
        return self._check_argue(user_id, ".", now)[0]

    def can_argue_now(self, user_id: int, now: float) -> bool:
        """Whether `user_id` could post some (short, non-empty) argument right now."""
        return _allowed(lambda: self._check_argue(user_id, ".", now))

    def next_wakeup(self) -> float | None:
        """Absolute time at which `tick` next has something to do; None when nothing will.

        May be in the past (an overdue warning or deadline): tick right away.
        """
        if not self.is_running or self.deadline is None:
            return None
        times = [self.deadline - mark for mark in WARNING_MARKS
                 if mark not in self.warnings_sent]
        return min([self.deadline, *times])

    def status_view(self, now: float) -> StatusView:
        phase = self.current_phase
        left = self.time_left(now)
        votes_cast = (self.vote_count(phase.id)
                      if self.is_live and phase is not None and phase.is_vote else None)
        return StatusView(
            status=self.status,
            phase=phase if self.is_live else None,
            phase_number=self.phase_index + 1 if self.is_live and self.phase_index is not None
            else None,
            phase_count=len(self.format.phases),
            seconds_left=math.ceil(left) if left is not None else None,
            pro=self.debaters("pro"),
            con=self.debaters("con"),
            sides_open=self.sides_open,
            votes_cast=votes_cast,
        )

    # ------------------------------------------------------------------ timers

    def tick(self, now: float) -> list[Effect]:
        """Whatever is due at `now`: one warning, or one phase advance (or the finish).

        If several warnings are overdue, only the most urgent is emitted, once. A deadline
        that passed while the bot was down advances exactly one phase, whose deadline
        counts from `now`.
        """
        if not self.is_running or self.deadline is None:
            return []
        if now >= self.deadline:
            return self._advance(now)
        due = [mark for mark in WARNING_MARKS
               if mark not in self.warnings_sent and now >= self.deadline - mark]
        if not due:
            return []
        self.warnings_sent.update(due)
        phase, index = self._phase()
        mark = min(due)
        return [WarningDue(phase=phase, index=index, mark=mark,
                           seconds_left=math.ceil(self.deadline - now),
                           deadline=self.deadline)]

    # ------------------------------------------------------------------ moderator

    def begin(self, now: float) -> list[Effect]:
        """Lobby → first phase."""
        if self.is_over:
            raise self._over()
        if self.status != DebateStatus.LOBBY:
            raise Refusal("already_started")
        return self._start_phase(0, now)

    def next_phase(self, now: float) -> list[Effect]:
        """End the current phase now: start the next one (running, even if paused) or finish."""
        self._require_live()
        return self._advance(now)

    def pause(self, now: float) -> list[Effect]:
        self._require_live()
        if self.is_paused:
            raise Refusal("already_paused")
        assert self.deadline is not None
        remaining = max(0.0, self.deadline - now)
        self.status = DebateStatus.PAUSED
        self.paused_remaining = remaining
        self.deadline = None
        return [Paused(phase=self._phase()[0], remaining=remaining)]

    def resume(self, now: float) -> list[Effect]:
        self._require_live()
        if not self.is_paused:
            raise Refusal("not_paused")
        assert self.paused_remaining is not None
        self.status = DebateStatus.RUNNING
        self.deadline = now + self.paused_remaining
        self.paused_remaining = None
        return [Resumed(phase=self._phase()[0], deadline=self.deadline)]

    def extend(self, seconds: int, now: float) -> list[Effect]:
        """Add time to the current phase (to the paused remainder when paused).

        Running, the time is added to `max(deadline, now)`. Warnings that are in the
        future again are re-armed, including ones that did not fit the original length.
        """
        low, high = EXTEND_RANGE
        if isinstance(seconds, bool) or not isinstance(seconds, int) \
                or not low <= seconds <= high:
            raise Refusal("bad_extend_seconds", low=low, high=high, got=seconds)
        self._require_live()
        phase = self._phase()[0]
        if self.is_paused:
            assert self.paused_remaining is not None
            self.paused_remaining += seconds
            remaining = self.paused_remaining
            effect = Extended(phase=phase, seconds=seconds, deadline=None,
                              remaining=remaining)
        else:
            assert self.deadline is not None
            self.deadline = max(self.deadline, now) + seconds
            remaining = self.deadline - now
            effect = Extended(phase=phase, seconds=seconds, deadline=self.deadline,
                              remaining=None)
        self.warnings_sent -= {mark for mark in WARNING_MARKS if remaining > mark}
        return [effect]

    def end(self, now: float) -> list[Effect]:
        """Finish early. The result uses what exists; see `compute_result`."""
        if self.is_over:
            raise self._over()
        if self.status == DebateStatus.LOBBY:
            raise Refusal("not_started", hint="cancel")
        return self._finish(now, ended_early=True)

    def cancel(self, now: float) -> list[Effect]:
        """Stop without a result (no winner, nothing scored)."""
        if self.is_over:
            raise self._over()
        phase = self.current_phase
        self._stop(DebateStatus.CANCELLED, now)
        return [DebateCancelled(phase=phase)]

    def remove(self, user_id: int, now: float) -> list[Effect]:
        """Drop a member (or ban an audience member): every later action is refused.

        History stays: their arguments remain, their votes stay stored but no longer count.
        """
        if self.is_over:
            raise self._over()
        member = self.members.get(user_id)
        if member is not None and member.removed:
            raise Refusal("already_removed")
        if member is None:
            self.members[user_id] = Member(user_id=user_id, side=None, joined_at=now,
                                           removed=True)
            return [MemberRemoved(user_id=user_id, side=None)]
        self.members[user_id] = replace(member, removed=True)
        return [MemberRemoved(user_id=user_id, side=member.side)]

    # ------------------------------------------------------------------ members

    def join(self, user_id: int, side: str, now: float) -> list[Effect]:
        """Join a side, or switch to the other one, while sides are open.

        Joining withdraws the member's earlier votes in this debate: debaters don't vote.
        """
        if self.is_removed(user_id):
            raise _removed()
        if self.is_over:
            raise self._over()
        _check_side(side)
        if user_id in self.judges:
            raise Refusal("judge_takes_no_side")
        if not self.sides_open:
            raise Refusal("sides_closed")
        current = self.side_of(user_id)
        if current == side:
            raise Refusal("already_on_side", side=side)
        cap = self.format.debaters_per_side
        if cap is not None and len(self.debaters(side)) >= cap:
            raise Refusal("side_full", side=side, cap=cap)
        withdrawn = [key for key in self.votes if key[1] == user_id]
        for key in withdrawn:
            del self.votes[key]
        old = self.members.get(user_id)
        joined_at = old.joined_at if old is not None else now
        self.members[user_id] = Member(user_id=user_id, side=side, joined_at=joined_at)
        return [MemberJoined(user_id=user_id, side=side, previous_side=current,
                             votes_withdrawn=len(withdrawn))]

    def leave(self, user_id: int, now: float) -> list[Effect]:
        """Leave your side, any time before the end; past arguments stay in the record."""
        if self.is_removed(user_id):
            raise _removed()
        if self.is_over:
            raise self._over()
        side = self.side_of(user_id)
        if side is None:
            raise Refusal("not_debater", action="leave")
        del self.members[user_id]
        return [MemberLeft(user_id=user_id, side=side)]

    # ------------------------------------------------------------------ arguments & votes

    def argue(self, user_id: int, text: str, now: float,
              reply_to: int | None = None) -> list[Effect]:
        """Post an argument in the current speech/open_floor phase (text is stripped);
        `reply_to` makes it a rebuttal of that earlier argument of the other side."""
        phase, body, side, posted = self._check_argue(user_id, text, now)
        if reply_to is not None:
            self._check_rebuttal(side, reply_to)
        argument = Argument(seq=len(self.arguments) + 1, user_id=user_id, side=side,
                            phase_id=phase.id, text=body, posted_at=now, reply_to=reply_to)
        self.arguments.append(argument)
        cap = phase.max_posts_per_member
        left = cap - posted - 1 if cap is not None else None
        return [ArgumentAccepted(argument=argument, phase=phase, posts_left=left)]

    def vote(self, user_id: int, choice: str, now: float) -> list[Effect]:
        """Cast or change a vote in the current vote phase; the latest choice counts."""
        phase = self._check_vote(user_id, choice, now)
        key = (phase.id, user_id)
        previous = self.votes.get(key)
        vote = Vote(phase_id=phase.id, user_id=user_id, choice=choice, cast_at=now)
        self.votes[key] = vote
        return [VoteRecorded(vote=vote, previous=previous.choice if previous else None)]

    def redact(self, seq: int, now: float) -> list[Effect]:
        """A moderator removes argument `seq`: its text is dropped and it scores nothing.

        Allowed after the end too (a report may come late); the result stands (votes were
        cast on what was said).
        """
        argument = self.argument(seq)
        if argument is None:
            raise Refusal("no_such_argument", seq=seq, count=len(self.arguments))
        if argument.redacted:
            raise Refusal("already_redacted", seq=seq)
        redacted = replace(argument, text="", redacted=True)
        self.arguments[seq - 1] = redacted
        return [ArgumentRedacted(argument=redacted)]

    def name_best_speaker(self, user_id: int, speaker_id: int, now: float) -> list[Effect]:
        """During the closing vote, an audience member names the debater who argued best
        (one choice each, changeable until the vote closes; never oneself)."""
        if self.is_removed(user_id):
            raise _removed()
        phase = self._require_open_phase(now)
        closing = self.closing_vote
        if closing is None or phase.id != closing.id:
            raise Refusal("not_closing_vote", phase=phase.id)
        if speaker_id == user_id:
            raise Refusal("own_speaker")
        if self.side_of(user_id) is not None:
            raise Refusal("debater", argued=False)
        if self.has_argued(user_id):
            raise Refusal("debater", argued=True)
        if speaker_id not in self.speaker_candidates():
            raise Refusal("not_a_speaker")
        previous = self.speaker_votes.get(user_id)
        self.speaker_votes[user_id] = speaker_id
        return [SpeakerNamed(user_id=user_id, speaker_id=speaker_id, previous=previous)]

    def name_judge(self, user_id: int, now: float) -> list[Effect]:
        """A moderator names a judge: from then on the judges' ballots, cast in the closing
        vote, decide the winner (the audience still votes, for the record)."""
        if self.is_over:
            raise self._over()
        if self.is_removed(user_id):
            raise Refusal("already_removed")
        if self.side_of(user_id) is not None or self.has_argued(user_id):
            raise Refusal("judge_is_debater")
        if user_id in self.judges:
            raise Refusal("already_judge")
        if len(self.judges) >= MAX_JUDGES:
            raise Refusal("too_many_judges", limit=MAX_JUDGES)
        closing = self.closing_vote
        if closing is None:
            raise Refusal("no_vote_to_judge")
        self.judges.add(user_id)
        return [JudgeNamed(user_id=user_id)]

    def cast_ballot(self, user_id: int, side: str, now: float) -> list[Effect]:
        """A judge's ballot, in the closing vote: pro or con; the latest counts."""
        if user_id not in self.judges:
            raise Refusal("not_judge")
        _check_side(side)
        phase = self._require_open_phase(now)
        closing = self.closing_vote
        if closing is None or phase.id != closing.id:
            raise Refusal("not_closing_vote", phase=phase.id)
        previous = self.ballots.get(user_id)
        self.ballots[user_id] = side
        return [BallotCast(user_id=user_id, side=side, previous=previous)]

    # ------------------------------------------------------------------ internals

    def _phase(self) -> tuple[Phase, int]:
        assert self.phase_index is not None
        return self.format.phases[self.phase_index], self.phase_index

    def _over(self) -> Refusal:
        return Refusal("finished", cancelled=self.status == DebateStatus.CANCELLED)

    def _require_live(self) -> None:
        if self.is_over:
            raise self._over()
        if self.status == DebateStatus.LOBBY:
            raise Refusal("not_started")

    def _require_open_phase(self, now: float) -> Phase:
        """The current phase, if it is running and its deadline has not passed."""
        if self.is_over:
            raise Refusal("not_running", over=True)
        if self.status == DebateStatus.LOBBY:
            raise Refusal("not_running", over=False)
        phase = self._phase()[0]
        if self.is_paused:
            raise Refusal("paused")
        if self.deadline is not None and now >= self.deadline:
            raise Refusal("time_up", phase=phase.id)
        return phase

    def _check_rebuttal(self, side: str, reply_to: int) -> None:
        target = self.argument(reply_to)
        if target is None:
            raise Refusal("no_such_argument", seq=reply_to, count=len(self.arguments))
        if target.redacted:
            raise Refusal("already_redacted", seq=reply_to)
        if target.side == side:
            raise Refusal("own_side_rebuttal", seq=reply_to, side=side)

    def rebuttals(self) -> dict[str, int]:
        """How many standing arguments of each side answer one of the other side."""
        counted = {s: 0 for s in SIDES}
        for argument in self.arguments:
            if argument.reply_to is not None and not argument.redacted:
                counted[argument.side] += 1
        return counted

    def _check_argue(self, user_id: int, text: str,
                     now: float) -> tuple[Phase, str, str, int]:
        if self.is_removed(user_id):
            raise _removed()
        phase = self._require_open_phase(now)
        if phase.is_vote:
            raise Refusal("vote_phase", phase=phase.id)
        side = self.side_of(user_id)
        if side is None:
            raise Refusal("not_debater", action="argue")
        if not phase.allows_side(side):
            raise Refusal("wrong_side", phase=phase.id, phase_side=phase.side, side=side)
        body = text.strip()
        if not body:
            raise Refusal("empty")
        if phase.max_chars is not None and len(body) > phase.max_chars:
            raise Refusal("too_long", length=len(body), limit=phase.max_chars)
        posted = sum(1 for a in self.arguments_in(phase.id, user_id) if not a.redacted)
        cap = phase.max_posts_per_member
        if cap is not None and posted >= cap:
            raise Refusal("post_limit", posted=posted, phase=phase.id, limit=cap)
        return phase, body, side, posted

    def _check_vote(self, user_id: int, choice: str, now: float) -> Phase:
        if self.is_removed(user_id):
            raise _removed()
        phase = self._require_open_phase(now)
        if not phase.is_vote:
            raise Refusal("not_vote_phase", phase=phase.id)
        if choice not in VOTE_CHOICES:
            raise Refusal("bad_choice", choice=choice)
        if self.side_of(user_id) is not None:
            raise Refusal("debater", argued=False)
        if self.has_argued(user_id):
            raise Refusal("debater", argued=True)
        if user_id in self.judges:
            raise Refusal("judge_votes_by_ballot")
        return phase

    def _start_phase(self, index: int, now: float) -> list[Effect]:
        phase = self.format.phases[index]
        length = self.phase_length(phase)
        self.status = DebateStatus.RUNNING
        self.phase_index = index
        self.deadline = now + length
        self.paused_remaining = None
        # Warnings that do not fit the phase count as sent: a 60 s warning needs > 60 s.
        self.warnings_sent = {mark for mark in WARNING_MARKS if mark >= length}
        return [PhaseStarted(phase=phase, index=index, deadline=self.deadline)]

    def _close_vote(self) -> list[Effect]:
        phase, index = self._phase()
        if not phase.is_vote:
            return []
        tally = Tally.of(self.counted_votes(phase.id).values())
        return [VoteClosed(phase=phase, index=index, tally=tally)]

    def _advance(self, now: float) -> list[Effect]:
        effects = self._close_vote()
        index = self._phase()[1]
        if index + 1 < len(self.format.phases):
            return effects + self._start_phase(index + 1, now)
        return effects + self._finish(now, ended_early=False)

    def _finish(self, now: float, *, ended_early: bool) -> list[Effect]:
        effects = self._close_vote() if ended_early else []
        result = compute_result(self, ended_early=ended_early)
        self._stop(DebateStatus.FINISHED, now)
        self.result = result
        return [*effects, DebateFinished(result=result, ended_early=ended_early)]

    def _stop(self, status: DebateStatus, now: float) -> None:
        self.status = status
        self.deadline = None
        self.paused_remaining = None
        self.warnings_sent = set()
        self.finished_at = now


def _removed() -> Refusal:
    return Refusal("removed")


def _allowed(check: Any) -> bool:
    try:
        check()
    except Refusal:
        return False
    return True


# --------------------------------------------------------------------------- results


def compute_result(state: DebateState, *, ended_early: bool = False) -> Result:
    """The result from the votes that exist now, by the format's rule (see `results.RULES`).

    Fewer than one non-removed debater on either side at the end is a no contest (the
    tallies are still computed, for the record).
    """
    if state.judges:
        result = judges({user: side for user, side in state.ballots.items()
                         if user in state.judges}, ended_early)
    else:
        votes = Votes(phase_ids=[p.id for p in state.format.phases if p.is_vote],
                      counted=state.counted_votes)
        result = RULES[state.format.result].decide(votes, ended_early)
    if not (state.debaters("pro") and state.debaters("con")):
        result = no_contest(result)
    return result
