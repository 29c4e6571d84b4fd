"""The playground console: its option parser, and `python -m bot playground` as a person uses
it, through a pipe and through a pseudo-terminal."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from bot.config import Settings
from bot.core.content import load_pack
from playground import render
from playground.console import PlaygroundConsole
from playground.runner import start_playground
from playground.slash_line import ParseError, chat_commands, convert_options, parse_slash
from tests.e2e.world import REPO, World

PACK = load_pack(REPO / "content")
FAKE_BAR = "▌"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[=>]")


def flat(text: str) -> str:
    """Terminal output without colour codes, embed bars and line wrapping."""
    text = ANSI.sub("", text).replace(FAKE_BAR, " ")
    return " ".join(text.split())


# ---------------------------------------------------------------------------- the parser

COMMANDS = chat_commands([
    {"type": 1, "name": "summary", "description": "Read a summary", "options": [
        {"type": 3, "name": "section", "description": "Section", "required": True,
         "autocomplete": True},
        {"type": 3, "name": "length", "description": "short or full",
         "choices": [{"name": "short", "value": "short"}, {"name": "full", "value": "full"}]},
    ]},
    {"type": 1, "name": "help", "description": "Every command"},
    {"type": 1, "name": "debate", "description": "Debates", "options": [
        {"type": 1, "name": "start", "description": "Start", "options": [
            {"type": 3, "name": "topic", "description": "Topic", "required": True},
            {"type": 3, "name": "format", "description": "Format", "required": True,
             "choices": [{"name": "Quick round", "value": "quick"},
                         {"name": "Oxford-style", "value": "oxford"}]},
            {"type": 4, "name": "phase_seconds", "description": "Seconds",
             "min_value": 10, "max_value": 3600},
        ]},
        {"type": 1, "name": "argue", "description": "Argue", "options": [
            {"type": 3, "name": "text", "description": "Your argument", "required": True},
        ]},
    ]},
    {"type": 1, "name": "settings", "description": "Configure",
     "default_member_permissions": "32", "options": [
         {"type": 1, "name": "moderator-role", "description": "Set the role", "options": [
             {"type": 8, "name": "role", "description": "The role"}]},
     ]},
])


def test_values_run_until_the_next_known_option_and_may_hold_spaces_and_colons() -> None:
    parsed = parse_slash("/debate argue text:History matters: treaties bind. See section:x",
                         COMMANDS)
    assert parsed.path == "debate argue"
    assert parsed.options == {"text": "History matters: treaties bind. See section:x"}
    parsed = parse_slash("/summary length:full section:trade and investment", COMMANDS)
    assert parsed.options == {"length": "full", "section": "trade and investment"}


def test_subcommands_and_typed_values() -> None:
    parsed = parse_slash("/debate start topic:history-versus-interests format:Quick round "
                         "phase_seconds:60", COMMANDS)
    assert parsed.path == "debate start"
    assert convert_options(parsed, None) == {"topic": "history-versus-interests",
                                             "format": "quick", "phase_seconds": 60}
    parsed = parse_slash("/settings moderator-role", COMMANDS)
    assert (parsed.path, parsed.options) == ("settings moderator-role", {})


def test_text_before_any_option_fills_the_first_required_one_and_quotes_are_dropped() -> None:
    assert parse_slash("/summary overview", COMMANDS).options == {"section": "overview"}
    assert parse_slash('/summary section:"trade and investment"', COMMANDS).options == {
        "section": "trade and investment"}


@pytest.mark.parametrize(("line", "message"), [
    ("/summary lenght:full section:overview", "no option lenght. Did you mean length?"),
    ("/summary section:overview lenght:full", "/summary has no option lenght"),
    ("/sumary section:overview", "Unknown command /sumary. Did you mean /summary?"),
    ("/summary length:full", "/summary needs section:"),
    ("/debate", "/debate needs a subcommand. Pick one of: start, argue."),
    ("/debate stop", "/debate has no subcommand 'stop'."),
    ("/help me", "/help takes no options"),
    ("/summary section:", "option section needs a value"),
    ("/summary section:a section:b", "option section is given twice"),
])
def test_problems_are_explained(line: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_slash(line, COMMANDS)
    assert message in str(caught.value)


def test_bad_choices_and_numbers_are_explained() -> None:
    with pytest.raises(ParseError, match="format must be one of quick, oxford"):
        convert_options(parse_slash("/debate start topic:x format:long", COMMANDS), None)
    with pytest.raises(ParseError, match="phase_seconds must be a whole number"):
        convert_options(parse_slash("/debate start topic:x format:quick phase_seconds:soon",
                                    COMMANDS), None)


def test_commands_needing_missing_permissions_are_hidden() -> None:
    everything = list(COMMANDS.values())
    assert "settings" not in chat_commands(everything, permissions=0)
    assert "settings" in chat_commands(everything, permissions=32)


async def test_parsed_lines_drive_the_real_bot(world: World) -> None:
    commands = chat_commands(world.emu.commands())
    line = ("/moderate start topic:history-versus-interests format:quick phase_seconds:60")
    parsed = parse_slash(line, commands)
    r = await world.mo.act().slash(parsed.path, channel=world.channel,
                                   options=convert_options(parsed, world.guild))
    await r.wait_done()
    assert "Debate #1" in r.content
    role = parse_slash("/settings moderator-role role:Moderators", commands)
    assert convert_options(role, world.guild) == {"role": world.mod_role}


def test_discord_markdown_becomes_styled_text_without_rich_markup() -> None:
    names = render.Names(user={7: "alice"}.get, role={8: "Moderators"}.get,
                         channel={9: "debates"}.get, now=lambda: 1_000.0)
    text = render.markdown("**Motion:** see <#9>, ask <@7> or <@&8> [red]not markup[/red]\n"
                           "> quoted `code` ends <t:1045:R>; a\\_b", names)
    assert text.plain == ("Motion: see #debates, ask @alice or @Moderators [red]not markup[/red]"
                          "\n▎ quoted code ends in 45 s; a_b")
    assert any(span.style and "bold" in str(span.style) for span in text.spans)


async def test_tab_completes_names_choices_and_the_bots_autocomplete(tmp_path: Path) -> None:
    settings = Settings(discord_token=None, database_path=tmp_path / "rostrum.sqlite3",
                        content_dir=REPO / "content", dev_guild_id=None, log_level="INFO")
    async with start_playground(settings) as pg:
        console = PlaygroundConsole(pg, Console(file=io.StringIO()), echo=False)

        async def complete(text: str) -> list[str]:
            return [c.text for c in await console.completions(text)]

        assert await complete("/su") == ["summary"]
        assert await complete("/summary ") == ["section:", "length:"]
        assert await complete("/summary section:overview len") == ["length:"]
        assert await complete("/summary length:f") == ["full"]
        econ = await complete("/summary section:econ")
        assert {"economic-relations", "economic-security-and-supply-chains"} <= set(econ)
        assert await complete("/debate sta") == ["status"]
        assert await complete("/moderate st") == ["start"]
        assert await complete("/moderate start topic:escal") == [
            "territorial-disputes-and-escalation"]
        assert await complete("/moderate start topic:x format:") == [
            "quick", "oxford", "lincoln-douglas"]
        assert await complete("/settings moderator-role role:Mod") == ["Moderators"]
        assert await complete("as a") == ["alice"]
        assert "click" in await complete("cl")
        await console.switch_member("alice")
        assert await complete("/se") == ["sections"]  # /settings is hidden from alice
        assert pg.emu.violations == []


# ---------------------------------------------------------------------------- the program


def playground_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DISCORD_TOKEN": "", "DEV_GUILD_ID": "", "LOG_LEVEL": "",
            "CONTENT_DIR": str(REPO / "content"), "PYTHONIOENCODING": "utf-8",
            "PLAYGROUND_PORT": "0", "DATABASE_PATH": str(tmp_path / "data" / "rostrum.sqlite3")}


def run_piped(tmp_path: Path, text: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "playground"], cwd=REPO,
                          env=playground_env(tmp_path), input=text, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout)


class Session:
    """`python -m bot playground` with piped stdin, read while it runs."""

    def __init__(self, tmp_path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "playground"], cwd=REPO,
            env=playground_env(tmp_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, encoding="utf-8", bufsize=1)
        self._chunks: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._chunks.append(line)

    @property
    def output(self) -> str:
        return "".join(self._chunks)

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def expect(self, pattern: str, timeout: float = 10) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, flat(self.output))
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no {pattern!r} within {timeout}s in:\n{self.output[-3000:]}")

    def close(self, timeout: float = 15) -> int:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self._reader.join(2)


@pytest.fixture
def session(tmp_path: Path) -> Any:
    started = Session(tmp_path)
    yield started
    if started.proc.poll() is None:
        started.proc.kill()
        started.proc.wait(5)


def test_reading_commands_member_switch_and_a_friendly_error(tmp_path: Path) -> None:
    entry = PACK.article.get("trade-and-investment")
    topic = PACK.topic("history-versus-interests")
    assert entry is not None and topic is not None
    result = run_piped(tmp_path, "\n".join([
        "/summary section:trade-and-investment",
        "/topic topic:history-versus-interests",
        "/nonsense section:x",
        "as alice",
        "who",
        "quit",
        "/help",  # never read: quit came first
    ]) + "\n")
    out = flat(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    # Where you are, who you are, examples, and how to connect a real bot.
    assert 'Server "Rostrum Playground", channel #debates. You are "you"' in out
    assert "/summary section:economic-relations length:full" in out
    assert "set DISCORD_TOKEN in .env" in out
    assert "playground.log" in out
    assert re.search(r"Open http://127\.0\.0\.1:\d+/ to see it as Discord would show it", out)
    # The summary: its title and text; the brief: its motion.
    assert f"you @ #debates › /summary section:{entry.id}" in out
    assert entry.title in out and flat(entry.short) in out
    assert flat(topic.motion) in out
    assert "✗ Unknown command /nonsense." in out
    assert "You are now alice." in out and "alice (no roles) ← you are acting as them" in out
    assert "alice @ #debates › quit" in out
    assert "What Rostrum does" not in out  # /help after quit was not run
    assert (tmp_path / "data" / "playground.log").exists()


def test_a_member_switches_their_app_language_and_reads_in_it(tmp_path: Path) -> None:
    from bot.core.content import load_library

    library = load_library(REPO / "content")
    ja, ko = library.in_language("ja"), library.in_language("ko")
    result = run_piped(tmp_path, "\n".join([
        "lang ja",
        "/summary section:overview",
        "lang xx",
        "server-lang ko",
        "lang fr",
        "/summary section:exchange-and-education",
        "quit",
    ]) + "\n")
    out = flat(result.stdout)
    unwrapped = out.replace(" ", "")  # Japanese and Korean wrap between any two characters
    assert result.returncode == 0, result.stdout + result.stderr
    assert "you's Discord app is now in ja." in out
    assert ja.article.get("overview").short.replace(" ", "") in unwrapped
    assert "✗ No language 'xx'." in out
    # An app language Rostrum does not speak falls back to the (now Korean) server's.
    assert ko.article.get("exchange-and-education").short.replace(" ", "") in unwrapped


def test_end_of_input_exits_0_after_the_last_answer(tmp_path: Path) -> None:
    result = run_piped(tmp_path, "/help\n")
    assert result.returncode == 0, result.stdout + result.stderr
    out = flat(result.stdout)
    assert "(only you can see this)" in out
    assert "/summary section:" in out  # the bot's /help lists its commands
    assert out.endswith("Stopping the bot and the playground…")


def test_debate_start_thread_and_a_button_clicked_as_another_member(session: Session) -> None:
    session.expect(r"To connect a real bot instead")
    # The address printed serves the browser playground while the console runs.
    address = session.expect(r"Open (http://127\.0\.0\.1:\d+/)").group(1)
    with urllib.request.urlopen(address, timeout=10) as page:
        assert page.status == 200 and "Rostrum Playground" in page.read().decode()
    session.send("/moderate start topic:history-versus-interests format:quick phase_seconds:10")
    session.expect(r"🧵 Thread created in #debates: Debate: History versus interests")
    join = session.expect(r"\[(\d+)\] Join pro")
    session.expect(r"You are now in the thread 'Debate: History versus interests'")
    session.send("as alice")
    session.expect(r"You are now alice\.")
    session.send(f"click {join.group(1)}")
    session.expect(r"\(only you can see this\) You joined the pro side of debate #1\.")
    session.expect(r"\(edited\).*Pro Con alice nobody yet")
    session.send("channels")
    session.expect(r"2\. 🧵 Debate: History versus interests ← here")
    # A moderator begins; the phase card's button opens a form, filled in line by line.
    session.send("as you")
    session.send("click Begin")
    session.expect(r"Phase 1/4 · Opening")
    session.send("as alice")
    session.send("click Make your argument")
    session.send("Shared threats cannot wait for history.")
    session.expect(r"📝 Argue: Opening.*Your argument for pro \(max 1,500 chars\): "
                   r"Shared threats cannot wait for history\.")
    session.expect(r"alice · Pro · Opening Shared threats cannot wait for history\.")
    session.send("quit")
    assert session.close() == 0
    assert "Traceback" not in session.output


def test_a_terminal_session_echoes_typing_and_ctrl_c_quits(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    import fcntl
    import select
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**playground_env(tmp_path), "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "playground"], cwd=REPO, env=env,
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    seen = bytearray()

    def expect(pattern: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    seen.extend(os.read(master, 65536))
                except OSError:
                    break
            if re.search(pattern, flat(seen.decode("utf-8", "replace"))):
                return
        raise AssertionError(f"no {pattern!r} in:\n{seen.decode('utf-8', 'replace')[-3000:]}")

    try:
        expect(r"you @ #debates ›")
        os.write(master, b"/topic topic:history-versus-interests")
        expect(r"/topic topic:history-versus-interests")  # echoed as typed
        os.write(master, b"\r")
        topic = PACK.topic("history-versus-interests")
        assert topic is not None
        expect(re.escape(flat(topic.motion)))
        time.sleep(0.5)  # the prompt is back
        os.write(master, b"\x03")  # Ctrl-C on an empty line quits
        assert proc.wait(15) == 0
        expect(r"Stopping the bot and the playground", timeout=2)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        os.close(master)
    assert "Traceback" not in seen.decode("utf-8", "replace")
