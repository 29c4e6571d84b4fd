"""What a debate use case did, as data: the cogs render these in `bot.ui`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.content import Topic
from bot.core.debate import DebateState, StatusView
from bot.storage.debates import AuditEntry, DebateSummary, PhaseRecord


@dataclass(frozen=True, slots=True)
class Joined:
    debate_id: int
    side: str
    switched: bool


@dataclass(frozen=True, slots=True)
class Left:
    debate_id: int


@dataclass(frozen=True, slots=True)
class Argued:
    seq: int
    phase_id: str
    posts_left: int | None


@dataclass(frozen=True, slots=True)
class Voted:
    choice: str
    previous: str | None
    phase_id: str
    unchanged: bool = False


@dataclass(frozen=True, slots=True)
class SpeakerChosen:
    """An audience member named `name` best speaker (`changed`: replacing another)."""

    name: str
    changed: bool


@dataclass(frozen=True, slots=True)
class JudgeAdded:
    debate_id: int
    name: str
    judges: int  # how many the debate has now


@dataclass(frozen=True, slots=True)
class BallotRecorded:
    side: str
    previous: str | None


@dataclass(frozen=True, slots=True)
class Steered:
    """A moderator action done: `action` is begin, next, pause, resume, end, cancel or extend."""

    action: str
    seconds: int | None = None


@dataclass(frozen=True, slots=True)
class Removed:
    debate_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Redacted:
    """Argument `seq` of a debate was removed by a moderator; `withdrawn` participation
    events (its points) were taken back (0 while the debate runs: nothing was scored yet)."""

    debate_id: int
    seq: int
    withdrawn: int


@dataclass(frozen=True, slots=True)
class Reported:
    """A member reported argument `seq`; `reports` is how many members have; `first` says
    whether this was the first report (the one that alerts the moderators)."""

    debate_id: int
    seq: int
    reports: int

    @property
    def first(self) -> bool:
        return self.reports == 1


@dataclass(frozen=True, slots=True)
class ArgumentForm:
    """The argument form a debater may open now."""

    debate_id: int
    phase_id: str
    side: str | None
    max_chars: int


@dataclass(frozen=True, slots=True)
class Status:
    state: DebateState
    topic: Topic
    view: StatusView
    names: dict[int, str]


@dataclass(frozen=True, slots=True)
class Transcript:
    state: DebateState
    topic: Topic | None
    names: dict[int, str]
    phases: list[PhaseRecord]
    audit: list[AuditEntry]


@dataclass(frozen=True, slots=True)
class PastDebate:
    summary: DebateSummary
    topic_title: str


Outcome = (Joined | Left | Argued | Voted | Steered | Removed | Redacted | Reported
           | SpeakerChosen | JudgeAdded | BallotRecorded)
