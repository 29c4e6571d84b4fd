"""What the bot answers, privately, to a member's or moderator's debate action, in the
member's voice (language). One function per reply, taking data only: the cogs never write a
sentence."""

from __future__ import annotations

from functools import singledispatch

from bot.core.content import Format
from bot.service.outcomes import (
    Argued,
    BallotRecorded,
    Joined,
    JudgeAdded,
    Left,
    Redacted,
    Removed,
    Reported,
    SpeakerChosen,
    Steered,
    Voted,
)
from bot.ui import text
from bot.ui.voice import ENGLISH_VOICE, Voice


def done(action: str, voice: Voice = ENGLISH_VOICE) -> str:
    """The moderator's answer once an action is done, by audit action."""
    say = voice.say
    answers = {"begin": say("Debate begun."), "next": say("Moved on."), "pause": say("Paused."),
               "resume": say("Resumed."), "end": say("Ended."),
               "cancel": say("Cancelled: no result, and no points for anyone.")}
    return answers[action]


def joined(side: str, debate_id: int, *, switched: bool, voice: Voice = ENGLISH_VOICE) -> str:
    if switched:
        return voice.say("You switched to the **{side}** side of debate #{id}.",
                         side=voice.side(side), id=debate_id)
    return voice.say("You joined the **{side}** side of debate #{id}.",
                     side=voice.side(side), id=debate_id)


def left(debate_id: int, voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("You left debate #{id}.", id=debate_id)


def argued(seq: int, phase_title: str, posts_left: int | None,
           voice: Voice = ENGLISH_VOICE) -> str:
    say = voice.say
    posted = say("Posted as argument #{seq} in {phase}.", seq=seq, phase=phase_title)
    if posts_left is None:
        return posted
    return posted + say.space + say.plural(
        "You have {n} more argument in this phase.",
        "You have {n} more arguments in this phase.", posts_left)


def vote_unchanged(choice: str, voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("Your vote is already **{choice}**.", choice=voice.side(choice))


def voted(choice: str, previous: str | None, phase_title: str,
          voice: Voice = ENGLISH_VOICE) -> str:
    say = voice.say
    if previous and previous != choice:
        message = say("Vote changed from {previous} to **{choice}**.",
                      previous=voice.side(previous), choice=voice.side(choice))
    else:
        message = say("Vote recorded: **{choice}**.", choice=voice.side(choice))
    return message + say.space + say("You can change it until {phase} closes.",
                                     phase=phase_title)


def extended(seconds: int, voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("Extended by {time}.", time=voice.duration(seconds))


def removed(name: str, debate_id: int, voice: Voice = ENGLISH_VOICE) -> str:
    """`name` must already be escaped."""
    return voice.say("{name} is removed from debate #{id}.", name=name, id=debate_id)


def announcement(debate_id: int, format_title: str, motion: str,
                 voice: Voice = ENGLISH_VOICE) -> str:
    return "📣 " + voice.say("**Debate #{id}** ({format}): {motion}", id=debate_id,
                            format=format_title, motion=motion) + "\n" + voice.say(
        "Join in the thread below.")


def forum_post_opened(debate_id: int, post_id: int, voice: Voice = ENGLISH_VOICE) -> str:
    return "📣 " + voice.say("**Debate #{id}** is open: {post}", id=debate_id,
                            post="<#" + str(post_id) + ">")


def thread_name(topic_title: str, voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("Debate: {topic}", topic=topic_title)


def slowmode_set(seconds: int, voice: Voice = ENGLISH_VOICE) -> str:
    if seconds == 0:
        return voice.say("Slowmode is off in the debate thread.")
    return voice.say("Slowmode in the debate thread: a member may post once every {time}. "
                     "Arguments, votes and buttons go through Rostrum and are not slowed.",
                     time=voice.duration(seconds))


def audience_thread_name(topic_title: str, voice: Voice = ENGLISH_VOICE) -> str:
    return "💬 " + voice.say("Audience: {topic}", topic=topic_title)


def audience_thread_link(thread_id: int, voice: Voice = ENGLISH_VOICE) -> str:
    return "💬 " + voice.say("Audience talk goes in <#{thread}>, so this thread keeps the "
                            "debate.", thread=thread_id)


def audience_thread_opened(thread_id: int, voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("The audience's thread is <#{thread}>; its link is posted in the debate.",
                     thread=thread_id)


def alerts_set(mode: str, voice: Voice = ENGLISH_VOICE) -> str:
    if mode == "mention":
        return voice.say("Turn alerts are **on**: when a phase opens in which you speak, its "
                         "card mentions you.")
    if mode == "dm":
        return voice.say("Turn alerts come **by DM**: when a phase opens in which you speak, "
                         "Rostrum sends you a direct message (if your privacy settings allow "
                         "DMs from this server) and the card does not mention you.")
    return voice.say("Turn alerts are **off**: phase cards will not mention you. Turn them "
                     "back on with `/debate alerts`.")


def transcript_caption(debate_id: int, voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("Transcript of debate #{id}.", id=debate_id)


def argument_choice(seq: int, author: str, body: str, voice: Voice = ENGLISH_VOICE) -> str:
    """An argument in the reply-to list: its number, author and first words."""
    words = " ".join(text.clean_user_text(body).split())
    return voice.say("#{seq} {author}: {words}", seq=seq, author=author,
                     words=words[:60] + ("…" if len(words) > 60 else ""))


def past_debate_choice(debate_id: int, topic_title: str, status: str,
                       voice: Voice = ENGLISH_VOICE) -> str:
    """A line of the /debate transcript picker."""
    return f"#{debate_id} · {topic_title} · {status_word(status, voice)}"


def status_word(status: str, voice: Voice = ENGLISH_VOICE) -> str:
    say = voice.say
    words = {"lobby": say("lobby"), "running": say("running"), "paused": say("paused"),
             "finished": say("finished"), "cancelled": say("cancelled")}
    return words.get(status, status)


def card_gone(voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("That card can no longer be shown.")


@singledispatch
def reply(outcome: object, voice: Voice = ENGLISH_VOICE, fmt: Format | None = None) -> str:
    """The private answer to a debate action, from what the service says it did."""
    raise TypeError(f"no reply for {type(outcome).__name__}")


@reply.register
def _(outcome: Joined, voice: Voice = ENGLISH_VOICE, fmt: Format | None = None) -> str:
    return joined(outcome.side, outcome.debate_id, switched=outcome.switched, voice=voice)


@reply.register
def _(outcome: Left, voice: Voice = ENGLISH_VOICE, fmt: Format | None = None) -> str:
    return left(outcome.debate_id, voice)


@reply.register
def _(outcome: Argued, voice: Voice = ENGLISH_VOICE, fmt: Format | None = None) -> str:
    return argued(outcome.seq, voice.phase_title(fmt, outcome.phase_id), outcome.posts_left,
                  voice)


@reply.register
def _(outcome: Voted, voice: Voice = ENGLISH_VOICE, fmt: Format | None = None) -> str:
    if outcome.unchanged:
        return vote_unchanged(outcome.choice, voice)
    return voted(outcome.choice, outcome.previous, voice.phase_title(fmt, outcome.phase_id),
                 voice)


@reply.register
def _(outcome: Steered, voice: Voice = ENGLISH_VOICE, fmt: Format | None = None) -> str:
    if outcome.action == "extend":
        return extended(outcome.seconds or 0, voice)
    return done(outcome.action, voice)


@reply.register
def _(outcome: JudgeAdded, voice: Voice = ENGLISH_VOICE, fmt: Format | None = None) -> str:
    return voice.say.plural(
        "{name} judges debate #{id}. Its {n} judge's ballot, cast in the closing vote with "
        "`/debate ballot`, decides the winner.",
        "{name} judges debate #{id}. Its {n} judges' ballots, cast in the closing vote with "
        "`/debate ballot`, decide the winner.", outcome.judges,
        name=text.escape_user_text(outcome.name), id=outcome.debate_id,
        n=voice.number(outcome.judges))


@reply.register
def _(outcome: BallotRecorded, voice: Voice = ENGLISH_VOICE, fmt: Format | None = None) -> str:
    if outcome.previous and outcome.previous != outcome.side:
        return voice.say("Ballot changed to **{side}**.", side=voice.side(outcome.side))
    return voice.say("Ballot recorded: **{side}**. You can change it until the vote closes.",
                     side=voice.side(outcome.side))


@reply.register
def _(outcome: SpeakerChosen, voice: Voice = ENGLISH_VOICE, fmt: Format | None = None) -> str:
    name = text.escape_user_text(outcome.name)
    if outcome.changed:
        return voice.say("Best speaker changed to **{name}**.", name=name)
    return voice.say("Your best speaker: **{name}**. You can change it until the vote closes.",
                     name=name)


@reply.register
def _(outcome: Redacted, voice: Voice = ENGLISH_VOICE, fmt: Format | None = None) -> str:
    done = voice.say("Argument #{seq} of debate #{id} is removed: its card and the transcript "
                     "say so, and it scores nothing.", seq=outcome.seq, id=outcome.debate_id)
    if not outcome.withdrawn:
        return done
    return done + " " + voice.say("The points it had earned are withdrawn.")


@reply.register
def _(outcome: Reported, voice: Voice = ENGLISH_VOICE, fmt: Format | None = None) -> str:
    return voice.say("Thank you: argument #{seq} is reported to the moderators. They decide "
                     "whether it breaks the rules; your name is not shown to its author.",
                     seq=outcome.seq)


@reply.register
def _(outcome: Removed, voice: Voice = ENGLISH_VOICE, fmt: Format | None = None) -> str:
    return removed(text.escape_user_text(outcome.name), outcome.debate_id, voice)
