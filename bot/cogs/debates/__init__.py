"""The debate feature's Discord side: /debate for members, /moderate for moderators, the
buttons and forms, and the announcer. The use cases live in `bot.service`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cogs.debates import components
from bot.cogs.debates.cog import DebateCog
from bot.cogs.debates.moderation import ModerationCog
from bot.cogs.debates.motions import MotionReview, Motions
from bot.cogs.debates.reports import RemoveArgumentButton, Reports
from bot.cogs.debates.scheduling import Scheduling

if TYPE_CHECKING:
    from bot.app import Rostrum


async def setup(bot: Rostrum) -> None:
    bot.add_dynamic_items(components.DebateButton, components.SpeakerSelect,
                          RemoveArgumentButton)
    debates = DebateCog(bot)
    await bot.add_cog(debates)
    await bot.add_cog(ModerationCog(debates.service, MotionReview(bot)))
    await bot.add_cog(Motions(bot))
    await bot.add_cog(Reports(bot, debates.service))
    await bot.add_cog(Scheduling(bot, debates.service))
