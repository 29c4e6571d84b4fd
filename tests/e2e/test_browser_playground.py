"""The browser playground over HTTP, as its page script uses it: the page, live view, typing
with autocomplete, slash commands, buttons, a modal form, member and language switches, and
its guards (loopback host names only, a token for every action, everything escaped)."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest

from bot.config import Settings
from bot.core.content import load_pack
from playground.model import FLAG_LOADING
from playground.runner import Playground, start_playground
from playground.web.server import BrowserPlayground
from tests.e2e.world import REPO

PACK = load_pack(REPO / "content")
WAIT = 10.0
BUTTON = re.compile(r'data-message="(\d+)"|<button type="button" class="btn style-\d" '
                    r'data-custom-id="([^"]+)"[^>]*>\s*([^<]*?)\s*</button>')


@dataclass
class Browser:
    """What the page's script does, as one member in one channel."""

    http: aiohttp.ClientSession
    url: str
    token: str
    channel: str
    member: str = "you"
    seen: list[dict[str, Any]] = field(default_factory=list)

    async def act(self, action: str, **fields: Any) -> dict[str, Any]:
        async with self.http.post(
                self.url + "act", json={"action": action, "member": self.member,
                                        "channel": self.channel, **fields},
                headers={"X-Playground-Token": self.token}) as response:
            assert response.status == 200, await response.text()
            answer: dict[str, Any] = await response.json()
        self.channel = answer["channel"]
        self.seen.append(answer)
        return answer

    async def view(self) -> dict[str, Any]:
        async with self.http.get(self.url + "view", params={
                "member": self.member, "channel": self.channel}) as response:
            assert response.status == 200
            return dict(await response.json())

    async def text(self) -> str:
        """The channel's messages as a reader sees them (tags dropped, entities decoded)."""
        return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", (await self.view())["messages"])
                                      .split()))

    async def buttons(self) -> list[tuple[str, str, str]]:
        """(message id, custom id, label) of every button in the channel's messages."""
        found, message = [], ""
        for match in BUTTON.finditer((await self.view())["messages"]):
            if match.group(1):
                message = match.group(1)
            else:
                found.append((message, html.unescape(match.group(2)),
                              html.unescape(match.group(3))))
        return found

    async def click(self, label: str) -> dict[str, Any]:
        buttons = await self.buttons()
        found = [b for b in buttons if label in b[2]]
        assert found, f"no button {label!r} in {[b[2] for b in buttons]}"
        message, custom_id, _ = found[-1]
        return await self.act("click", message=message, custom_id=custom_id)

    async def until(self, needle: str) -> str:
        """The channel's text once it shows `needle` (the bot answers in its own time)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT
        while True:
            text = await self.text()
            if needle in text or loop.time() > deadline:
                assert needle in text, text[-2000:]
                return text
            await asyncio.sleep(0.1)


@pytest.fixture
async def playground(tmp_path: Path) -> AsyncIterator[tuple[Playground, BrowserPlayground]]:
    settings = Settings(discord_token=None, database_path=tmp_path / "rostrum.sqlite3",
                        content_dir=REPO / "content", dev_guild_id=None, log_level="INFO")
    async with start_playground(settings) as pg:
        web = BrowserPlayground(pg, pages_url="http://127.0.0.1:9/g/1")
        await web.start(0)
        try:
            yield pg, web
        finally:
            await web.stop()


@pytest.fixture
async def browser(playground: tuple[Playground, BrowserPlayground]) -> AsyncIterator[Browser]:
    pg, web = playground
    async with aiohttp.ClientSession() as http:
        yield Browser(http, web.url, web.token, str(pg.channel.id))


async def test_the_page_loads_with_a_strict_policy_and_refuses_strangers(
        playground: tuple[Playground, BrowserPlayground], browser: Browser) -> None:
    pg, web = playground
    async with browser.http.get(web.url) as response:
        page = await response.text()
        policy = response.headers["Content-Security-Policy"]
    assert response.status == 200 and "Rostrum Playground" in page
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert re.search(r"<script(?![^>]*src=)", page) is None  # no inline script at all
    async with browser.http.get(web.url + "static/app.js") as response:
        assert response.status == 200 and "EventSource" in await response.text()
    # Another host name for 127.0.0.1 (DNS rebinding) gets nothing.
    async with browser.http.get(web.url, headers={"Host": "evil.example:80"}) as response:
        assert response.status == 403
    # Without the page's token nothing happens, and nothing was posted.
    async with browser.http.post(web.url + "act", json={"action": "line", "line": "hello"},
                                 headers={"X-Playground-Token": "guess"}) as response:
        assert response.status == 403
    assert pg.emu.messages(pg.channel, include_users=True) == []
    view = await browser.view()
    assert view["title"] == "#debates" and "No messages here yet" in view["messages"]
    assert "# debates" in html.unescape(re.sub(r"<[^>]+>", "", view["channels"]))


async def test_typing_a_slash_command_suggests_commands_options_and_the_bots_choices(
        browser: Browser) -> None:
    async def suggestions(text: str) -> list[str]:
        async with browser.http.get(browser.url + "complete", params={
                "member": browser.member, "channel": browser.channel, "text": text}) as response:
            return [s["text"] for s in await response.json()]

    assert await suggestions("/su") == ["summary"]
    assert await suggestions("/summary ") == ["section:", "length:"]
    assert "economic-relations" in await suggestions("/summary section:econ")
    assert await suggestions("hello") == []
    browser.member = "alice"
    assert "settings" not in await suggestions("/se")  # hidden from a member without rights


async def test_a_summary_then_a_debate_joined_argued_through_a_form_as_two_members(
        playground: tuple[Playground, BrowserPlayground], browser: Browser) -> None:
    pg, _ = playground
    entry = PACK.article.get("trade-and-investment")
    assert entry is not None
    answer = await browser.act("line", line="/summary section:trade-and-investment")
    assert answer["failed"] is False
    text = await browser.until(entry.title)
    assert "you used /summary" in text

    answer = await browser.act("line", line="/moderate start topic:history-versus-interests "
                                            "format:quick phase_seconds:60")
    thread = answer["channel"]
    assert thread != str(pg.channel.id)  # the page follows the bot into the new thread
    view = await browser.view()
    assert view["title"] == "🧵 Debate: History versus interests"
    labels = [label for _, _, label in await browser.buttons()]
    assert any(label.endswith("Join pro") for label in labels), labels

    browser.member = "alice"
    await browser.click("Join pro")
    await browser.until("You joined the pro side of debate #1.")
    bob = Browser(browser.http, browser.url, browser.token, thread, member="bob")
    assert "You joined the pro side" not in await bob.text()  # alice's answer is hers alone

    browser.member = "you"
    await browser.click("Begin")
    await browser.until("Phase 1/4")
    browser.member = "alice"
    opened = await browser.click("Make your argument")
    form = opened["modal"]
    assert form["title"].startswith("Argue") and form["inputs"][0]["max"] == 1500
    await browser.act("modal", modal=form["id"],
                      fields={form["inputs"][0]["id"]: "Shared threats cannot wait."})
    await browser.until("Shared threats cannot wait.")
    again = await browser.act("modal", modal=form["id"], fields={})
    assert again["failed"] and "expired" in again["notes"][0]
    assert pg.emu.violations == []


async def test_member_text_is_shown_as_text_and_bad_input_gets_one_line(
        playground: tuple[Playground, BrowserPlayground], browser: Browser) -> None:
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> **bold**'
    await browser.act("line", line=hostile)
    raw = (await browser.view())["messages"]
    assert "<script>" not in raw and "<img src=x" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw and "<strong>bold</strong>" in raw
    await browser.act("line", line="/summary section:no-such-section-at-all")
    refusal = await browser.until("I don't know a section called no-such-section-at-all")
    assert refusal.endswith("👁 Only you can see this")
    bad = await browser.act("line", line="/nonsense")
    assert bad["failed"] and bad["notes"][0].startswith("✗ Unknown command /nonsense.")
    gone = await browser.act("click", message="1", custom_id="x")
    assert gone["failed"] and gone["notes"] == ["✗ That message is gone."]


async def test_switching_app_language_and_moderator_role(
        playground: tuple[Playground, BrowserPlayground], browser: Browser) -> None:
    pg, _ = playground
    browser.member = "alice"
    assert (await browser.view())["moderator"] is False
    await browser.act("moderator", value=True)
    assert (await browser.view())["moderator"] is True
    assert pg.mod_role in pg.members["alice"].roles
    await browser.act("language", value="ja")
    assert (await browser.view())["locale"] == "ja"
    await browser.act("line", line="/help")
    await browser.until("コマンド")
    await browser.act("server-language", value="ko")
    assert (await browser.view())["server_locale"] == "ko"
    bad = await browser.act("language", value="xx")
    assert bad["failed"]


async def test_a_select_menu_chosen_on_the_page_opens_a_subsection(browser: Browser) -> None:
    parent = PACK.article.get("historical-background")
    assert parent is not None
    child = PACK.article.children(parent.id)[0]
    await browser.act("line", line=f"/summary section:{parent.id}")
    await browser.until(parent.title)
    raw = (await browser.view())["messages"]
    menu = re.search(r'data-message="(\d+)"(?:(?!data-message=).)*?<select class="menu" '
                     r'data-custom-id="([^"]+)"', raw, re.DOTALL)
    assert menu is not None, raw[-2000:]
    assert f'<option value="{child.id}"' in raw
    answer = await browser.act("select", message=menu.group(1),
                               custom_id=html.unescape(menu.group(2)), values=[child.id])
    assert answer["failed"] is False
    await browser.until(child.title)


async def test_a_payload_discord_would_refuse_is_flagged_on_the_page(
        playground: tuple[Playground, BrowserPlayground], browser: Browser) -> None:
    pg, _ = playground
    assert (await browser.view())["problem_count"] == 0
    channel = pg.bot.get_channel(pg.channel.id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException):
        await channel.send("x" * 2001)  # over Discord's 2,000 characters
    view = await browser.view()
    assert view["problem_count"] == 1
    assert view["problems"][0].startswith("POST /channels/{channel_id}/messages content")


async def test_a_deferred_answer_shows_the_bot_thinking_until_it_comes(
        playground: tuple[Playground, BrowserPlayground], browser: Browser) -> None:
    pg, _ = playground
    result = await pg.members["you"].act().slash("topics", channel=pg.channel)
    answer = result.message
    assert answer is not None and "is thinking" not in await browser.text()
    answer.flags |= FLAG_LOADING  # what a deferred answer is until the bot follows it up
    assert "Rostrum is thinking…" in await browser.text()
    answer.flags &= ~FLAG_LOADING
    assert "is thinking" not in await browser.text()
