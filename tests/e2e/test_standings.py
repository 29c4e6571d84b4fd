"""Leaderboards, stats and privacy after real debates run through the emulator."""

from __future__ import annotations

from playground.emulator import Member
from tests.e2e.world import World, advance, button, join, start, wait_card

SUBSTANTIVE = "Trust between neighbours rests on an honest account of the past, always."


async def run_quick_debate(world: World, pro_voters: list[Member],
                           con_voters: list[Member]) -> None:
    """alice (pro, substantive) vs bob (con, too short to score); mo moderates."""
    d = await start(world, "quick", 30)
    await join(world, d, world.alice, "pro")
    await join(world, d, world.bob, "con")
    await world.mo.act().slash("moderate next", channel=d.thread)
    await wait_card(world, d, "Phase 1/4")
    await world.alice.act().slash("debate argue", channel=d.thread, text=SUBSTANTIVE)
    await world.bob.act().slash("debate argue", channel=d.thread, text="No.")
    await advance(world, d, 30, "Phase 2/4")
    await advance(world, d, 30, "Phase 3/4")
    vote = await advance(world, d, 30, "Phase 4/4")
    for voter in pro_voters:
        await voter.act().click(vote, button(d, "vote-pro"))
    for voter in con_voters:
        await voter.act().click(vote, button(d, "vote-con"))
    world.clock.advance(30)
    await wait_card(world, d, "wins")
    # Awards are logged from the outbox right after the result card.
    await world.emu.wait_for(lambda: world.bot.events.pending == 0
                             and world.bot.events.events_committed > 0)


def board_lines(embed: dict) -> list[str]:
    return embed["description"].split("\n")


async def test_points_after_a_debate_and_paging(world: World) -> None:
    voters = [world.guild.create_member(f"voter{i:02d}") for i in range(12)]
    await run_quick_debate(world, voters[:8], voters[8:])

    r = await world.alice.act().slash("leaderboard", channel=world.channel)
    embed = r.embeds[0]
    lines = board_lines(embed)
    # alice: join 1 + argument 3 + win 5; mo: moderate 2; bob and 12 voters: 1 each.
    assert lines[0].startswith("🥇 alice — **9 pts** · 1 argument · 1 win")
    assert lines[1].startswith("🥈 mo — **2 pts**")
    assert all(line.startswith("🥉") and "**1 pt**" in line for line in lines[2:])
    assert len(lines) == 10
    assert embed["footer"]["text"] == "Your rank: #1 of 15 · 9 pts · page 1/2"

    # Bob is off page 1 but still sees his rank; only he can page his board.
    r = await world.bob.act().slash("leaderboard", channel=world.channel, period="all")
    assert r.embeds[0]["footer"]["text"].startswith("Your rank: #3 of 15 · 1 pt")
    page1 = board_lines(r.embeds[0])
    _, next_id = [c["custom_id"] for c in r.components[0]["components"]]
    assert r.components[0]["components"][0]["disabled"] is True
    stolen = await world.carol.act().click(r, next_id)
    assert stolen.ephemeral and "Only the member who asked" in stolen.content
    paged = await world.bob.act().click(r, next_id)
    assert paged.type == 7
    page2 = world.emu.message(r.message.id)
    assert len(board_lines(page2.embeds[0])) == 5
    assert page2.embeds[0]["footer"]["text"].endswith("page 2/2")
    assert page2.components[0]["components"][1]["disabled"] is True
    # Ties are listed by member id; every one of the 15 appears exactly once.
    listed = [line.split(" ", 1)[1].split(" — ")[0]
              for line in page1 + board_lines(page2.embeds[0])]
    assert len(listed) == len(set(listed)) == 15
    assert "bob" in listed and "<@" not in "".join(listed)

    stats = await world.carol.act().slash("stats", channel=world.channel, member=world.alice)
    fields = {f["name"]: f["value"] for f in stats.embeds[0]["fields"]}
    assert fields["This week"] == fields["All time"] == "9 pts"
    assert fields["Rank (all time)"] == "#1"
    assert (fields["Debates joined"], fields["Arguments"], fields["Wins"]) == ("1", "1", "1")
    assert fields["Favorite topic"] == "History versus interests"
    # Her points week by week, as a picture (numbers only) with the words in its alt text.
    assert stats.embeds[0]["image"]["url"] == "attachment://weeks.png"
    [chart] = stats.message.attachments
    assert chart.filename == "weeks.png" and chart.data.startswith(b"\x89PNG")
    assert chart.description.startswith("Points per week: ")
    assert chart.description.endswith(" 9")  # this week, the last of twelve
    assert chart.description.count(" 0,") == 11
    quiet = await world.carol.act().slash("stats", channel=world.channel,
                                          member=world.guild.create_member("newcomer"))
    assert "image" not in quiet.embeds[0] and not quiet.message.attachments

    topic = await world.alice.act().slash("leaderboard", channel=world.channel,
                                          topic="trade-frictions-and-economic-policy")
    assert not topic.embeds and topic.content.startswith("No points yet on Trade frictions")
    last_week = await world.alice.act().slash("leaderboard", channel=world.channel,
                                              period="last-week")
    assert last_week.content.startswith("No points yet (last week")


async def test_guilds_are_separate(world: World) -> None:
    await run_quick_debate(world, [world.carol], [])
    other = world.emu.create_guild("Elsewhere")
    channel = other.create_text_channel("general")
    stranger = other.create_member("stranger")
    await world.emu.wait_for(lambda: world.bot.get_guild(other.id) is not None)
    r = await stranger.act().slash("leaderboard", channel=channel, period="all")
    assert not r.embeds and r.content.startswith("No points yet")
    here = await world.carol.act().slash("leaderboard", channel=world.channel, period="all")
    assert "carol" in here.embeds[0]["description"]


async def test_privacy_opt_out_and_forget_me(world: World) -> None:
    await run_quick_debate(world, [world.carol, world.dave], [])
    carol = world.carol.act()
    r = await carol.slash("privacy opt-out", channel=world.channel)
    assert r.ephemeral and "You are opted out" in r.content
    board = await world.alice.act().slash("leaderboard", channel=world.channel)
    assert "carol" not in board.embeds[0]["description"]
    r = await world.alice.act().slash("stats", channel=world.channel, member=world.carol)
    assert r.ephemeral and "has opted out" in r.content
    r = await carol.slash("privacy opt-in", channel=world.channel)
    assert "Welcome back" in r.content

    r = await world.dave.act().slash("privacy forget-me", channel=world.channel)
    assert r.ephemeral  # so nobody else can even see the confirmation
    done = await world.dave.act().click(r, f"pv:forget:{world.dave.user.id}")
    assert done.type == 7
    # One vote event, and its counters: all-time, week and month, per member and per topic.
    assert "Done: 7 rows about you" in world.emu.message(r.message.id).content
    stats = await world.dave.act().slash("stats", channel=world.channel)
    assert {f["name"]: f["value"] for f in stats.embeds[0]["fields"]}["All time"] == "0 pts"


async def test_board_names_are_display_names_escaped_and_never_ping(world: World) -> None:
    hostile = world.guild.create_member("@everyone **bold** <@&123456789012345678>")
    await run_quick_debate(world, [hostile], [])
    r = await world.alice.act().slash("leaderboard", channel=world.channel)
    description = r.embeds[0]["description"]
    line = next(line for line in board_lines(r.embeds[0]) if "bold" in line)
    assert "\\*\\*bold\\*\\*" in line and "@\u200beveryone" in line
    assert "<@&123456789012345678>" not in description  # the role mention is defused
    assert f"<@{world.alice.user.id}>" not in description  # names, not raw mentions
