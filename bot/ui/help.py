"""The /help card, generated from the live command tree so it never goes stale."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import discord
from discord import app_commands

from bot.core.scoring import (
    MIN_ARGUMENT_CHARS,
    MIN_ARGUMENT_WORDS,
    MIN_BEST_SPEAKER_VOTES,
    MIN_DEBATERS,
    POINTS,
    Kind,
)
from bot.i18n.commands import localized
from bot.i18n.messages import ENGLISH, Say
from bot.ui import text

HELP_COLOUR = discord.Colour(0x4A6FA5)


def intro(say: Say = ENGLISH) -> str:
    return say(
        "Rostrum helps a server discuss **Japan–Korea relations** from one reference "
        "article, fairly. Read balanced summaries of every section, study briefs that make "
        "the strongest case on both sides of five controversies, and run moderated pro/con "
        "debates with timers, audience votes and results. Participation is counted on "
        "leaderboards; `/privacy` lets you opt out.")


def scoring_rules(say: Say = ENGLISH) -> tuple[str, ...]:
    """The scoring rules of `bot.core.scoring`, one sentence each (/help bullets them)."""
    return (
        say.plural("Join a debate as a debater: {n} point.",
                   "Join a debate as a debater: {n} points.", POINTS[Kind.DEBATE_JOINED]),
        say("Post a substantive argument (at least {chars} characters and {words} words): "
            "{points} points, at most one scoring argument per debater per phase.",
            chars=MIN_ARGUMENT_CHARS, words=MIN_ARGUMENT_WORDS,
            points=POINTS[Kind.ARGUMENT_POSTED]),
        say.plural("Vote in a debate: {n} point, once per debate however often you change "
                   "your vote.",
                   "Vote in a debate: {n} points, once per debate however often you change "
                   "your vote.", POINTS[Kind.VOTE_CAST]),
        say("Be on the winning side: {points} points for each debater of that side.",
            points=POINTS[Kind.DEBATE_WON]),
        say("Moderate a debate: {points} points.", points=POINTS[Kind.DEBATE_MODERATED]),
        say("Be named best speaker in the closing vote by the most audience members (at least "
            "{n}): {points} points.", n=MIN_BEST_SPEAKER_VOTES,
            points=POINTS[Kind.BEST_SPEAKER]),
        say("Points are awarded when a debate finishes and count in the week and month (UTC) "
            "in which it finished."),
        say("A debate that ends with fewer than {n} debaters is a no-contest: nobody scores "
            "in it. Members removed from a debate score nothing in it.", n=MIN_DEBATERS),
        say("Bots never score; reading summaries and topic briefs is not scored."),
        say("/privacy opt-out stops counting you and hides you from the boards; /privacy "
            "forget-me deletes your record in this server."),
    )


SCORING_RULES = scoring_rules()  # in English, as the tests and docs quote them


AnyCommand = (app_commands.Command[Any, ..., Any] | app_commands.Group
              | app_commands.ContextMenu)


def _walk(commands: Iterable[AnyCommand]) -> list[app_commands.Command[Any, ..., Any]]:
    """Every slash command, subcommands included (context menus have no usage line)."""
    out: list[app_commands.Command[Any, ..., Any]] = []
    for command in commands:
        if isinstance(command, app_commands.Group):
            out.extend(_walk(command.commands))
        elif isinstance(command, app_commands.Command):
            out.append(command)
    return out


def _name(command: app_commands.Command[Any, ..., Any] | app_commands.Group,
          language: str) -> str:
    return localized(language, "name", command.name)


def _path(command: app_commands.Command[Any, ..., Any], language: str) -> str:
    """The command as the reader's client shows it: /debate argue, /討論 主張 …"""
    parts: list[str] = []
    node: app_commands.Command[Any, ..., Any] | app_commands.Group | None = command
    while node is not None:
        parts.insert(0, _name(node, language))
        node = node.parent
    return "/" + " ".join(parts)


def _usage(command: app_commands.Command[Any, ..., Any], language: str = "en") -> str:
    parts = [_path(command, language)]
    for param in command.parameters:
        shown = localized(language, "name", param.display_name)
        parts.append(f"{shown}:" if param.required else f"[{shown}:]")
    return " ".join(parts)


def help_embeds(commands: Sequence[AnyCommand], rules: Sequence[str] = (),
                say: Say = ENGLISH) -> list[discord.Embed]:
    language = say.language
    embed = discord.Embed(title=say("Rostrum — help"), description=intro(say),
                          colour=HELP_COLOUR)
    top_level: dict[str, list[str]] = {}
    for command in _walk(commands):
        description = localized(language, "description", command.description)
        top_level.setdefault(_name(command.root_parent or command, language), []).append(
            f"`{_usage(command, language)}` — {description}")
    for root, lines in top_level.items():
        name = f"/{root}"
        for index, chunk in enumerate(text.chunk_lines(lines, text.FIELD_VALUE)):
            embed.add_field(name=name if index == 0 else say("{name} (cont.)", name=name),
                            value=chunk, inline=False)
    embeds = [embed]
    if rules:
        embeds.append(discord.Embed(
            title=say("How points are earned"), colour=HELP_COLOUR,
            description=text.clip("\n".join(f"• {rule}" for rule in rules),
                                  text.EMBED_DESCRIPTION)))
    return embeds
