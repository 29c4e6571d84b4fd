"""What the bot answers, privately, to a member's or moderator's debate action. One function
per reply, taking data only: the cogs never write a sentence."""

from __future__ import annotations

from functools import singledispatch

from bot.service.outcomes import Argued, Joined, Left, Removed, Steered, Voted
from bot.ui import debate_text, text
from bot.ui.debate_cards import duration

#: The moderator's answer once an action is done, by audit action.
DONE = {"begin": "Debate begun.", "next": "Moved on.", "pause": "Paused.",
        "resume": "Resumed.", "end": "Ended.",
        "cancel": "Cancelled: no result, and no points for anyone."}



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



def announcement(debate_id: int, format_title: str, motion: str) -> str:
    return f"📣 **Debate #{debate_id}** ({format_title}): {motion}\nJoin in the thread below."


def forum_post_opened(debate_id: int, post_id: int) -> str:
    return f"📣 **Debate #{debate_id}** is open: <#{post_id}>"


def thread_name(topic_title: str) -> str:
    return f"Debate: {topic_title}"


def transcript_caption(debate_id: int) -> str:
    return f"Transcript of debate #{debate_id}."


@singledispatch
def reply(outcome: object) -> str:
    """The private answer to a debate action, from what the service says it did."""
    raise TypeError(f"no reply for {type(outcome).__name__}")


@reply.register
def _(outcome: Joined) -> str:
    return joined(outcome.side, outcome.debate_id, switched=outcome.switched)


@reply.register
def _(outcome: Left) -> str:
    return left(outcome.debate_id)


@reply.register
def _(outcome: Argued) -> str:
    return argued(outcome.seq, outcome.phase_title, outcome.posts_left)


@reply.register
def _(outcome: Voted) -> str:
    if outcome.unchanged:
        return vote_unchanged(outcome.choice)
    return voted(outcome.choice, outcome.previous, outcome.phase_title)


@reply.register
def _(outcome: Steered) -> str:
    return extended(outcome.seconds or 0) if outcome.action == "extend" else DONE[outcome.action]


@reply.register
def _(outcome: Removed) -> str:
    return removed(text.escape_user_text(outcome.name), outcome.debate_id)


def past_debate_choice(debate_id: int, topic_title: str, status: str) -> str:
    """A line of the /debate transcript picker."""
    return f"#{debate_id} · {topic_title} · {status}"

