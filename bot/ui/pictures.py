"""The charts as Discord attachments: drawn in a worker thread (never on the event loop), with
alt text in the reader's language, since the picture itself carries numbers only."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence

import discord
from markupsafe import Markup

from bot import charts
from bot.core.results import Result, Tally
from bot.i18n.messages import Say
from bot.ui.voice import Voice

VOTE_FILE = "vote.png"
WEEKS_FILE = "weeks.png"
#: Discord's limit on an attachment's alt text.
ALT_LIMIT = 1024


def vote_alt(before: Tally, after: Tally, voice: Voice) -> str:
    def change(side: str) -> str:
        return (f"{charts.percent(getattr(before, side), before.total)} → "
                f"{charts.percent(getattr(after, side), after.total)}")

    return voice.say("Share of the paired voters, before → after: pro {pro}, con {con}, "
                     "undecided {undecided}", pro=change("pro"), con=change("con"),
                     undecided=change("undecided"))[:ALT_LIMIT]


def weeks_alt(weeks: Sequence[tuple[str, int]], say: Say) -> str:
    listed = ", ".join(f"{charts.week_label(week)} {points}" for week, points in weeks)
    return say("Points per week: {weeks}", weeks=listed)[:ALT_LIMIT]


def _swing(result: Result) -> tuple[Tally, Tally] | None:
    """An Oxford result's (before, after) among paired voters; None for other rules."""
    if result.rule != "swing" or result.pre_tally is None or result.tally is None:
        return None
    return result.pre_tally, result.tally


def _has_points(weeks: Sequence[tuple[str, int]]) -> bool:
    return any(points for _, points in weeks)


async def _file(chart: charts.Chart, filename: str, alt: str) -> discord.File:
    data = await asyncio.to_thread(charts.png, chart)
    return discord.File(io.BytesIO(data), filename=filename, description=alt)


def show_on(embed: discord.Embed, picture: discord.File) -> discord.File:
    """Make `picture` the embed's image (sent with it as an attachment); returns it."""
    embed.set_image(url=f"attachment://{picture.filename}")
    return picture


async def vote_picture(result: Result, voice: Voice) -> discord.File | None:
    """The swing chart of an Oxford result; None for results decided another way."""
    swing = _swing(result)
    if swing is None:
        return None
    return await _file(charts.vote_chart(*swing), VOTE_FILE, vote_alt(*swing, voice))


async def weeks_picture(weeks: Sequence[tuple[str, int]], say: Say) -> discord.File | None:
    """The weekly chart; None when every week is empty (nothing to draw)."""
    if not _has_points(weeks):
        return None
    return await _file(charts.weekly_chart(weeks), WEEKS_FILE, weeks_alt(weeks, say))


def vote_svg(result: Result, voice: Voice) -> Markup | None:
    """The same swing chart for a web page, its groups labelled in the page's language."""
    swing = _swing(result)
    if swing is None:
        return None
    labels = {"pro": voice.side_label("pro"), "con": voice.side_label("con"),
              "undecided": voice.say("Undecided")}
    return charts.svg(charts.vote_chart(*swing), vote_alt(*swing, voice), labels)


def weeks_svg(weeks: Sequence[tuple[str, int]], say: Say) -> Markup | None:
    """The weekly chart for a web page; None when every week is empty."""
    if not _has_points(weeks):
        return None
    return charts.svg(charts.weekly_chart(weeks), weeks_alt(weeks, say))
