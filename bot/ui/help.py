"""The /help card, generated from the live command tree so it never goes stale."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import discord
from discord import app_commands

from bot.ui import text

HELP_COLOUR = discord.Colour(0x4A6FA5)
INTRO = (
    "Rostrum helps a server discuss **Japan–Korea relations** from one reference article, "
    "fairly. Read balanced summaries of every section, study briefs that make the strongest "
    "case on both sides of five controversies, and run moderated pro/con debates with "
    "timers, audience votes and results. Participation is counted on leaderboards; "
    "`/privacy` lets you opt out."
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
