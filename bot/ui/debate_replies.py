"""What the bot answers, privately, to a member's or moderator's debate action. One function
per reply, taking data only: the cogs never write a sentence."""

from __future__ import annotations

import discord

from bot.ui import debate_text
from bot.ui.debate_cards import duration

NO_DEBATE_HERE = ("There is no live debate here. Run this in a debate's thread or in the "
                  "channel it started from, or start one with `/moderate start`.")
BUTTONS_DEAD = "This debate is over; the buttons no longer do anything."
FOREIGN_BUTTON = "That button does not belong to a debate in this server."
JUST_ENDED = "This debate has just ended."
TOPIC_GONE = "This debate's topic is no longer in the content pack."
NO_SUCH_DEBATE = "No such debate in this server; pick one from the list."
NOT_A_TEXT_CHANNEL = "Start a debate from a text channel; it gets its own thread there."

#: The moderator's answer once an action is done, by audit action.
DONE = {"begin": "Debate begun.", "next": "Moved on.", "pause": "Paused.",
        "resume": "Resumed.", "end": "Ended.",
        "cancel": "Cancelled: no result, and no points for anyone."}


def slow_down(seconds: float) -> str:
    return f"Easy there: try again in {max(1, round(seconds))} s."


def joined(side: str, debate_id: int, *, switched: bool) -> str:
    verb = "switched to" if switched else "joined"
    return f"You {verb} the **{side}** side of debate #{debate_id}."


def left(debate_id: int) -> str:
    return f"You left debate #{debate_id}."


def argued(seq: int, phase_title: str, posts_left: int | None) -> str:
    more = ("" if posts_left is None else
            f" You have {debate_text.plural(posts_left, 'more argument', 'more arguments')} "
            "in this phase.")
    return f"Posted as argument #{seq} in {phase_title}.{more}"


def vote_unchanged(choice: str) -> str:
    return f"Your vote is already **{choice}**."


def voted(choice: str, previous: str | None, phase_title: str) -> str:
    if previous and previous != choice:
        message = f"Vote changed from {previous} to **{choice}**."
    else:
        message = f"Vote recorded: **{choice}**."
    return f"{message} You can change it until {phase_title} closes."


def extended(seconds: int) -> str:
    return f"Extended by {duration(seconds)}."


def removed(name: str, debate_id: int) -> str:
    """`name` must already be escaped."""
    return f"{name} is removed from debate #{debate_id}."


def already_running(thread_id: int | None, *, advise: bool) -> str:
    where = f"<#{thread_id}>" if thread_id else "in this channel"
    return (f"A debate is already running here: {where}."
            + (" End it before starting another." if advise else ""))


def announcement(debate_id: int, format_title: str, motion: str) -> str:
    return f"📣 **Debate #{debate_id}** ({format_title}): {motion}\nJoin in the thread below."


def thread_name(topic_title: str) -> str:
    return f"Debate: {topic_title}"


def transcript_caption(debate_id: int) -> str:
    return f"Transcript of debate #{debate_id}."


def start_failed(error: Exception) -> str:
    """Why /moderate start did not start anything."""
    if isinstance(error, discord.Forbidden):
        return ("I can't open a thread here: I need the Create Public Threads and Read "
                "Message History permissions in this channel. Nothing was started.")
    if isinstance(error, discord.HTTPException):
        return (f"Discord did not create the debate's thread (error {error.status}), so "
                "nothing was started. Please try again in a moment.")
    return ("I could not reach Discord to create the debate's thread, so nothing was "
            "started. Please try again in a moment.")
