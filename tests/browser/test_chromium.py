"""The browser playground and the public pages in a real headless Chromium, as a person uses
them: type a slash command with autocomplete, start an Oxford debate, join by clicking, argue
through a form, vote, see the result card and its chart; then the debate's public page and the
leaderboard. Hostile text stays text. Screenshots of the key pages are kept as test artifacts
(test-artifacts/screenshots, or ROSTRUM_ARTIFACTS).

Needs Debian's `chromium` and `chromium-driver` (and `fonts-noto-cjk` for Japanese and Korean
in the screenshots); `.ci/run` installs them. Without them these tests are skipped, unless
ROSTRUM_REQUIRE_BROWSER=1 (as in CI), where they fail instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.core.content import load_library, load_pack
from playground.console import free_port
from playground.runner import start_playground
from playground.web.server import BrowserPlayground
from tests.e2e.world import REPO

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

PACK = load_pack(REPO / "content")
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                "google-chrome"))), None)
DRIVER = shutil.which("chromedriver")
WAIT = 20
HOSTILE = "<script>window.pwned = 1</script><img src=x onerror=window.pwned=2>"
ARTIFACTS = Path(os.environ.get("ROSTRUM_ARTIFACTS") or REPO / "test-artifacts") / "screenshots"

if CHROMIUM is None or DRIVER is None:
    reason = "needs chromium and chromedriver (apt-get install chromium chromium-driver)"
    if os.environ.get("ROSTRUM_REQUIRE_BROWSER") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)


@dataclass
class Live:
    url: str
    pages: str


@contextlib.contextmanager
def live_playground(folder: Path) -> Iterator[Live]:
    """The playground (emulator, the real bot with its public pages, the browser page) on its
    own event loop in a thread, while the test drives Chromium from this one."""
    ready = threading.Event()
    found: dict[str, Any] = {}

    async def serve() -> None:
        pages_port = free_port()
        settings = Settings(discord_token=None, database_path=folder / "rostrum.sqlite3",
                            content_dir=REPO / "content", dev_guild_id=None, log_level="INFO",
                            web_port=pages_port)
        stop = asyncio.Event()
        try:
            async with start_playground(settings) as pg:
                pages = f"http://127.0.0.1:{pages_port}/g/{pg.guild.id}"
                web = BrowserPlayground(pg, pages_url=pages)
                found.update(live=Live(await web.start(0), pages), stop=stop,
                             loop=asyncio.get_running_loop())
                ready.set()
                await stop.wait()
                await web.stop()
        except BaseException as error:
            found["error"] = error
            ready.set()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    assert ready.wait(60), "the playground did not start"
    if "error" in found:
        raise found["error"]
    try:
        yield found["live"]
    finally:
        found["loop"].call_soon_threadsafe(found["stop"].set)
        thread.join(30)


@pytest.fixture
def chromium() -> Iterator[Any]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1280,900", "--lang=en-US"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


class Page:
    """The playground page in Chromium, with the moves a person makes."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    def until(self, check: Callable[[Any], Any], what: str) -> Any:
        """Wait for `check`; the page redraws as the bot answers, so an element found a moment
        ago may be gone (stale): the check is then simply tried again."""
        return WebDriverWait(self.driver, WAIT, ignored_exceptions=(
            StaleElementReferenceException,)).until(check, message=what)

    def messages_text(self) -> str:
        return str(self.driver.find_element(By.ID, "messages").text)

    def shows(self, needle: str) -> None:
        self.until(lambda d: needle in self.messages_text(), f"the page to show {needle!r}")

    def type(self, text: str, *, enter: bool = True) -> None:
        line = self.driver.find_element(By.ID, "line")
        line.send_keys(text)
        if enter:
            line.send_keys(Keys.ENTER)

    def suggestion(self, label: str) -> None:
        """Wait until the suggestions list offers `label`, then take it with Tab."""
        def offered(driver: Any) -> bool:
            labels = driver.execute_script(  # in one go: the list is redrawn as one types
                "return Array.from(document.querySelectorAll('#suggestions li .label'))"
                ".map(item => item.textContent)")
            return bool(labels) and labels[0] == label

        self.until(offered, f"{label!r} first among the suggestions")
        self.driver.find_element(By.ID, "line").send_keys(Keys.TAB)

    def act_as(self, member: str) -> None:
        Select(self.driver.find_element(By.ID, "member")).select_by_value(member)

    def click(self, label: str) -> None:
        """Click the newest button showing `label` (found and clicked in one try, again if the
        page was redrawn in between)."""
        xpath = f"//article//button[contains(normalize-space(.), '{label}')]"

        def press(driver: Any) -> bool:
            found = driver.find_elements(By.XPATH, xpath)
            if found:
                found[-1].click()
            return bool(found)

        self.until(press, f"a {label!r} button")

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(ARTIFACTS / name))


def test_an_oxford_debate_in_the_browser_then_its_public_pages(tmp_path: Path,
                                                               chromium: Any) -> None:
    entry = PACK.article.get("economic-relations")
    assert entry is not None
    with live_playground(tmp_path) as live:
        page = Page(chromium)
        chromium.get(live.url)
        page.shows("No messages here yet")

        # A summary, typed with autocomplete: command, option, then the bot's own choices.
        page.type("/summ", enter=False)
        page.suggestion("summary")
        page.type("section:economic-rel", enter=False)
        page.suggestion("economic-relations")
        assert chromium.find_element(By.ID, "line").get_attribute("value") == (
            "/summary section:economic-relations ")
        page.type("")
        page.shows(entry.title)
        page.shot("playground-summary.png")

        # Hostile text from a member is shown as text and runs nothing.
        page.act_as("bob")
        page.type(HOSTILE)
        page.shows("<script>window.pwned = 1</script>")
        assert chromium.execute_script("return window.pwned") is None

        # A moderator opens an Oxford debate; the page follows into its thread.
        page.act_as("you")
        page.type("/settings web-pages enabled:true")
        page.shows("Public pages are on")
        page.type("/moderate start topic:history-versus-interests format:oxford "
                  "phase_seconds:600")
        page.until(lambda d: d.find_element(By.ID, "title").text.startswith("🧵 Debate"),
                   "the debate thread")
        for member, side in (("alice", "pro"), ("bob", "con")):
            page.act_as(member)
            page.click(f"Join {side}")
            page.shows(f"You joined the {side} side")
        page.act_as("you")
        page.type("/moderate next")
        page.shows("Phase 1/7")
        page.act_as("carol")
        page.click("Vote pro")
        page.shows("Vote recorded")
        page.act_as("you")
        page.type("/moderate next")
        page.shows("Phase 2/7")

        # Alice argues through the form the button opens.
        page.act_as("alice")
        page.click("Make your argument")
        form = page.until(lambda d: d.find_element(By.ID, "modal").is_displayed()
                          and d.find_element(By.CSS_SELECTOR, "#modal-fields textarea"),
                          "the argument form")
        form.send_keys("Shared threats cannot wait for history to be settled first. " + HOSTILE)
        page.shot("playground-form.png")
        chromium.find_element(By.CSS_SELECTOR, "#modal-form button[type=submit]").click()
        page.shows("Shared threats cannot wait for history to be settled first.")
        assert chromium.execute_script("return window.pwned") is None

        page.act_as("you")
        for number in range(3, 8):
            page.type("/moderate next")
            page.shows(f"Phase {number}/7")
        page.act_as("carol")
        page.click("Vote con")
        page.act_as("you")
        page.type("/moderate next")
        page.shows("Con wins")
        page.until(lambda d: d.execute_script(
            "const charts = document.querySelectorAll('img.embed-image');"
            "const chart = charts[charts.length - 1];"
            "if (!chart || !chart.complete) return 0;"
            "chart.scrollIntoView(); return chart.naturalWidth;") == 640,
            "the result card's chart to load")
        page.shot("playground-result.png")

        # The same debate on its public page, and the leaderboard.
        chromium.set_window_size(1280, 1900)  # the whole record, down to the chart
        chromium.get(f"{live.pages}/debates/1")
        body = chromium.find_element(By.TAG_NAME, "body").text
        assert "Debate #1" in body and "Shared threats cannot wait" in body
        assert "<script>window.pwned = 1</script>" in body  # shown, not run
        assert chromium.execute_script("return window.pwned") is None
        svg = chromium.find_element(By.CSS_SELECTOR, "svg.chart")
        assert "pro 100% → 0%" in (svg.get_attribute("aria-label") or "")
        page.shot("public-debate.png")
        # The finished debate is scored just after its result card: reload until it counts.
        def scored(driver: Any) -> bool:
            driver.get(f"{live.pages}/leaderboard?period=all")
            board = driver.find_element(By.TAG_NAME, "body").text
            return "alice" in board and "carol" in board

        page.until(scored, "the leaderboard to count the debate")
        page.shot("public-leaderboard.png")
        topic = PACK.topic("history-versus-interests")
        assert topic is not None
        chromium.get(f"{live.pages}/topics/{topic.id}")
        brief = chromium.find_element(By.TAG_NAME, "body").text
        assert topic.motion in brief and "Against the motion" in brief
        page.shot("public-topic.png")


def test_a_japanese_reader_sees_their_script(tmp_path: Path, chromium: Any) -> None:
    topic = load_library(REPO / "content").in_language("ja").topic("history-versus-interests")
    assert topic is not None
    with live_playground(tmp_path) as live:
        page = Page(chromium)
        chromium.get(live.url)
        page.shows("No messages here yet")
        Select(chromium.find_element(By.ID, "locale")).select_by_value("ja")
        page.until(lambda d: "app is now in ja" in d.find_element(By.ID, "notes").text,
                   "the playground to confirm the Japanese app")
        page.type("/topic topic:history-versus-interests")
        page.shows(topic.title)
        page.until(lambda d: not d.find_element(By.ID, "suggestions").is_displayed(),
                   "the suggestions to close once the line is sent")
        page.shot("playground-japanese.png")
