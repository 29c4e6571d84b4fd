"""What scheduled debates say: to the moderator who schedules, in the Events tab, in the
channel before and at the start."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.schedule import GRACE, Schedule
from bot.ui import text
from bot.ui.voice import ENGLISH_VOICE, Voice

SCHEDULE_COLOUR = discord.Colour(0x3A7D44)


def _at(ts: float) -> str:
    """A Discord timestamp: each member's client shows it in their own timezone."""
    return f"<t:{int(ts)}:F> (<t:{int(ts)}:R>)"


def event_name(topic_title: str, voice: Voice = ENGLISH_VOICE) -> str:
    return text.clip(voice.say("Debate: {topic}", topic=topic_title), 100)


def event_description(motion: str, format_title: str, voice: Voice = ENGLISH_VOICE) -> str:
    return text.clip(voice.say("{format} debate on the motion: {motion}", format=format_title,
                               motion=motion), 1000)


def event_location(channel_name: str) -> str:
    return text.clip(f"#{channel_name}", 100)


def scheduled(s: Schedule, topic_title: str, event_made: bool,
              voice: Voice = ENGLISH_VOICE) -> str:
    say = voice.say
    out = say("Scheduled debate **S{id}**: {topic}, {when}, in <#{channel}>.", id=s.id,
              topic=topic_title, when=_at(s.starts_at), channel=s.channel_id)
    if s.weekly:
        out += " " + say("It repeats every week.")
    if event_made:
        out += " " + say("It is in the server's Events tab, where members can mark it "
                         "Interested: they are reminded 10 minutes before.")
    else:
        out += " " + say("No Discord event was made (Rostrum needs the Create Events "
                         "permission); the channel is still reminded.")
    return out


def moved(s: Schedule, voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("Debate **S{id}** now starts {when}.", id=s.id, when=_at(s.starts_at))


def cancelled(s: Schedule, voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("Debate **S{id}** is cancelled, and so is its Discord event.", id=s.id)


def upcoming_embed(found: Sequence[tuple[Schedule, str]],
                   voice: Voice = ENGLISH_VOICE) -> discord.Embed:
    say = voice.say
    embed = discord.Embed(title=say("Scheduled debates"), colour=SCHEDULE_COLOUR)
    if not found:
        embed.description = say("Nothing is scheduled. Schedule one with `/schedule add`.")
        return embed
    lines = []
    for s, topic_title in found:
        line = say("**S{id}** · {topic} · {when} · <#{channel}>", id=s.id, topic=topic_title,
                   when=_at(s.starts_at), channel=s.channel_id)
        lines.append(line + (" · " + say("weekly") if s.weekly else ""))
    embed.description = text.clip("\n".join(lines), text.EMBED_DESCRIPTION)
    return embed


def schedule_choice(s: Schedule, topic_title: str, voice: Voice = ENGLISH_VOICE) -> str:
    from datetime import UTC, datetime
    when = datetime.fromtimestamp(s.starts_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    return text.clip(voice.say("S{id} · {topic} · {when}", id=s.id, topic=topic_title,
                               when=when), 100)


def reminder(motion: str, starts_at: float, mentions: Sequence[int],
             voice: Voice = ENGLISH_VOICE) -> str:
    line = "⏰ " + voice.say("A debate starts <t:{ts}:R> here: {motion}", ts=int(starts_at),
                            motion=motion)
    if mentions:
        line += "\n" + voice.say("Interested: {members}",
                                 members=" ".join(f"<@{m}>" for m in mentions))
    return text.clip(line, text.MESSAGE_CONTENT)


def late_note(minutes: int, voice: Voice = ENGLISH_VOICE) -> str:
    return "⚠️ " + voice.say.plural(
        "Starting {n} minute late: Rostrum was offline at the scheduled time.",
        "Starting {n} minutes late: Rostrum was offline at the scheduled time.",
        minutes, n=voice.number(minutes))


def missed_note(starts_at: float, voice: Voice = ENGLISH_VOICE) -> str:
    return "⚠️ " + voice.say(
        "The debate scheduled for <t:{ts}:F> did not start: Rostrum was offline for more "
        "than {grace} minutes past its time. A moderator can schedule it again.",
        ts=int(starts_at), grace=GRACE // 60)


def not_started_note(starts_at: float, voice: Voice = ENGLISH_VOICE) -> str:
    return "⚠️ " + voice.say(
        "The debate scheduled for <t:{ts}:F> could not start here: another debate is "
        "running in this channel.", ts=int(starts_at))
