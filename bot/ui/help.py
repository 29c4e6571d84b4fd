"""The /help card, generated from the live command tree so it never goes stale."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import discord
from discord import app_commands

from bot.core.scoring import MIN_ARGUMENT_CHARS, MIN_ARGUMENT_WORDS, MIN_DEBATERS, POINTS, Kind
from bot.ui import text

HELP_COLOUR = discord.Colour(0x4A6FA5)
INTRO = (
    "Rostrum helps a server discuss **Japan–Korea relations** from one reference article, "
    "fairly. Read balanced summaries of every section, study briefs that make the strongest "
    "case on both sides of five controversies, and run moderated pro/con debates with "
    "timers, audience votes and results. Participation is counted on leaderboards; "
    "`/privacy` lets you opt out."
)


#: The scoring rules of `bot.core.scoring`, one sentence each (/help bullets them).
SCORING_RULES: tuple[str, ...] = (
    f"Join a debate as a debater: {POINTS[Kind.DEBATE_JOINED]} point.",
    f"Post a substantive argument (at least {MIN_ARGUMENT_CHARS} characters and "
    f"{MIN_ARGUMENT_WORDS} words): {POINTS[Kind.ARGUMENT_POSTED]} points, at most one scoring "
    "argument per debater per phase.",
    f"Vote in a debate: {POINTS[Kind.VOTE_CAST]} point, once per debate however often you "
    "change your vote.",
    f"Be on the winning side: {POINTS[Kind.DEBATE_WON]} points for each debater of that side.",
    f"Moderate a debate: {POINTS[Kind.DEBATE_MODERATED]} points.",
    "Points are awarded when a debate finishes and count in the week and month (UTC) in "
    "which it finished.",
    f"A debate that ends with fewer than {MIN_DEBATERS} debaters is a no-contest: nobody "
    "scores in it. Members removed from a debate score nothing in it.",
    "Bots never score; reading summaries and topic briefs is not scored.",
    "/privacy opt-out stops counting you and hides you from the boards; /privacy forget-me "
    "deletes your record in this server.",
)


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


def _usage(command: app_commands.Command) -> str:
    parts = [f"/{command.qualified_name}"]
    for param in command.parameters:
        parts.append(f"{param.display_name}:" if param.required else f"[{param.display_name}:]")
    return " ".join(parts)


def help_embeds(commands: Sequence[AnyCommand],
                scoring_rules: Sequence[str] = ()) -> list[discord.Embed]:
    embed = discord.Embed(title="Rostrum — help", description=INTRO, colour=HELP_COLOUR)
    top_level: dict[str, list[str]] = {}
    for command in _walk(commands):
        root = command.qualified_name.split(" ")[0]
        top_level.setdefault(root, []).append(f"`{_usage(command)}` — {command.description}")
    for root, lines in top_level.items():
        name = f"/{root}"
        for index, chunk in enumerate(text.chunk_lines(lines, text.FIELD_VALUE)):
            embed.add_field(name=name if index == 0 else f"{name} (cont.)", value=chunk,
                            inline=False)
    embeds = [embed]
    if scoring_rules:
        embeds.append(discord.Embed(
            title="How points are earned", colour=HELP_COLOUR,
            description=text.clip("\n".join(f"• {rule}" for rule in scoring_rules),
                                  text.EMBED_DESCRIPTION)))
    return embeds
