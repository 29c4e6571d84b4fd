"""A debate's words in one language: Rostrum's sentences (`say`), the content pack's titles,
and numbers and durations written the way that language writes them (Babel's CLDR data).

The debate engine works with the English pack; every id (topic, format, phase) is the same
in each language's pack, so a card looks its titles up here by id."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal
from babel.units import format_unit

from bot.core.content import ContentPack, Format, Phase, Topic
from bot.i18n.messages import ENGLISH, Say, say_in


@dataclass(frozen=True, slots=True)
class Voice:
    say: Say = ENGLISH
    #: The content pack in this language; None: use the titles of the objects given.
    pack: ContentPack | None = None

    @property
    def language(self) -> str:
        return self.say.language

    # ------------------------------------------------------------------ content titles

    def format(self, fmt: Format) -> Format:
        """`fmt` as this language's pack writes it (same phases, same ids)."""
        found = self.pack.format(fmt.id) if self.pack is not None else None
        return found if found is not None and len(found.phases) == len(fmt.phases) else fmt

    def phase(self, fmt: Format, phase: Phase) -> Phase:
        return next((p for p in self.format(fmt).phases if p.id == phase.id), phase)

    def phase_title(self, fmt: Format | None, phase_id: str) -> str:
        if fmt is None:
            return phase_id
        return next((p.title for p in self.format(fmt).phases if p.id == phase_id), phase_id)

    def topic(self, topic: Topic) -> Topic:
        found = self.pack.topic(topic.id) if self.pack is not None else None
        return found or topic

    def topic_title(self, topic_id: str) -> str:
        found = self.pack.topic(topic_id) if self.pack is not None else None
        return found.title if found is not None else topic_id

    # ------------------------------------------------------------------ numbers and words

    def number(self, n: float) -> str:
        return format_decimal(n, locale=self.language)

    def signed(self, points: float) -> str:
        """+12, -3, +2.5."""
        return format_decimal(round(points, 1), format="+#,##0.#;-#,##0.#",
                              locale=self.language)

    def duration(self, seconds: float) -> str:
        """'2 min 30 sec' / '2 分 30 秒' / '2분 30초'."""
        minutes, secs = divmod(max(0, round(seconds)), 60)
        parts = []
        if minutes:
            parts.append(format_unit(minutes, "duration-minute", length="short",
                                     locale=self.language))
        if secs or not minutes:
            parts.append(format_unit(secs, "duration-second", length="short",
                                     locale=self.language))
        return " ".join(parts)

    def side(self, side: str) -> str:
        """A side or vote choice inside a sentence: pro, con, undecided."""
        match side:
            case "pro":
                return self.say("pro")
            case "con":
                return self.say("con")
            case "undecided":
                return self.say("undecided")
        return side

    def side_label(self, side: str) -> str:
        """A side as a label: Pro, Con, Both sides, Audience."""
        match side:
            case "pro":
                return self.say("Pro")
            case "con":
                return self.say("Con")
            case "both":
                return self.say("Both sides")
            case "none":
                return self.say("Audience")
        return side


def voice_in(language: str, library: ContentPack | None) -> Voice:
    """The voice of `language`, with the pack written in it (English where none is)."""
    say = say_in(language)
    return Voice(say, library.in_language(say.language) if library is not None else None)


ENGLISH_VOICE = Voice()
