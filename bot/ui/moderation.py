"""What moderators read about reported arguments: the report posted in the server's report
channel, and the `/moderate reports` list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.core.debate import Argument, DebateState
from bot.storage.reports import Reported
from bot.ui import text
from bot.ui.voice import ENGLISH_VOICE, Voice

REPORT_COLOUR = discord.Colour(0xB5442E)
#: How much of a reported argument the report quotes (the jump link shows the rest).
EXCERPT = 300


def report_embed(state: DebateState, argument: Argument, author: str | None,
                 message_id: int | None, voice: Voice = ENGLISH_VOICE) -> discord.Embed:
    """The first report of an argument, for the moderators (names the author, never the
    reporter)."""
    say = voice.say
    name = text.escape_user_text(author) if author else str(argument.user_id)
    embed = discord.Embed(
        title=text.clip(say("Argument #{seq} of debate #{id} reported", seq=argument.seq,
                            id=state.id), text.EMBED_TITLE),
        description=text.clip(text.clean_user_text(argument.text), EXCERPT),
        colour=REPORT_COLOUR)
    embed.add_field(name=say("Author"), value=text.clip(name, text.FIELD_VALUE))
    embed.add_field(name=say("Side"), value=voice.side_label(argument.side))
    link = text.jump_url(state.guild_id, state.thread_id, message_id) if message_id else None
    if link is not None:
        embed.add_field(name=say("In the thread"), value=link, inline=False)
    embed.set_footer(text=say("Remove it with the button, or with Apps → Remove argument on "
                              "its message."))
    return embed


def remove_button_label(voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("Remove argument")


def reports_embed(guild_id: int, found: Sequence[Reported], names: Mapping[int, str],
                  voice: Voice = ENGLISH_VOICE) -> discord.Embed:
    """`/moderate reports`: the reported arguments that still stand, most reported first."""
    say = voice.say
    embed = discord.Embed(title=say("Reported arguments"), colour=REPORT_COLOUR)
    if not found:
        embed.description = say("Nothing reported is waiting for a decision.")
        return embed
    lines = []
    for item in found:
        author = text.escape_user_text(names.get(item.author_id) or str(item.author_id))
        line = say.plural("#{seq} of debate #{id} by {author}: {n} report",
                          "#{seq} of debate #{id} by {author}: {n} reports", item.reports,
                          seq=item.seq, id=item.debate_id, author=author,
                          n=voice.number(item.reports))
        link = (text.jump_url(guild_id, item.thread_id, item.message_id)
                if item.message_id else None)
        lines.append(f"• {line}" + (f" — {link}" if link else ""))
    embed.description = text.clip("\n".join(lines), text.EMBED_DESCRIPTION)
    embed.set_footer(text=say("Remove one with Apps → Remove argument on its message."))
    return embed
