"""Motions a server writes itself: proposed by members, approved by moderators, debated
like the article's five topics but without a brief.

A motion becomes a `Topic` whose id is "motion:<n>", so every part of Rostrum that shows a
topic shows it; its brief fields are empty (the cards say there is none).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.core.content import Topic
from bot.core.debate import Refusal

PREFIX = "motion:"
MOTION_CHARS = (10, 300)
FRAMING_MAX = 1000
TITLE_MAX = 80


class MotionStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Motion:
    id: int
    guild_id: int
    text: str
    framing: str | None
    status: MotionStatus
    proposed_by: int

    @property
    def topic_id(self) -> str:
        return f"{PREFIX}{self.id}"

    def as_topic(self, shown: Callable[[str], str] = str) -> Topic:
        """The motion as a topic with no brief; `shown` makes member text safe to display
        (Markdown and mentions escaped)."""
        title = self.text if len(self.text) <= TITLE_MAX else self.text[:TITLE_MAX - 1] + "…"
        return Topic(id=self.topic_id, title=shown(title), framing=shown(self.framing or ""),
                     motion=shown(self.text), pro=(), con=(), key_terms=(), sections=())


def is_motion(topic_id: str) -> bool:
    return topic_id.startswith(PREFIX)


def motion_id(topic_id: str) -> int | None:
    tail = topic_id.removeprefix(PREFIX)
    return int(tail) if is_motion(topic_id) and tail.isdigit() else None


def checked(text: str, framing: str | None) -> tuple[str, str | None]:
    """A motion and its framing, whitespace-normalised; refuses lengths out of bounds."""
    body = " ".join(text.split())
    low, high = MOTION_CHARS
    if not low <= len(body) <= high:
        raise Refusal("bad_motion_length", length=len(body), low=low, high=high)
    about = " ".join((framing or "").split()) or None
    if about is not None and len(about) > FRAMING_MAX:
        raise Refusal("bad_framing_length", length=len(about), high=FRAMING_MAX)
    return body, about
