"""What the motion commands say: the form, the lists, the answers."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.motions import Motion, MotionStatus
from bot.ui import text
from bot.ui.voice import ENGLISH_VOICE, Voice

MOTION_COLOUR = discord.Colour(0x6B5B95)


def form_title(voice: Voice = ENGLISH_VOICE) -> str:
    return text.clip(voice.say("Propose a motion"), 45)


def motion_label(voice: Voice = ENGLISH_VOICE) -> str:
    return text.clip(voice.say("Motion (This house believes that…)"), 45)


def motion_placeholder(voice: Voice = ENGLISH_VOICE) -> str:
    return text.clip(voice.say("One sentence both sides can argue, 10 to 300 characters"), 100)


def framing_label(voice: Voice = ENGLISH_VOICE) -> str:
    return text.clip(voice.say("Framing (optional): what it is about"), 45)


def proposed(motion: Motion, voice: Voice = ENGLISH_VOICE) -> str:
    shown = text.escape_user_text(motion.text)
    if motion.status is MotionStatus.APPROVED:
        return voice.say("Motion **M{id}** is approved: moderators can start or schedule a "
                         "debate on it now.\n> {motion}", id=motion.id, motion=shown)
    return voice.say("Thank you: motion **M{id}** is proposed; a moderator will review it.\n"
                     "> {motion}", id=motion.id, motion=shown)


def decided(motion: Motion, voice: Voice = ENGLISH_VOICE) -> str:
    if motion.status is MotionStatus.APPROVED:
        return voice.say("Motion **M{id}** approved: it is offered by `/moderate start` and "
                         "`/schedule add`.", id=motion.id)
    return voice.say("Motion **M{id}** rejected.", id=motion.id)


def motion_choice(motion: Motion) -> str:
    return text.clip(f"M{motion.id} · {' '.join(motion.text.split())}", 100)


def motions_embed(found: Sequence[Motion], *, approved: bool,
                  voice: Voice = ENGLISH_VOICE) -> discord.Embed:
    say = voice.say
    title = say("This server's motions") if approved else say("Proposed motions")
    embed = discord.Embed(title=title, colour=MOTION_COLOUR)
    if not found:
        embed.description = (say("None yet. Propose one with `/motion propose`.") if approved
                             else say("No proposal is waiting."))
        return embed
    lines = [f"**M{m.id}** · {text.escape_user_text(m.text)}" for m in found]
    embed.description = text.clip("\n".join(lines), text.EMBED_DESCRIPTION)
    if not approved:
        embed.set_footer(text=say("Decide with /moderate approve-motion or reject-motion."))
    return embed
