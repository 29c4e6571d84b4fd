"""A format is data: one YAML edit adds it, and it can be picked and run end to end."""

from __future__ import annotations

import shutil
from pathlib import Path

from playground.emulator import Emulator
from tests.e2e.world import REPO, advance, button, join, make_world, start, wait_card

SUBSTANTIVE = "Trust between neighbours rests on an honest account of the past, always."
NEW_FORMAT = """
  - id: lightning
    title: Lightning round
    description: >-
      One statement a side, then the audience decides by a simple majority.
    result: majority
    phases:
      - {id: statements, title: Statements, kind: speech, side: both, seconds: 90,
         max_chars: 500, max_posts_per_member: 1}
      - {id: verdict, title: Verdict, kind: vote, side: none, seconds: 45}
"""


async def test_a_format_added_to_the_yaml_is_offered_and_runs(emulator: Emulator,
                                                             tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    with (content / "formats.yaml").open("a", encoding="utf-8") as formats:
        formats.write(NEW_FORMAT)  # the one edit
    world = await make_world(emulator, tmp_path, content_dir=content)

    offered = await world.mo.act().autocomplete("moderate start", "format", "light",
                                                channel=world.channel,
                                                topic="history-versus-interests")
    assert [(c["name"], c["value"]) for c in offered] == [("Lightning round", "lightning")]

    d = await start(world, "lightning", 30)
    lobby = world.emu.message(d.lobby.id).embeds[0]
    assert any(f["name"] == "Format: Lightning round" for f in lobby["fields"])
    await join(world, d, world.alice, "pro")
    await join(world, d, world.bob, "con")
    await world.mo.act().click(d.lobby, button(d, "begin"))
    await wait_card(world, d, "Phase 1/2 · Statements")
    await world.alice.act().slash("debate argue", channel=d.thread, text=SUBSTANTIVE)
    vote = await advance(world, d, 30, "Phase 2/2 · Verdict")
    for member in (world.carol, world.dave):
        await member.act().click(vote, button(d, "vote-pro"))
    result = await advance(world, d, 30, "Pro wins")
    assert result.embeds[0]["description"].startswith("Pro wins the vote 2–0")


async def test_an_unknown_format_is_refused_privately(emulator: Emulator,
                                                     tmp_path: Path) -> None:
    world = await make_world(emulator, tmp_path)
    r = await world.mo.act().slash("moderate start", channel=world.channel,
                                   topic="history-versus-interests", format="speed-chess")
    assert r.ephemeral and r.content.startswith("I don't know a format called `speed-chess`")
    assert "Quick round" in r.content
    assert world.emu.threads(world.channel) == []
