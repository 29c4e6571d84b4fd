"""The debate feature: the /debate commands, buttons, live runtime and announcer."""

from bot.cogs.debates.cog import setup

__all__ = ["setup"]
