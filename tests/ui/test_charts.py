"""Charts: the geometry says what the numbers say; the PNG is a real picture; the SVG is inert."""

from __future__ import annotations

import io

from PIL import Image

from bot import charts
from bot.core.results import Tally


def test_vote_bars_show_each_sides_share_before_and_after_and_the_swing() -> None:
    chart = charts.vote_chart(Tally(pro=4, con=1, undecided=0), Tally(pro=3, con=2, undecided=0))
    values = [bar.value for bar in chart.bars]
    assert values == ["80%", "60%", "20%", "40%", "0%", "0%"]
    assert [c.text for c in chart.captions] == ["-20", "+20", "±0"]
    pro_before, pro_after = chart.bars[0], chart.bars[1]
    assert pro_before.faded and not pro_after.faded
    assert pro_before.height > pro_after.height > 0  # taller share, taller bar
    assert all(bar.y + bar.height == chart.baseline for bar in chart.bars)


def test_no_paired_voters_draws_empty_bars_not_an_error() -> None:
    chart = charts.vote_chart(Tally(), Tally())
    assert {bar.height for bar in chart.bars} == {0}
    assert Image.open(io.BytesIO(charts.png(chart))).size == (charts.WIDTH, charts.HEIGHT)


def test_weekly_bars_scale_to_the_busiest_week() -> None:
    chart = charts.weekly_chart([("2026-W47", 0), ("2026-W48", 5), ("2026-W49", 10)])
    assert [c.text for c in chart.captions] == ["W47", "W48", "W49"]
    assert [bar.value for bar in chart.bars] == ["", "5", "10"]
    assert chart.bars[2].height == 2 * chart.bars[1].height and chart.bars[0].height == 0


def test_the_png_is_a_picture_with_the_sides_colours() -> None:
    data = charts.png(charts.vote_chart(Tally(pro=2), Tally(pro=1, con=1)))
    assert data.startswith(b"\x89PNG")  # what its .png name says
    image = Image.open(io.BytesIO(data)).convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=100_000) or []}
    assert charts._rgb(charts.COLOURS["pro"]) in colours
    assert charts._rgb(charts.COLOURS["con"]) in colours


def test_svg_labels_are_escaped_and_carry_no_script_or_style() -> None:
    chart = charts.vote_chart(Tally(pro=1), Tally(con=1))
    drawn = str(charts.svg(chart, 'Vote <script>', {"pro": "賛成 <b>", "con": "반대",
                                                   "undecided": "?"}))
    assert "<script" not in drawn and "&lt;script&gt;" in drawn
    assert "賛成 &lt;b&gt;" in drawn and "반대" in drawn
    assert "style=" not in drawn and "on" + "load" not in drawn
