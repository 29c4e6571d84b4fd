"""Charts as pictures: an Oxford debate's vote before and after, and a member's points week by
week. One geometry (:class:`Chart`) is drawn twice: as a PNG for Discord (Pillow; call it off
the event loop) and as inline SVG for the public pages.

The PNG carries numbers only, never words: Discord shows it in every reader's language, and the
words (which side is which, before and after) are in the embed beside it and in the picture's
alt text. The SVG is drawn for one page, so it labels its groups in that page's language.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup, escape

from bot.core.results import Tally

WIDTH, HEIGHT = 640, 300
TOP, BOTTOM, SIDE_MARGIN = 44, 56, 28
BACKGROUND, AXIS, TEXT, MUTED = "#2b2d31", "#4e5058", "#f2f3f5", "#b5bac1"
COLOURS = {"pro": "#2e8b57", "con": "#b03a2e", "undecided": "#80848e", "points": "#4a6fa5"}
FADED = 0.45  # how much of a "before" bar's colour shows over the background
FONT_SIZE, SMALL_FONT = 17, 14
#: The vote chart's groups, in the order the result card lists them.
VOTE_GROUPS = ("pro", "con", "undecided")


@dataclass(frozen=True, slots=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    faded: bool
    value: str


@dataclass(frozen=True, slots=True)
class Caption:
    x: int
    y: int
    text: str
    small: bool = False


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    baseline: int
    bars: tuple[Bar, ...]
    captions: tuple[Caption, ...]
    #: (centre x, key) of each group, for labels in a page's language (SVG only).
    groups: tuple[tuple[int, str], ...] = ()


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def percent(count: int, total: int) -> str:
    """A share as the charts write it: "57%" (0% of nobody)."""
    return f"{round(100 * _share(count, total))}%"


def week_label(week: str) -> str:
    """An ISO week key as the charts write it: "2026-W49" → "W49"."""
    return week.rsplit("-", 1)[-1]


def vote_chart(before: Tally, after: Tally) -> Chart:
    """Pro, con and undecided: each a faded bar (share before) and a solid one (share after),
    among paired voters, with the swing in points under the group."""
    baseline = HEIGHT - BOTTOM
    room = baseline - TOP
    group_width = (WIDTH - 2 * SIDE_MARGIN) // len(VOTE_GROUPS)
    bar_width = group_width // 4
    bars: list[Bar] = []
    captions: list[Caption] = []
    groups: list[tuple[int, str]] = []
    for index, side in enumerate(VOTE_GROUPS):
        centre = SIDE_MARGIN + group_width * index + group_width // 2
        groups.append((centre, side))
        counts = ((getattr(before, side), before.total), (getattr(after, side), after.total))
        shares = tuple(_share(count, total) for count, total in counts)
        for step, (share, (count, total)) in enumerate(zip(shares, counts, strict=True)):
            height = round(room * share)
            x = centre - bar_width - 6 if step == 0 else centre + 6
            bars.append(Bar(x=x, y=baseline - height, width=bar_width, height=height,
                            colour=COLOURS[side], faded=step == 0,
                            value=percent(count, total)))
        swing = round((shares[1] - shares[0]) * 100)
        captions.append(Caption(centre, baseline + 22, f"{swing:+d}" if swing else "±0"))
    return Chart(WIDTH, HEIGHT, baseline, tuple(bars), tuple(captions), tuple(groups))


def weekly_chart(weeks: Sequence[tuple[str, int]]) -> Chart:
    """One bar per week (oldest first), its points above it and its ISO week ("W49") under."""
    baseline = HEIGHT - BOTTOM
    room = baseline - TOP
    most = max((points for _, points in weeks), default=0) or 1
    slot = (WIDTH - 2 * SIDE_MARGIN) // max(len(weeks), 1)
    bars: list[Bar] = []
    captions: list[Caption] = []
    for index, (week, points) in enumerate(weeks):
        height = round(room * max(points, 0) / most)
        x = SIDE_MARGIN + slot * index + slot // 6
        bars.append(Bar(x=x, y=baseline - height, width=slot * 2 // 3, height=height,
                        colour=COLOURS["points"], faded=False,
                        value=str(points) if points else ""))
        captions.append(Caption(x + slot // 3, baseline + 22, week_label(week), small=True))
    return Chart(WIDTH, HEIGHT, baseline, tuple(bars), tuple(captions))


# ---------------------------------------------------------------------------- PNG


def _rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour.removeprefix("#"), 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF


def _blend(colour: str, amount: float) -> tuple[int, int, int]:
    over, under = _rgb(colour), _rgb(BACKGROUND)
    return tuple(round(o * amount + u * (1 - amount))  # type: ignore[return-value]
                 for o, u in zip(over, under, strict=True))


@cache
def _font(size: int) -> object:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def png(chart: Chart) -> bytes:
    """The chart as PNG bytes. CPU work of a few milliseconds: run it in a thread."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (chart.width, chart.height), _rgb(BACKGROUND))
    draw = ImageDraw.Draw(image)
    font, small = _font(FONT_SIZE), _font(SMALL_FONT)
    draw.line([(SIDE_MARGIN, chart.baseline), (chart.width - SIDE_MARGIN, chart.baseline)],
              fill=_rgb(AXIS), width=2)
    for bar in chart.bars:
        fill = _blend(bar.colour, FADED) if bar.faded else _rgb(bar.colour)
        if bar.height > 0:
            draw.rounded_rectangle([bar.x, bar.y, bar.x + bar.width, chart.baseline - 1],
                                   radius=min(4, bar.height // 2), fill=fill)
        if bar.value:
            draw.text((bar.x + bar.width // 2, bar.y - 8), bar.value, anchor="md",
                      fill=_rgb(MUTED if bar.faded else TEXT), font=font)  # type: ignore[arg-type]
    for caption in chart.captions:
        draw.text((caption.x, caption.y), caption.text, anchor="mm", fill=_rgb(TEXT),
                  font=small if caption.small else font)  # type: ignore[arg-type]
    out = io.BytesIO()
    # Fast deflate: a third more bytes (about 10 KB), a third less time than the default.
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def warm() -> None:
    """Load the fonts and the PNG encoder once (the first chart otherwise pays for them)."""
    png(weekly_chart([("W1", 1)]))


# ---------------------------------------------------------------------------- SVG


def svg(chart: Chart, title: str, labels: Mapping[str, str] | None = None) -> Markup:
    """The chart as inline SVG (presentation attributes only: no style, no script), its
    groups labelled with `labels` (key → words in the page's language), `title` for screen
    readers."""
    parts = [Markup('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
                    'aria-label="{}" class="chart">').format(chart.width, chart.height, title),
             Markup("<title>{}</title>").format(title),
             Markup('<rect width="100%" height="100%" rx="8" fill="{}"/>').format(BACKGROUND),
             Markup('<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="{3}" stroke-width="2"/>')
             .format(SIDE_MARGIN, chart.baseline, chart.width - SIDE_MARGIN, AXIS)]
    for bar in chart.bars:
        opacity = FADED if bar.faded else 1
        parts.append(Markup('<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}" '
                            'fill-opacity="{}"/>').format(bar.x, bar.y, bar.width, bar.height,
                                                          bar.colour, opacity))
        if bar.value:
            parts.append(_svg_text(bar.x + bar.width // 2, bar.y - 8, bar.value,
                                   MUTED if bar.faded else TEXT, FONT_SIZE))
    for caption in chart.captions:
        parts.append(_svg_text(caption.x, caption.y + 6, caption.text, TEXT,
                               SMALL_FONT if caption.small else FONT_SIZE))
    for centre, key in chart.groups:
        if labels and key in labels:
            parts.append(_svg_text(centre, chart.height - 10, labels[key], MUTED, SMALL_FONT))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _svg_text(x: int, y: int, text: str, colour: str, size: int) -> Markup:
    return Markup('<text x="{}" y="{}" fill="{}" font-size="{}" text-anchor="middle" '
                  'font-family="sans-serif">{}</text>').format(x, y, colour, size, escape(text))
