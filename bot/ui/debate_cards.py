"""Embeds for debates: the lobby card, phase cards, arguments, status and the result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.core.content import Format, Phase, Topic
from bot.core.debate import DebateState, StatusView
from bot.core.results import Result, Tally
from bot.ui import debate_text, text

PRO_COLOUR = discord.Colour(0x2E8B57)
CON_COLOUR = discord.Colour(0xB03A2E)
NEUTRAL_COLOUR = discord.Colour(0x4A6FA5)
VOTE_COLOUR = discord.Colour(0xC9A227)
SIDE_COLOUR = {"pro": PRO_COLOUR, "con": CON_COLOUR}
SIDE_LABEL = {"pro": "Pro", "con": "Con", "both": "Both sides", "none": "Audience"}
OUTCOME_LABEL = {"pro": "Pro wins", "con": "Con wins", "draw": "Draw",
                 "dead_heat": "Dead heat", "no_contest": "No contest"}


def relative(ts: float) -> str:
    """A Discord timestamp that counts down in every client without message edits."""
    return f"<t:{int(ts)}:R>"


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    minutes, secs = divmod(seconds, 60)
    if minutes and secs:
        return f"{minutes} min {secs} s"
    return f"{minutes} min" if minutes else f"{secs} s"


def _names(user_ids: Sequence[int], names: Mapping[int, str]) -> str:
    if not user_ids:
        return "nobody yet"
    listed = ", ".join(text.escape_user_text(names.get(u, f"member {u}")) for u in user_ids)
    return text.clip(listed, text.FIELD_VALUE)


def _phase_line(state: DebateState, phase: Phase) -> str:
    who = SIDE_LABEL[phase.side] if not phase.is_vote else "Audience vote"
    return f"**{phase.title}** · {who} · {duration(state.phase_length(phase))}"


def lobby_embed(state: DebateState, topic: Topic, names: Mapping[int, str]) -> discord.Embed:
    fmt = state.format
    embed = discord.Embed(
        title=text.clip(f"Debate #{state.id}: {topic.title}", text.EMBED_TITLE),
        description=text.clip(f"**Motion:** {topic.motion}\n\n{fmt.description}",
                              text.EMBED_DESCRIPTION),
        colour=NEUTRAL_COLOUR,
    )
    order = "\n".join(f"{i}. {_phase_line(state, p)}" for i, p in enumerate(fmt.phases, 1))
    embed.add_field(name=f"Format: {fmt.title}", value=text.clip(order, text.FIELD_VALUE),
                    inline=False)
    cap = f" (max {fmt.debaters_per_side})" if fmt.debaters_per_side else ""
    embed.add_field(name=f"Pro{cap}", value=_names(state.debaters("pro"), names))
    embed.add_field(name=f"Con{cap}", value=_names(state.debaters("con"), names))
    embed.set_footer(text=text.clip(
        "Debaters: pick a side. Everyone else: vote when a vote phase opens. "
        f"A moderator begins the debate. Brief: /topic topic:{topic.id}", text.EMBED_FOOTER))
    return embed


def phase_embed(state: DebateState, phase: Phase, index: int, deadline: float) -> discord.Embed:
    total = len(state.format.phases)
    if phase.is_vote:
        body = ("Audience: vote **pro**, **con** or **undecided** with the buttons below "
                "(or `/debate vote`). You can change your vote until the phase closes; "
                "debaters do not vote.")
        colour = VOTE_COLOUR
    else:
        who = ("debaters of both sides" if phase.side == "both"
               else f"the **{phase.side}** side")
        posts = phase.max_posts_per_member
        each = (f"up to {debate_text.plural(posts, 'argument', 'arguments')} each, "
                if posts else "")
        limit = f"{each}{phase.max_chars:,} characters max" if phase.max_chars else ""
        body = (f"The floor is open to {who}: {limit}. Use **Make your argument** below or "
                "`/debate argue`.")
        colour = SIDE_COLOUR.get(phase.side, NEUTRAL_COLOUR)
    embed = discord.Embed(title=text.clip(f"Phase {index + 1}/{total} · {phase.title}",
                                          text.EMBED_TITLE),
                          description=body, colour=colour)
    embed.add_field(name="Ends", value=f"{relative(deadline)} (<t:{int(deadline)}:T>)")
    embed.set_footer(text=f"Debate #{state.id}")
    return embed


def warning_text(phase: Phase, seconds_left: int, deadline: float) -> str:
    return f"⏳ **{duration(seconds_left)}** left in {phase.title} (ends {relative(deadline)})."


def _tally_line(tally: Tally) -> str:
    return f"Pro **{tally.pro}** · Con **{tally.con}** · Undecided **{tally.undecided}**"


def vote_closed_embed(phase: Phase, tally: Tally) -> discord.Embed:
    return discord.Embed(title=f"{phase.title} closed", description=_tally_line(tally),
                         colour=VOTE_COLOUR)


def argument_embed(state: DebateState, seq: int, author: str, side: str, phase: Phase,
                   body: str) -> discord.Embed:
    embed = discord.Embed(description=text.clip(text.clean_user_text(body),
                                                text.EMBED_DESCRIPTION),
                          colour=SIDE_COLOUR[side])
    embed.set_author(name=text.clip(f"{author} · {SIDE_LABEL[side]} · {phase.title}",
                                    text.EMBED_AUTHOR))
    embed.set_footer(text=f"Argument #{seq} · debate #{state.id}")
    return embed


def result_embed(state: DebateState, topic: Topic, result: Result,
                 names: Mapping[int, str]) -> discord.Embed:
    embed = discord.Embed(
        title=text.clip(f"{OUTCOME_LABEL[result.outcome]} · {topic.title}", text.EMBED_TITLE),
        description=text.clip(f"{debate_text.headline(result)}\n\n**Motion:** {topic.motion}",
                              text.EMBED_DESCRIPTION),
        colour=SIDE_COLOUR.get(result.outcome, NEUTRAL_COLOUR),
    )
    if result.rule == "swing":
        embed.add_field(name="Before (paired voters)",
                        value=_tally_line(result.pre_tally or Tally()), inline=False)
        embed.add_field(name="After (paired voters)",
                        value=_tally_line(result.tally or Tally()), inline=False)
        paired = debate_text.plural(result.paired or 0, "paired voter", "paired voters")
        embed.add_field(name="Swing", value=(f"Pro {result.swing_pro or 0:+.1f} pts · "
                                             f"Con {result.swing_con or 0:+.1f} pts · {paired}"),
                        inline=False)
    elif result.tally is not None:
        embed.add_field(name="Final vote", value=_tally_line(result.tally), inline=False)
    spoke = state.speakers()
    embed.add_field(name="Spoke for pro", value=_names(spoke["pro"], names))
    embed.add_field(name="Spoke for con", value=_names(spoke["con"], names))
    note = "Ended early by a moderator · " if result.ended_early else ""
    embed.set_footer(text=f"{note}Transcript: /debate transcript debate:{state.id}")
    return embed


def status_embed(state: DebateState, topic: Topic, view: StatusView,
                 names: Mapping[int, str]) -> discord.Embed:
    embed = discord.Embed(title=text.clip(f"Debate #{state.id}: {topic.title}",
                                          text.EMBED_TITLE),
                          colour=NEUTRAL_COLOUR)
    now = f"**Now:** {debate_text.status_title(view)}"
    if view.phase_number is not None:
        now += f" (phase {view.phase_number} of {view.phase_count})"
    embed.description = now
    if view.seconds_left is not None:
        embed.add_field(name="Time left", value=duration(view.seconds_left))
    if view.votes_cast is not None:
        embed.add_field(name="Votes so far", value=f"{view.votes_cast} (split shown at close)")
    embed.add_field(name="Pro", value=_names(view.pro, names), inline=False)
    embed.add_field(name="Con", value=_names(view.con, names), inline=False)
    if view.sides_open:
        embed.set_footer(text="Sides are open: join with the buttons on the lobby card.")
    return embed


def format_choices(formats: Sequence[Format]) -> list[tuple[str, str]]:
    return [(f.title, f.id) for f in formats]


# --------------------------------------------------------------------------- thread notices

CANCELLED_NOTICE = "🛑 This debate was cancelled by a moderator."


def paused_notice(remaining: float) -> str:
    return f"⏸️ Paused by a moderator with {duration(remaining)} left."


def resumed_notice(deadline: float) -> str:
    return f"▶️ Resumed: this phase now ends {relative(deadline)}."


def extended_notice(seconds: int, deadline: float | None, remaining: float | None) -> str:
    ends = (f"now ends {relative(deadline)}" if deadline else
            f"has {duration(remaining or 0)} left (paused)")
    return f"⏱️ Extended by {duration(seconds)}: this phase {ends}."


def removed_notice(name: str | None) -> str:
    who = text.escape_user_text(name) if name else "A member"
    return f"🚫 {who} was removed from this debate by a moderator."


def unknown_author(user_id: int) -> str:
    return f"member {user_id}"


# --------------------------------------------------------------------------- controls

BUTTON_LABELS = {
    "join-pro": "Join pro", "join-con": "Join con", "leave": "Leave",
    "argue": "Make your argument", "vote-pro": "Vote pro", "vote-con": "Vote con",
    "vote-undecided": "Undecided", "begin": "Begin (moderator)",
}
ARGUMENT_PLACEHOLDER = "Make your case; the bot posts it in the thread under your name."


def argument_form_title(phase_title: str) -> str:
    return f"Argue: {phase_title}"


def argument_field_label(side: str | None, max_chars: int) -> str:
    return f"Your argument for {side or 'your side'} (max {max_chars:,} chars)"
