"""Participation scoring: which act earns what, period buckets, and tie-aware ranks.

Pure functions only (no discord, no SQL, no clock): the debate cog and the storage layer
call them with plain data.

When points are awarded — the no-contest rule
----------------------------------------------
Points are awarded **once, when a debate finishes**, never live. At the end of a debate the
debate cog calls `debate_awards(...)` with what the debate looked like when it ended (the
debaters on each side, the arguments in posting order, the voters, the winning side and the
moderator) and logs the returned awards in one `EventWriter.log_many(...)` call, all stamped
with the debate's finish time. A debate that ends with fewer than `MIN_DEBATERS` debaters is
a *no-contest*: `debate_awards` returns nothing, so nothing of it reaches the participation
log, and no compensating (negative) events are ever needed. Every award carries a source key
derived from the debate (or argument) and the member, so re-emitting the awards of a debate
after a crash or a retry is harmless: the event log stores each key once.

Consequences, stated to members by /help (`bot/ui/help.py`): points appear on the boards when
a debate ends (not while it runs), and a debate's points all fall into the week and month in
which it ended.

Periods are UTC: the ISO week ("2026-W53"), the calendar month ("2026-12") and all time
("all").
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum


class Kind(StrEnum):
    """The kinds of participation event."""

    DEBATE_JOINED = "debate_joined"
    ARGUMENT_POSTED = "argument_posted"
    VOTE_CAST = "vote_cast"
    DEBATE_WON = "debate_won"
    DEBATE_MODERATED = "debate_moderated"
    BEST_SPEAKER = "best_speaker"


POINTS: Mapping[Kind, int] = {
    Kind.DEBATE_JOINED: 1,
    Kind.ARGUMENT_POSTED: 3,
    Kind.VOTE_CAST: 1,
    Kind.DEBATE_WON: 5,
    Kind.DEBATE_MODERATED: 2,
    Kind.BEST_SPEAKER: 3,
}

MIN_ARGUMENT_CHARS = 40
MIN_ARGUMENT_WORDS = 6
MIN_DEBATERS = 2
#: A best speaker scores only when this many audience members named them (one friend's
#: choice awards nothing).
MIN_BEST_SPEAKER_VOTES = 2
MAX_EVENT_POINTS = 100  # sanity bound checked before an event is queued

ALL_TIME = "all"
PERIODS = ("week", "month", "all")


# --- the rules, one act at a time -------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")
_WORDLIKE = re.compile(r"\w")


def argument_length(text: str) -> tuple[int, int]:
    """(characters, words) of an argument as the substantive rule counts them.

    Runs of whitespace count as one character and leading/trailing whitespace not at all,
    so padding does not help; a word is a whitespace-separated token holding at least one
    letter or digit, so "- - - - - -" is no words.
    """
    normalised = _WHITESPACE.sub(" ", text).strip()
    words = sum(1 for token in normalised.split(" ") if _WORDLIKE.search(token))
    return len(normalised), words


def is_substantive(text: str) -> bool:
    chars, words = argument_length(text)
    return chars >= MIN_ARGUMENT_CHARS and words >= MIN_ARGUMENT_WORDS


def join_points() -> int:
    return POINTS[Kind.DEBATE_JOINED]


def argument_points(text: str, *, already_scored_in_phase: bool) -> int:
    """3 for a substantive argument, unless this member already scored in this phase."""
    if already_scored_in_phase or not is_substantive(text):
        return 0
    return POINTS[Kind.ARGUMENT_POSTED]


def vote_points(*, already_voted_in_debate: bool) -> int:
    """1 for the first vote of a member in a debate; changing or repeating it earns nothing."""
    return 0 if already_voted_in_debate else POINTS[Kind.VOTE_CAST]


def win_points(side: str, winner: str | None) -> int:
    """5 for a debater whose side won; nothing on a draw / dead heat (`winner` None)."""
    return POINTS[Kind.DEBATE_WON] if winner is not None and side == winner else 0


def best_speaker_points(votes: int) -> int:
    """3 for the audience's best speaker, named by at least `MIN_BEST_SPEAKER_VOTES`."""
    return POINTS[Kind.BEST_SPEAKER] if votes >= MIN_BEST_SPEAKER_VOTES else 0


def moderate_points() -> int:
    return POINTS[Kind.DEBATE_MODERATED]


def debate_scores(debaters: int) -> bool:
    """Whether a debate that ended with `debaters` debaters awards any points at all."""
    return debaters >= MIN_DEBATERS


# --- source keys: one per scorable act, so a replay is a duplicate --------------------------

def best_speaker_key(debate_id: int, user_id: int) -> str:
    return f"debate:{debate_id}:best-speaker:{user_id}"


def join_key(debate_id: int, user_id: int) -> str:
    return f"debate:{debate_id}:join:{user_id}"


def argument_key(debate_id: int, seq: int) -> str:
    return f"debate:{debate_id}:argument:{seq}"


def vote_key(debate_id: int, user_id: int) -> str:
    """Keyed by (debate, member): a changed or repeated vote is the same act."""
    return f"debate:{debate_id}:vote:{user_id}"


def win_key(debate_id: int, user_id: int) -> str:
    return f"debate:{debate_id}:win:{user_id}"


def moderate_key(debate_id: int, user_id: int) -> str:
    return f"debate:{debate_id}:moderate:{user_id}"


# --- a finished debate -> its awards ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ArgumentRecord:
    """An argument as the debate stored it; `argument_id` is its number within the debate."""

    argument_id: int
    user_id: int
    phase: str
    text: str


@dataclass(frozen=True, slots=True)
class Award:
    """One participation act of a finished debate and the points it earns (may be 0)."""

    kind: Kind
    user_id: int
    points: int
    source_key: str
    debate_id: int
    topic_id: str | None


def debate_awards(*, debate_id: int, topic_id: str | None, debaters: Mapping[int, str],
                  arguments: Iterable[ArgumentRecord], voters: Iterable[int],
                  winner: str | None, moderators: Iterable[int],
                  best_speaker: tuple[int, int] | None = None) -> list[Award]:
    """Every award of a debate that has just finished, in a stable order.

    `debaters` maps each member who was on a side when the debate ended to "pro" or "con"
    (members removed by a moderator are left out, and so are their arguments).
    `arguments` come in posting order: in each phase a member's first substantive argument
    scores, later ones are logged with 0 points. `voters` are the members who voted at least
    once. `winner` is the winning side or None (draw / dead heat). `best_speaker` is the
    audience's (speaker, votes); it scores when the speaker is still a debater. Returns [] for a
    no-contest (fewer than `MIN_DEBATERS` debaters).
    """
    if not debate_scores(len(debaters)):
        return []
    awards: list[Award] = []

    def add(kind: Kind, user_id: int, points: int, key: str) -> None:
        awards.append(Award(kind, user_id, points, key, debate_id, topic_id))

    for user_id in sorted(debaters):
        add(Kind.DEBATE_JOINED, user_id, join_points(), join_key(debate_id, user_id))
    scored: set[tuple[int, str]] = set()
    for argument in arguments:
        if argument.user_id not in debaters:
            continue
        slot = (argument.user_id, argument.phase)
        points = argument_points(argument.text, already_scored_in_phase=slot in scored)
        if points:
            scored.add(slot)
        add(Kind.ARGUMENT_POSTED, argument.user_id, points,
            argument_key(debate_id, argument.argument_id))
    for user_id in sorted(set(voters)):
        add(Kind.VOTE_CAST, user_id, vote_points(already_voted_in_debate=False),
            vote_key(debate_id, user_id))
    for user_id in sorted(debaters):
        points = win_points(debaters[user_id], winner)
        if points:
            add(Kind.DEBATE_WON, user_id, points, win_key(debate_id, user_id))
    for user_id in sorted(set(moderators)):
        add(Kind.DEBATE_MODERATED, user_id, moderate_points(), moderate_key(debate_id, user_id))
    if best_speaker is not None and best_speaker[0] in debaters:
        speaker, votes = best_speaker
        points = best_speaker_points(votes)
        if points:
            add(Kind.BEST_SPEAKER, speaker, points, best_speaker_key(debate_id, speaker))
    return awards


# --- periods (UTC) ---------------------------------------------------------------------------

def _utc(ts: float) -> datetime:
    if not math.isfinite(ts):
        raise ValueError(f"not a finite timestamp: {ts!r}")
    return datetime.fromtimestamp(ts, UTC)


def _week_of(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_key(ts: float) -> str:
    """ISO week of a Unix timestamp in UTC, e.g. "2026-W53"."""
    return _week_of(_utc(ts))


def month_key(ts: float) -> str:
    """Calendar month of a Unix timestamp in UTC, e.g. "2026-12"."""
    moment = _utc(ts)
    return f"{moment.year:04d}-{moment.month:02d}"


def period_keys(ts: float) -> tuple[str, str, str]:
    """(week, month, all-time) keys of the periods a timestamp counts in."""
    moment = _utc(ts)
    return _week_of(moment), f"{moment.year:04d}-{moment.month:02d}", ALL_TIME


def previous_week_key(ts: float) -> str:
    """The ISO week before the one `ts` falls in (for "last week's final board")."""
    return _week_of(_utc(ts) - timedelta(days=7))


def period_key(period: str, ts: float) -> str:
    """The key of "week", "month" or "all" at time `ts`."""
    if period == "week":
        return week_key(ts)
    if period == "month":
        return month_key(ts)
    if period == "all":
        return ALL_TIME
    raise ValueError(f"unknown period {period!r}; expected one of {PERIODS}")


# --- ranks -----------------------------------------------------------------------------------

def competition_ranks(points: Sequence[int], *, offset: int = 0,
                      first_rank: int | None = None) -> list[int]:
    """Competition ranks ("1, 2, 2, 4") of scores sorted from highest to lowest.

    For a page of a longer board, `offset` is the position of `points[0]` in the whole board
    and `first_rank` its rank (one more than the number of members with more points).
    """
    ranks: list[int] = []
    for index, value in enumerate(points):
        if index == 0:
            rank = offset + 1 if first_rank is None else first_rank
        elif value == points[index - 1]:
            rank = ranks[-1]
        elif value > points[index - 1]:
            raise ValueError("points must be sorted from highest to lowest")
        else:
            rank = offset + index + 1
        ranks.append(rank)
    return ranks
