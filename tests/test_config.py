"""Settings from the environment, and the one-line errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings

REPO = Path(__file__).resolve().parents[1]


def settings(**env: str) -> Settings:
    base = {"CONTENT_DIR": str(REPO / "content")}
    return Settings.from_env({**base, **env})


def test_defaults() -> None:
    s = Settings.from_env({"CONTENT_DIR": str(REPO / "content")})
    assert s.discord_token is None
    assert s.database_path == Path("data/rostrum.sqlite3")
    assert s.dev_guild_id is None
    assert s.log_level == "INFO"


def test_values_are_parsed() -> None:
    s = settings(DISCORD_TOKEN="abc.def.ghi-jklmnopqrstuvwxyz", DEV_GUILD_ID="123456789012345678",
                 LOG_LEVEL="debug", DATABASE_PATH="x/y.sqlite3")
    assert s.dev_guild_id == 123456789012345678
    assert s.log_level == "DEBUG"
    assert s.database_path == Path("x/y.sqlite3")


def test_public_pages_listen_on_loopback_unless_told_otherwise() -> None:
    assert settings().web_port is None
    s = settings(WEB_PORT="8088")
    assert (s.web_host, s.web_port) == ("127.0.0.1", 8088)
    assert settings(WEB_PORT="8088", WEB_HOST="0.0.0.0").web_host == "0.0.0.0"


def test_the_browser_playground_port_has_a_default_and_can_be_turned_off() -> None:
    assert settings().playground_port == 8780
    assert settings(PLAYGROUND_PORT="0").playground_port == 0
    assert settings(PLAYGROUND_PORT="Off").playground_port is None


def test_blank_values_mean_unset() -> None:
    s = settings(DISCORD_TOKEN="  ", DEV_GUILD_ID="")
    assert s.discord_token is None and s.dev_guild_id is None


@pytest.mark.parametrize(("env", "message"), [
    ({"DEV_GUILD_ID": "general"}, "DEV_GUILD_ID must be a server id"),
    ({"DEV_GUILD_ID": "12"}, "DEV_GUILD_ID must be a server id"),
    ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be one of"),
    ({"DISCORD_TOKEN": "short"}, "DISCORD_TOKEN does not look like a bot token"),
    ({"DISCORD_TOKEN": "has spaces in it but is long enough"}, "DISCORD_TOKEN"),
    ({"CONTENT_DIR": "no/such/folder"}, "CONTENT_DIR 'no/such/folder' is not a folder"),
    ({"API_BUDGET": "60"}, "API_BUDGET must be 1 to 50"),
    ({"DISCORD_API_BASE": "proxy:8080"}, "DISCORD_API_BASE must be an http:// or https:// URL"),
    ({"API_BUDGET": "lots"}, "API_BUDGET must be 1 to 50 requests a second for the token, or off"),
    ({"WEB_PORT": "http"}, "WEB_PORT must be a port number"),
    ({"WEB_PORT": "70000"}, "WEB_PORT must be a port number"),
    ({"PLAYGROUND_PORT": "-1"}, "PLAYGROUND_PORT must be a port number"),
])
def test_bad_values_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings(**env)


def test_database_path_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder"):
        settings(DATABASE_PATH=str(tmp_path))


def test_database_folder_is_created(tmp_path: Path) -> None:
    s = settings(DATABASE_PATH=str(tmp_path / "deep" / "er" / "db.sqlite3"))
    s.ensure_database_folder()
    assert (tmp_path / "deep" / "er").is_dir()


def test_sharding_is_off_by_default() -> None:
    s = settings()
    assert s.shard_count is None and s.shard_ids is None
    assert s.ownership.describe() == "all guilds (unsharded)"


@pytest.mark.parametrize(("env", "count", "ids"), [
    ({"SHARD_COUNT": "4"}, 4, None),
    ({"SHARD_COUNT": "4", "SHARD_IDS": "0-1,3"}, 4, (0, 1, 3)),
    ({"SHARD_COUNT": "6", "SHARD_IDS": "4,5"}, 6, (4, 5)),
    ({"SHARD_COUNT": "1", "SHARD_IDS": "0"}, 1, (0,)),
    ({"SHARD_COUNT": " ", "SHARD_IDS": ""}, None, None),
])
def test_shard_settings_are_parsed(env: dict[str, str], count: int | None,
                                   ids: tuple[int, ...] | None) -> None:
    s = settings(**env)
    assert (s.shard_count, s.shard_ids) == (count, ids)


@pytest.mark.parametrize(("env", "message"), [
    ({"SHARD_COUNT": "0"}, "SHARD_COUNT must be a whole number of at least 1, got '0'"),
    ({"SHARD_COUNT": "two"}, "SHARD_COUNT must be a whole number"),
    ({"SHARD_COUNT": "-2"}, "SHARD_COUNT must be a whole number"),
    ({"SHARD_COUNT": "\u00b2"}, "SHARD_COUNT must be a whole number"),
    ({"SHARD_IDS": "0-1"}, "SHARD_IDS needs SHARD_COUNT"),
    ({"SHARD_COUNT": "4", "SHARD_IDS": "2-4"}, "SHARD_IDS has shard 4, but shards are "
                                               "numbered 0 to 3"),
    ({"SHARD_COUNT": "4", "SHARD_IDS": "0;1"}, "SHARD_IDS must be shard ids like"),
])
def test_bad_shard_settings_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings(**env)


# --- which database --------------------------------------------------------------------------

def test_database_url_selects_postgres_and_wins_over_database_path() -> None:
    url = "postgresql://rostrum:s3cret@db.example:5433/rostrum"
    s = settings(DATABASE_URL=url, DATABASE_PATH="x/y.sqlite3")
    assert s.database_url == url and s.database_target == url
    assert s.database_display == "postgresql://rostrum:***@db.example:5433/rostrum"
    assert "s3cret" not in repr(s)
    assert settings(DATABASE_URL="postgres://h/db").database_url == "postgres://h/db"
    assert settings(DATABASE_URL="postgresql:///db?host=/run/postgresql").database_url


@pytest.mark.parametrize(("url", "path"), [
    ("sqlite:///data/other.sqlite3", Path("data/other.sqlite3")),
    ("sqlite:////srv/rostrum/db.sqlite3", Path("/srv/rostrum/db.sqlite3")),
])
def test_a_sqlite_url_keeps_sqlite(url: str, path: Path) -> None:
    s = settings(DATABASE_URL=url, DATABASE_PATH="ignored.sqlite3")
    assert (s.database_url, s.database_path, s.database_target) == (None, path, path)


def test_without_database_url_the_path_is_used() -> None:
    s = settings(DATABASE_PATH="x/y.sqlite3", DATABASE_URL=" ")
    assert (s.database_url, s.database_target, s.database_display) == (
        None, Path("x/y.sqlite3"), "x/y.sqlite3")


@pytest.mark.parametrize(("url", "message"), [
    ("mysql://root@db/rostrum", "DATABASE_URL has an unsupported scheme 'mysql://'"),
    ("data/rostrum.sqlite3", "DATABASE_URL must be a URL: postgresql://"),
    ("sqlite://data/rostrum.sqlite3", "DATABASE_URL must look like sqlite:///relative"),
    ("sqlite:///", "DATABASE_URL names no SQLite file"),
    ("postgresql://", "DATABASE_URL names no server"),
    ("postgresql://u:s3cret@db:port/x", r"DATABASE_URL has a port that is not a number: "
                                        r"postgresql://u:\*\*\*@db:port/x"),
])
def test_bad_database_urls_are_one_clear_line(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as raised:
        settings(DATABASE_URL=url)
    assert "\n" not in str(raised.value) and "s3cret" not in str(raised.value)


def test_a_sqlite_url_naming_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"DATABASE_URL .* is a folder"):
        settings(DATABASE_URL=f"sqlite:///{tmp_path}")


def test_each_shard_process_paces_to_its_share_of_the_api_budget() -> None:
    assert settings().process_budget == 45  # one process: the default budget
    split = settings(API_BUDGET="40", SHARD_COUNT="4", SHARD_IDS="0,1")
    assert split.api_budget == 40 and split.process_budget == 20
    assert settings(API_BUDGET="off").process_budget is None  # behind a pacing proxy
