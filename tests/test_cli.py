"""The command line, run as a user runs it: a subprocess with its own environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str, cwd: Path = REPO, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "DISCORD_TOKEN": "", "DEV_GUILD_ID": "", "LOG_LEVEL": "",
                "DATABASE_URL": "", "CONTENT_DIR": str(REPO / "content"), **env}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=60)


def test_content_check_reports_counts() -> None:
    result = run_cli("content", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "content ok: 28 entries, 5 topics, 3 formats; languages: en, ja, ko")


def test_content_check_lists_problems_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "article.yaml").write_text("entries: [\n", encoding="utf-8")
    result = run_cli("content", "check", "--dir", str(tmp_path))
    assert result.returncode == 1
    assert "article.yaml: malformed YAML at line" in result.stderr
    assert "topics.yaml: file is missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_is_one_line_and_exit_2() -> None:
    result = run_cli("content", "check", LOG_LEVEL="chatty")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'CHATTY'"]


def test_bad_database_url_is_one_line_and_exit_2() -> None:
    result = run_cli("db", "migrate", DATABASE_URL="postgresql://rostrum:s3cret@db:x/rostrum")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: DATABASE_URL has a port that is not a number: "
        "postgresql://rostrum:***@db:x/rostrum"]


def test_unreachable_postgres_is_one_line_and_exit_1() -> None:
    result = run_cli("db", "migrate", DATABASE_URL="postgresql://rostrum:s3cret@127.0.0.1:1/r")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "error: cannot connect to postgresql://rostrum:***@127.0.0.1:1/r: "), lines


def test_db_migrate_creates_the_file_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "rostrum.sqlite3"
    first = run_cli("db", "migrate", DATABASE_PATH=str(path))
    assert first.returncode == 0, first.stderr
    assert "0001_initial.sql" in first.stdout
    assert path.exists()
    again = run_cli("db", "migrate", DATABASE_PATH=str(path))
    assert again.returncode == 0
    assert "nothing new" in again.stdout


def test_run_without_token_starts_the_playground(tmp_path: Path) -> None:
    env = {**os.environ, "DISCORD_TOKEN": "", "DEV_GUILD_ID": "", "LOG_LEVEL": "",
           "CONTENT_DIR": str(REPO / "content"),
           "DATABASE_PATH": str(tmp_path / "rostrum.sqlite3"), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=REPO, env=env,
                            input="quit\n", capture_output=True, text=True, encoding="utf-8",
                            timeout=30)
    assert result.returncode == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    assert first == ("No DISCORD_TOKEN set: starting the local playground (a Discord stand-in "
                     "on 127.0.0.1). See README to connect a real bot.")
    assert any(line.startswith("Rostrum playground: the real bot") for line in rest)
    assert "Stopping the bot and the playground" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_run_with_an_unusable_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    # Well-formed but fake: offline, Discord cannot be reached; online, it rejects the token.
    # Assembled here so no token-shaped string sits in the repository.
    token = ".".join(("MTIzNDU2Nzg5MDEyMzQ1Njc4OQ", "GaBcDe",
                      "abcdefghijklmnopqrstuvwxyz0123456789AB"))
    result = run_cli("run", DISCORD_TOKEN=token, DATABASE_PATH=str(tmp_path / "db.sqlite3"))
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(("error: cannot reach Discord: ",
                                 "error: Discord rejected DISCORD_TOKEN"))
    assert "Traceback" not in result.stderr
    assert "playground" not in result.stdout


def test_rebuild_counters_runs_on_a_fresh_database(tmp_path: Path) -> None:
    result = run_cli("db", "rebuild-counters", DATABASE_PATH=str(tmp_path / "r.sqlite3"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "counters rebuilt from 0 participation events"


def test_bad_shard_ids_are_one_line_and_exit_2() -> None:
    result = run_cli("content", "check", SHARD_COUNT="2", SHARD_IDS="1-2")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: SHARD_IDS has shard 2, but shards are numbered 0 to 1 (SHARD_COUNT is 2)"]
