"""Embeds for debates: the lobby card, phase cards, arguments, status and the result.

Every renderer takes the `Voice` of the language it speaks: a debate's public cards speak
the debate's language; a card shown privately (🌐, /debate status) the reader's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import discord

from bot.core.content import Format, Phase, Topic
from bot.core.debate import DebateState, StatusView
from bot.core.motions import is_motion
from bot.core.results import Result, Tally
from bot.storage.debates import PhaseRecord
from bot.ui import debate_text, text
from bot.ui.voice import ENGLISH_VOICE, Voice

PRO_COLOUR = discord.Colour(0x2E8B57)
CON_COLOUR = discord.Colour(0xB03A2E)
NEUTRAL_COLOUR = discord.Colour(0x4A6FA5)
VOTE_COLOUR = discord.Colour(0xC9A227)
SIDE_COLOUR = {"pro": PRO_COLOUR, "con": CON_COLOUR}


def relative(ts: float) -> str:
    """A Discord timestamp that counts down in every client, in its own language."""
    return discord.utils.format_dt(datetime.fromtimestamp(int(ts), UTC), "R")


def clock(ts: float) -> str:
    return discord.utils.format_dt(datetime.fromtimestamp(int(ts), UTC), "T")


def _names(user_ids: Sequence[int], names: Mapping[int, str], voice: Voice) -> str:
    if not user_ids:
        return voice.say("nobody yet")
    listed = ", ".join(text.escape_user_text(names.get(u) or unknown_author(u, voice))
                       for u in user_ids)
    return text.clip(listed, text.FIELD_VALUE)


def _phase_line(state: DebateState, phase: Phase, voice: Voice) -> str:
    who = voice.side_label(phase.side) if not phase.is_vote else voice.say("Audience vote")
    title = voice.phase(state.format, phase).title
    return f"**{title}** · {who} · {voice.duration(state.phase_length(phase))}"


def lobby_embed(state: DebateState, topic: Topic, names: Mapping[int, str],
                voice: Voice = ENGLISH_VOICE) -> discord.Embed:
    say = voice.say
    fmt, topic = voice.format(state.format), voice.topic(topic)
    embed = discord.Embed(
        title=text.clip(say("Debate #{id}: {topic}", id=state.id, topic=topic.title),
                        text.EMBED_TITLE),
        description=text.clip(say("**Motion:** {motion}", motion=topic.motion)
                              + f"\n\n{fmt.description}", text.EMBED_DESCRIPTION),
        colour=NEUTRAL_COLOUR,
    )
    order = "\n".join(f"{i}. {_phase_line(state, p, voice)}"
                      for i, p in enumerate(state.format.phases, 1))
    embed.add_field(name=text.clip(say("Format: {format}", format=fmt.title), text.FIELD_NAME),
                    value=text.clip(order, text.FIELD_VALUE), inline=False)
    cap = fmt.debaters_per_side
    if state.judges:
        embed.add_field(name=say("Judges (their ballots decide)"),
                        value=_names(sorted(state.judges), names, voice), inline=False)
    for side in ("pro", "con"):
        label = voice.side_label(side)
        name = say("{side} (max {n})", side=label, n=cap) if cap else label
        embed.add_field(name=name, value=_names(state.debaters(side), names, voice))
    if is_motion(topic.id):
        note = say("A motion of this server's own: Rostrum has no brief for it. Sides make "
                   "the case themselves.")
        framing = f"{topic.framing}\n\n" if topic.framing else ""
        embed.add_field(name=say("Brief"), value=text.clip(framing + note, text.FIELD_VALUE),
                        inline=False)
        footer = say("Debaters: pick a side. Everyone else: vote when a vote phase opens. "
                     "A moderator begins the debate.")
    else:
        footer = say("Debaters: pick a side. Everyone else: vote when a vote phase opens. "
                     "A moderator begins the debate. Brief: /topic topic:{topic}",
                     topic=topic.id)
    embed.set_footer(text=text.clip(footer, text.EMBED_FOOTER))
    return embed


def _floor(phase: Phase, voice: Voice) -> str:
    """Who may speak in a phase, and how much."""
    say = voice.say
    who = (say("debaters of both sides") if phase.side == "both"
           else say("the **{side}** side", side=voice.side(phase.side)))
    posts = phase.max_posts_per_member
    limits = []
    if posts:
        limits.append(say.plural("up to {n} argument each", "up to {n} arguments each", posts))
    if phase.max_chars:
        limits.append(say("{n} characters max", n=voice.number(phase.max_chars)))
    return say("The floor is open to {who}: {limits}. Use **Make your argument** below or "
               "`/debate argue`.", who=who, limits=say(", ").join(limits))


def phase_embed(state: DebateState, phase: Phase, index: int, deadline: float,
                voice: Voice = ENGLISH_VOICE,
                closed: tuple[Phase, Tally] | None = None) -> discord.Embed:
    """`closed`: the vote that closed as this phase opened, shown with its tally."""
    say = voice.say
    total = len(state.format.phases)
    if phase.is_vote:
        body = say("Audience: vote **pro**, **con** or **undecided** with the buttons below "
                   "(or `/debate vote`). You can change your vote until the phase closes; "
                   "debaters do not vote.")
        colour = VOTE_COLOUR
    else:
        body = _floor(phase, voice)
        colour = SIDE_COLOUR.get(phase.side, NEUTRAL_COLOUR)
    title = say("Phase {n}/{total} · {phase}", n=index + 1, total=total,
                phase=voice.phase(state.format, phase).title)
    embed = discord.Embed(title=text.clip(title, text.EMBED_TITLE), description=body,
                          colour=colour)
    embed.add_field(name=say("Ends"), value=f"{relative(deadline)} ({clock(deadline)})")
    if closed is not None:
        vote, tally = closed
        embed.add_field(name=text.clip(say("{phase} closed", phase=voice.phase(
            state.format, vote).title), text.FIELD_NAME), value=tally_line(tally, voice),
            inline=False)
    embed.set_footer(text=say("Debate #{id}", id=state.id))
    return embed


#: At most this many debaters are mentioned on one phase card (Discord allows 100 pinged
#: users and 2,000 characters: 50 mentions fit both with room for the sentence).
MAX_TURN_MENTIONS = 50


def turn_alert(user_ids: Sequence[int], phase: Phase, state: DebateState,
               voice: Voice = ENGLISH_VOICE) -> str:
    """The line above a phase card that mentions the debaters whose turn it is."""
    mentions = " ".join(f"<@{user}>" for user in user_ids[:MAX_TURN_MENTIONS])
    return "🔔 " + voice.say("{members} your turn: {phase}.", members=mentions,
                            phase=voice.phase(state.format, phase).title)


def turn_dm(state: DebateState, phase: Phase, voice: Voice = ENGLISH_VOICE) -> str:
    """The direct message of a member who asked for turn alerts by DM."""
    link = text.jump_url(state.guild_id, state.thread_id)
    return "🔔 " + voice.say("Your turn in debate #{id}: {phase}. {link}", id=state.id,
                            phase=voice.phase(state.format, phase).title, link=link)


def warning_text(state: DebateState, phase: Phase, seconds_left: int, deadline: float,
                 voice: Voice = ENGLISH_VOICE) -> str:
    return "⏳ " + voice.say("**{time}** left in {phase} (ends {when}).",
                            time=voice.duration(seconds_left),
                            phase=voice.phase(state.format, phase).title,
                            when=relative(deadline))


def tally_line(tally: Tally, voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("Pro **{pro}** · Con **{con}** · Undecided **{undecided}**",
                     pro=voice.number(tally.pro), con=voice.number(tally.con),
                     undecided=voice.number(tally.undecided))


def vote_closed_embed(state: DebateState, phase: Phase, tally: Tally,
                      voice: Voice = ENGLISH_VOICE) -> discord.Embed:
    title = voice.say("{phase} closed", phase=voice.phase(state.format, phase).title)
    return discord.Embed(title=text.clip(title, text.EMBED_TITLE),
                         description=tally_line(tally, voice), colour=VOTE_COLOUR)


@dataclass(frozen=True, slots=True)
class Answers:
    """The earlier argument a rebuttal answers: its number, author and card (a link)."""

    seq: int
    author: str
    link: str | None


def argument_embed(state: DebateState, seq: int, author: str, side: str, phase: Phase,
                   body: str, voice: Voice = ENGLISH_VOICE, *, redacted: bool = False,
                   answers: Answers | None = None) -> discord.Embed:
    if redacted:
        embed = discord.Embed(description="*" + debate_text.removed_argument(voice) + "*",
                              colour=NEUTRAL_COLOUR)
    else:
        embed = discord.Embed(description=text.clip(text.clean_user_text(body),
                                                    text.EMBED_DESCRIPTION),
                              colour=SIDE_COLOUR[side])
    title = voice.phase(state.format, phase).title
    embed.set_author(name=text.clip(f"{author} · {voice.side_label(side)} · {title}",
                                    text.EMBED_AUTHOR))
    if answers is not None:
        target = voice.say("#{seq} by {author}", seq=answers.seq,
                           author=text.escape_user_text(answers.author))
        embed.add_field(name="↪ " + voice.say("Answers"),
                        value=text.clip(f"[{target}]({answers.link})" if answers.link
                                        else target, text.FIELD_VALUE))
    embed.set_footer(text=voice.say("Argument #{seq} · debate #{id}", seq=seq, id=state.id))
    return embed


def result_embed(state: DebateState, topic: Topic, result: Result,
                 names: Mapping[int, str], voice: Voice = ENGLISH_VOICE) -> discord.Embed:
    say, topic = voice.say, voice.topic(topic)
    embed = discord.Embed(
        title=text.clip(f"{debate_text.outcome_label(result.outcome, voice)} · {topic.title}",
                        text.EMBED_TITLE),
        description=text.clip(debate_text.headline(result, voice) + "\n\n"
                              + say("**Motion:** {motion}", motion=topic.motion),
                              text.EMBED_DESCRIPTION),
        colour=SIDE_COLOUR.get(result.outcome, NEUTRAL_COLOUR),
    )
    if result.rule == "swing":
        embed.add_field(name=say("Before (paired voters)"),
                        value=tally_line(result.pre_tally or Tally(), voice), inline=False)
        embed.add_field(name=say("After (paired voters)"),
                        value=tally_line(result.tally or Tally(), voice), inline=False)
        paired = result.paired or 0
        embed.add_field(name=say("Swing"), value=say.plural(
            "Pro {pro} pts · Con {con} pts · {n} paired voter",
            "Pro {pro} pts · Con {con} pts · {n} paired voters", paired,
            pro=voice.signed(result.swing_pro or 0), con=voice.signed(result.swing_con or 0),
            n=voice.number(paired)), inline=False)
    elif result.rule == "judges":
        ballots = result.tally or Tally()
        embed.add_field(name=say("Judges' ballots"), value=say(
            "Pro **{pro}** · Con **{con}**", pro=voice.number(ballots.pro),
            con=voice.number(ballots.con)), inline=False)
    elif result.tally is not None:
        embed.add_field(name=say("Final vote"), value=tally_line(result.tally, voice),
                        inline=False)
    spoke = state.speakers()
    embed.add_field(name=say("Spoke for pro"), value=_names(spoke["pro"], names, voice))
    embed.add_field(name=say("Spoke for con"), value=_names(spoke["con"], names, voice))
    if result.rule == "judges":
        embed.add_field(name=say("Judges"), value=_names(sorted(state.judges), names, voice))
        audience = state.closing_vote
        if audience is not None:
            embed.add_field(name=say("Audience vote (decides nothing)"),
                            value=tally_line(Tally.of(state.counted_votes(audience.id)
                                                      .values()), voice), inline=False)
    best = state.best_speaker()
    if best is not None:
        speaker, votes = best
        embed.add_field(name="🎖️ " + say("Best speaker"), value=say.plural(
            "{name} ({n} vote)", "{name} ({n} votes)", votes,
            name=text.escape_user_text(names.get(speaker) or unknown_author(speaker, voice)),
            n=voice.number(votes)))
    rebuttals = state.rebuttals()
    if any(rebuttals.values()):
        embed.add_field(name=say("Rebuttals"), value=say(
            "Pro **{pro}** · Con **{con}**", pro=voice.number(rebuttals["pro"]),
            con=voice.number(rebuttals["con"])))
    transcript = say("Transcript: /debate transcript debate:{id}", id=state.id)
    embed.set_footer(text=(say("Ended early by a moderator") + " · " + transcript
                           if result.ended_early else transcript))
    return embed


def status_embed(state: DebateState, topic: Topic, view: StatusView,
                 names: Mapping[int, str], voice: Voice = ENGLISH_VOICE) -> discord.Embed:
    say, topic = voice.say, voice.topic(topic)
    embed = discord.Embed(title=text.clip(say("Debate #{id}: {topic}", id=state.id,
                                              topic=topic.title), text.EMBED_TITLE),
                          colour=NEUTRAL_COLOUR)
    now = say("**Now:** {status}", status=debate_text.status_title(view, state.format, voice))
    if view.phase_number is not None:
        now += say.space + say("(phase {n} of {total})", n=view.phase_number,
                               total=view.phase_count)
    embed.description = now
    if view.seconds_left is not None:
        embed.add_field(name=say("Time left"), value=voice.duration(view.seconds_left))
    if view.votes_cast is not None:
        embed.add_field(name=say("Votes so far"),
                        value=say("{n} (split shown at close)", n=voice.number(view.votes_cast)))
    embed.add_field(name=voice.side_label("pro"), value=_names(view.pro, names, voice),
                    inline=False)
    embed.add_field(name=voice.side_label("con"), value=_names(view.con, names, voice),
                    inline=False)
    if view.sides_open:
        embed.set_footer(text=say("Sides are open: join with the buttons on the lobby card."))
    return embed


def card_again(state: DebateState, topic: Topic | None, names: Mapping[int, str],
               phases: Sequence[PhaseRecord], card: str,
               voice: Voice = ENGLISH_VOICE) -> discord.Embed | None:
    """A public card drawn again for one reader, in their voice (the 🌐 button): "lobby",
    "result" or "phase-<index>". None when the card cannot be drawn any more."""
    if topic is None:
        return None
    if card == "lobby":
        return lobby_embed(state, topic, names, voice)
    if card == "result":
        return result_embed(state, topic, state.result, names, voice) if state.result else None
    index = int(card.removeprefix("phase-"))
    if not 0 <= index < len(state.format.phases):
        return None
    record = next((r for r in phases if r.index == index), None)
    deadline = (state.deadline if state.phase_index == index and state.deadline is not None
                else record.deadline if record is not None else None)
    if deadline is None:
        return None
    return phase_embed(state, state.format.phases[index], index, deadline, voice)


def format_choices(formats: Sequence[Format]) -> list[tuple[str, str]]:
    return [(f.title, f.id) for f in formats]


# --------------------------------------------------------------------------- thread notices


def cancelled_notice(voice: Voice = ENGLISH_VOICE) -> str:
    return "🛑 " + voice.say("This debate was cancelled by a moderator.")


def paused_notice(remaining: float, voice: Voice = ENGLISH_VOICE) -> str:
    return "⏸️ " + voice.say("Paused by a moderator with {time} left.",
                             time=voice.duration(remaining))


def resumed_notice(deadline: float, voice: Voice = ENGLISH_VOICE) -> str:
    return "▶️ " + voice.say("Resumed: this phase now ends {when}.", when=relative(deadline))


def extended_notice(seconds: int, deadline: float | None, remaining: float | None,
                    voice: Voice = ENGLISH_VOICE) -> str:
    say, added = voice.say, voice.duration(seconds)
    if deadline:
        line = say("Extended by {time}: this phase now ends {when}.", time=added,
                   when=relative(deadline))
    else:
        line = say("Extended by {time}: this phase has {left} left (paused).", time=added,
                   left=voice.duration(remaining or 0))
    return "⏱️ " + line


def removed_notice(name: str | None, voice: Voice = ENGLISH_VOICE) -> str:
    if name:
        line = voice.say("{name} was removed from this debate by a moderator.",
                         name=text.escape_user_text(name))
    else:
        line = voice.say("A member was removed from this debate by a moderator.")
    return "🚫 " + line


def unknown_author(user_id: int, voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("member {id}", id=user_id)


# --------------------------------------------------------------------------- controls


def button_label(action: str, voice: Voice = ENGLISH_VOICE) -> str:
    say = voice.say
    labels = {
        "join-pro": say("Join pro"), "join-con": say("Join con"), "leave": say("Leave"),
        "argue": say("Make your argument"), "vote-pro": say("Vote pro"),
        "vote-con": say("Vote con"), "vote-undecided": say("Undecided"),
        "begin": say("Begin (moderator)"),
    }
    return labels[action]


def speaker_placeholder(voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("Audience: name the best speaker")


def argument_placeholder(voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("Make your case; the bot posts it in the thread under your name.")


def argument_form_title(phase_title: str, voice: Voice = ENGLISH_VOICE) -> str:
    return voice.say("Argue: {phase}", phase=phase_title)


def argument_field_label(side: str | None, max_chars: int, voice: Voice = ENGLISH_VOICE) -> str:
    if side:
        return voice.say("Your argument for {side} (max {n} chars)", side=voice.side(side),
                         n=voice.number(max_chars))
    return voice.say("Your argument (max {n} chars)", n=voice.number(max_chars))
