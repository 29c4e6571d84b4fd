"""Settings read from the environment (and from `.env` through python-dotenv)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.pacing import DEFAULT_BUDGET, TOKEN_GLOBAL_LIMIT, share_of
from bot.core.sharding import Ownership, parse_shard_ids
from bot.storage.db import parse_location, redact_url

#: Where `make run` without a token serves the browser playground (http://127.0.0.1:8780/).
DEFAULT_PLAYGROUND_PORT = 8780
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(ValueError):
    """A setting has a value we cannot use; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    discord_token: str | None = field(repr=False)  # a secret: never in a repr or a log
    database_path: Path
    content_dir: Path
    dev_guild_id: int | None
    log_level: str
    # SHARD_COUNT / SHARD_IDS: None runs unsharded (one process, every guild).
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    # PostgreSQL, from DATABASE_URL; None: SQLite at database_path. May hold a password.
    database_url: str | None = field(default=None, repr=False)
    # API_BUDGET: rate-limited requests a second for the whole bot token, shared by its
    # processes (each takes its share from the shard settings); None ("off"): no pacing
    # (behind a rate-limit proxy that paces the token itself).
    api_budget: float | None = DEFAULT_BUDGET
    # DISCORD_API_BASE: where REST requests go instead of Discord (a rate-limit proxy such
    # as nirn-proxy shared by many processes): http(s)://host:port/api/v10.
    api_base: str | None = None
    # WEB_PORT: serve the public pages (debate archive, leaderboards) of the servers that turn
    # them on, on WEB_HOST (default 127.0.0.1; put a reverse proxy in front). None: no pages.
    web_port: int | None = None
    web_host: str = "127.0.0.1"
    # PLAYGROUND_PORT: where the browser playground listens on 127.0.0.1 (another free port if
    # taken; 0: any free port); None ("off"): the terminal console only.
    playground_port: int | None = DEFAULT_PLAYGROUND_PORT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `env` (default: `os.environ`), raising ConfigError on bad values."""
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        token = get("DISCORD_TOKEN")
        if token is not None and (any(ch.isspace() for ch in token) or len(token) < 20):
            raise ConfigError("DISCORD_TOKEN does not look like a bot token (copy it again from "
                              "the Developer Portal, Bot tab)")

        guild_raw = get("DEV_GUILD_ID")
        dev_guild_id: int | None = None
        if guild_raw is not None:
            if not guild_raw.isdigit() or not 15 <= len(guild_raw) <= 21:
                raise ConfigError(
                    f"DEV_GUILD_ID must be a server id (15–21 digits), got {guild_raw!r}")
            dev_guild_id = int(guild_raw)

        level = (get("LOG_LEVEL") or "INFO").upper()
        if level not in LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}")

        content_dir = Path(get("CONTENT_DIR") or "content")
        if not content_dir.is_dir():
            raise ConfigError(f"CONTENT_DIR {str(content_dir)!r} is not a folder")

        database_path = Path(get("DATABASE_PATH") or "data/rostrum.sqlite3")
        path_variable = "DATABASE_PATH"
        database_url = None
        url = get("DATABASE_URL")
        if url is not None:  # takes precedence over DATABASE_PATH
            try:
                location = parse_location(url, url_only=True)
            except ValueError as error:
                raise ConfigError(f"DATABASE_URL {error}") from None
            if location.backend == "sqlite":
                assert location.path is not None
                database_path, path_variable = location.path, "DATABASE_URL"
            else:
                database_url = location.url
        if database_path.exists() and database_path.is_dir():
            raise ConfigError(f"{path_variable} {str(database_path)!r} is a folder, not a file")

        shard_count, shard_ids = _shards(get("SHARD_COUNT"), get("SHARD_IDS"))

        budget_raw = get("API_BUDGET") or str(DEFAULT_BUDGET)
        api_budget: float | None = None
        if budget_raw.lower() != "off":
            try:
                api_budget = float(budget_raw)
            except ValueError:
                api_budget = 0.0
            if not 1 <= api_budget <= TOKEN_GLOBAL_LIMIT:
                raise ConfigError(f"API_BUDGET must be 1 to {TOKEN_GLOBAL_LIMIT} requests a "
                                  f"second for the token, or off; got {budget_raw!r}")

        api_base = get("DISCORD_API_BASE")
        if api_base is not None:
            api_base = api_base.rstrip("/")
            if not api_base.startswith(("http://", "https://")) or not api_base.endswith(
                    "/api/v10"):
                raise ConfigError("DISCORD_API_BASE must be an http:// or https:// URL ending in "
                                  "/api/v10, "
                                  f"got {api_base!r}")

        web_raw = get("WEB_PORT")
        web_port: int | None = None
        if web_raw is not None:
            if not web_raw.isdigit() or not 1 <= int(web_raw) <= 65535:
                raise ConfigError(f"WEB_PORT must be a port number (1–65535), got {web_raw!r}")
            web_port = int(web_raw)
        web_host = get("WEB_HOST") or "127.0.0.1"
        playground_raw = (get("PLAYGROUND_PORT") or str(DEFAULT_PLAYGROUND_PORT)).lower()
        playground_port: int | None = None
        if playground_raw != "off":
            if not playground_raw.isdigit() or int(playground_raw) > 65535:
                raise ConfigError("PLAYGROUND_PORT must be a port number (0–65535) or off, "
                                  f"got {playground_raw!r}")
            playground_port = int(playground_raw)

        return cls(
            discord_token=token,
            database_path=database_path,
            content_dir=content_dir,
            dev_guild_id=dev_guild_id,
            log_level=level,
            shard_count=shard_count,
            shard_ids=shard_ids,
            database_url=database_url,
            api_budget=api_budget,
            api_base=api_base,
            web_port=web_port,
            web_host=web_host,
            playground_port=playground_port,
        )

    @property
    def process_budget(self) -> float | None:
        """This process's share of the token's API budget (None: not paced)."""
        if self.api_budget is None:
            return None
        return share_of(self.api_budget, self.shard_count, self.shard_ids)

    @property
    def ownership(self) -> Ownership:
        """The guilds this process runs: those on its shards (every guild when unsharded)."""
        return Ownership.of(self.shard_count, self.shard_ids)

    @property
    def database_target(self) -> Path | str:
        """What `Database.open` takes: the PostgreSQL URL, else the SQLite file."""
        return self.database_url or self.database_path

    @property
    def database_display(self) -> str:
        """The database for messages: the SQLite path, or the URL without its password."""
        return redact_url(self.database_url) if self.database_url else str(self.database_path)

    def ensure_database_folder(self) -> None:
        """Create the folder that will hold the SQLite file."""
        try:
            self.database_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"DATABASE_PATH folder {str(self.database_path.parent)!r} cannot be created: "
                f"{exc.strerror}"
            ) from exc

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]


def _shards(count_raw: str | None,
            ids_raw: str | None) -> tuple[int | None, tuple[int, ...] | None]:
    """SHARD_COUNT (a whole number, at least 1) and SHARD_IDS (which need SHARD_COUNT)."""
    if count_raw is None:
        if ids_raw is not None:
            raise ConfigError("SHARD_IDS needs SHARD_COUNT (the total number of shards over "
                              "all processes)")
        return None, None
    if not count_raw.isdecimal() or int(count_raw) < 1:
        raise ConfigError(f"SHARD_COUNT must be a whole number of at least 1, got {count_raw!r}")
    count = int(count_raw)
    if ids_raw is None:
        return count, None
    try:
        return count, parse_shard_ids(ids_raw, count)
    except ValueError as error:
        raise ConfigError(f"SHARD_IDS {error}") from None
