"""The public pages, read over loopback HTTP from the bot's own web server: off unless a
server turns them on, read-only, escaped, with a strict CSP, and silent about members who
opted out."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from markupsafe import escape

from bot.web.server import CSP, PublicPages
from tests.e2e.world import REPO, World, advance, button, join, start, wait_card

MANAGE_GUILD = 1 << 5
HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_TEXT = "<img src=x onerror=alert(1)> and a **bold** claim that apologies matter here."
HIDDEN_TEXT = "This argument's author opted out, so the page must not show these words."


@pytest.fixture
async def pages(world: World) -> AsyncIterator[TestClient]:
    client = TestClient(TestServer(PublicPages(world.bot).app(), host="127.0.0.1"))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def test_pages_are_off_until_a_server_turns_them_on(world: World,
                                                          pages: TestClient) -> None:
    url = f"/g/{world.guild.id}"
    assert (await pages.get(url)).status == 404
    admin = world.guild.create_member("admin", roles=[world.guild.create_role(
        "Admins", permissions=MANAGE_GUILD)])
    r = await admin.act().slash("settings web-pages", channel=world.channel, enabled=True)
    assert r.ephemeral and "Public pages are on" in r.content
    page = await pages.get(url)
    assert page.status == 200 and page.headers["Content-Security-Policy"] == CSP
    assert "Rostrum Test: debates" in await page.text()
    assert (await pages.post(url)).status == 405  # nothing on the web writes
    r = await admin.act().slash("settings web-pages", channel=world.channel, enabled=False)
    assert (await pages.get(url)).status == 404


async def test_a_debate_page_is_escaped_and_leaves_out_members_who_opted_out(
        world: World, pages: TestClient) -> None:
    admin = world.guild.create_member("admin", roles=[world.guild.create_role(
        "Admins", permissions=MANAGE_GUILD)])
    await admin.act().slash("settings web-pages", channel=world.channel, enabled=True)
    hostile = world.guild.create_member("hostile", nick=HOSTILE_NAME[:32])
    d = await start(world, "quick", 60)
    await join(world, d, hostile, "pro")
    await join(world, d, world.bob, "con")
    await join(world, d, world.carol, "con")
    await world.mo.act().click(d.lobby, button(d, "begin"))
    opening = await wait_card(world, d, "Phase 1/4")
    for member, text in ((hostile, HOSTILE_TEXT), (world.carol, HIDDEN_TEXT)):
        form = await member.act().click(opening, button(d, "argue"))
        await member.act().submit_modal(form, {"argument": text})
    r = await world.carol.act().slash("privacy opt-out", channel=world.channel)
    assert r.ephemeral
    for phase in ("Phase 2/4", "Phase 3/4", "Phase 4/4", "Draw"):
        await advance(world, d, 60, phase)
    await world.emu.wait_for(lambda: d.thread.archived, description="the awards, then close")

    page = await pages.get(f"/g/{world.guild.id}/debates/{d.id}")
    html = await page.text()
    assert page.status == 200 and page.headers["Content-Security-Policy"] == CSP
    assert "<script>" not in html and "<img" not in html  # inert: shown as text
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert HIDDEN_TEXT not in html and "carol" not in html
    assert "a member who opted out" in html
    assert str(world.bob.id) not in html and "bob" in html  # names, never ids
    assert "Draw" in html

    board = await (await pages.get(f"/g/{world.guild.id}/leaderboard?period=week")).text()
    assert "bob" in board and "carol" not in board and "&lt;script&gt;" in board
    # The server's points week by week, as a chart (opted-out carol's not counted).
    assert board.count("<svg") == 1 and 'aria-label="Points per week: ' in board
    # Per topic: this debate's topic has bob; another topic's board is empty.
    board = await (await pages.get(f"/g/{world.guild.id}/leaderboard?period=all"
                                   "&topic=history-versus-interests")).text()
    assert "bob" in board and "History versus interests" in board
    board = await (await pages.get(f"/g/{world.guild.id}/leaderboard?period=all"
                                   "&topic=trade-frictions-and-economic-policy")).text()
    assert "bob" not in board and "Nobody has points in this period yet." in board
    assert (await pages.get(f"/g/{world.guild.id}/debates/{d.id + 1}")).status == 404


async def test_an_oxford_debate_page_draws_the_vote_as_an_inline_chart(
        world: World, pages: TestClient) -> None:
    admin = world.guild.create_member("admin", roles=[world.guild.create_role(
        "Admins", permissions=MANAGE_GUILD)])
    await admin.act().slash("settings web-pages", channel=world.channel, enabled=True)
    d = await start(world, "oxford", 30)
    await join(world, d, world.alice, "pro")
    await join(world, d, world.bob, "con")
    voters = [world.guild.create_member(f"voter{i}") for i in range(2)]
    await world.mo.act().slash("moderate next", channel=d.thread)
    pre = await wait_card(world, d, "Phase 1/7 · Pre-vote")
    for voter in voters:
        await voter.act().click(pre, button(d, "vote-pro"))
    for card in ("2/7", "3/7", "4/7", "5/7", "6/7", "7/7 · Post-vote"):
        post = await advance(world, d, 30, card)
    await voters[0].act().click(post, button(d, "vote-con"))
    await voters[1].act().click(post, button(d, "vote-pro"))
    await advance(world, d, 30, "Con wins")

    html = await (await pages.get(f"/g/{world.guild.id}/debates/{d.id}")).text()
    assert html.count("<svg") == 1 and 'role="img"' in html
    assert "pro 100% → 50%, con 0% → 50%" in html  # its title, for screen readers
    assert ">Pro</text>" in html and ">Undecided</text>" in html
    assert "<script" not in html and "style=" not in html


async def test_the_article_and_topic_briefs_are_pages_in_the_servers_language(
        world: World, pages: TestClient) -> None:
    from bot.core.content import load_library

    library = load_library(REPO / "content")
    entry = next(e for e in library.article.entries if e.background and e.perspectives)
    url = f"/g/{world.guild.id}"
    assert (await pages.get(f"{url}/read")).status == 404  # off until the server turns them on
    admin = world.guild.create_member("admin", roles=[world.guild.create_role(
        "Admins", permissions=MANAGE_GUILD)])
    await admin.act().slash("settings web-pages", channel=world.channel, enabled=True)

    contents = await pages.get(f"{url}/read")
    html = await contents.text()
    assert contents.status == 200 and contents.headers["Content-Security-Policy"] == CSP
    for listed in (*library.article.entries, *library.topics):
        assert f'href="{url}/{"read" if listed in library.article.entries else "topics"}/' \
               f'{listed.id}"' in html

    page = await (await pages.get(f"{url}/read/{entry.id}")).text()
    assert escape(entry.title) in page
    assert escape(entry.full.split("\n\n")[0].strip()) in page  # the summary, in full
    # Outside context under its own label, each claim with its source.
    assert page.index("Background — not from the article") > page.index(
        escape(entry.full.split("\n\n")[-1].strip()))
    assert escape(entry.background[0].sources[0].title) in page
    assert "Perspectives" in page and escape(entry.perspectives[0].holder) in page

    topic = library.topics[0]
    brief = await (await pages.get(f"{url}/topics/{topic.id}")).text()
    assert escape(topic.motion) in brief
    assert "For the motion" in brief and "Against the motion" in brief
    assert all(escape(point) in brief for point in (*topic.pro, *topic.con))
    assert (await pages.get(f"{url}/read/no-such-entry")).status == 404
    assert (await pages.get(f"{url}/topics/no-such-topic")).status == 404

    # A Japanese server reads them in Japanese.
    await admin.act().slash("settings language", channel=world.channel, language="ja")
    japanese = library.in_language("ja")
    brief = await (await pages.get(f"{url}/topics/{topic.id}")).text()
    ja_topic = japanese.topic(topic.id)
    assert ja_topic is not None and escape(ja_topic.motion) in brief
    assert '<html lang="ja">' in brief and "記事" in brief
