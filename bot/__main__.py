"""Command line: `python -m bot [run | playground | content check | db migrate | db backup |
db rebuild-counters | db copy]`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from dotenv import load_dotenv

from bot.config import ConfigError, Settings
from bot.core.content import ContentError, ContentPack, load_library, load_pack
from bot.storage.db import DatabaseUnavailable
from bot.storage.opening import open_database

EXIT_OK, EXIT_PROBLEMS, EXIT_CONFIG = 0, 1, 2

PLAYGROUND_MISSING = ("The local playground is not installed ({missing} is missing): install it "
                      "with `pip install -e '.[playground]'`, or run `make run`.")
PLAYGROUND_NOTE = ("No DISCORD_TOKEN set: starting the local playground (a Discord stand-in "
                   "on 127.0.0.1). See README to connect a real bot.")


def _fail(message: str, code: int = EXIT_CONFIG) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _print_problems(error: ContentError) -> None:
    count = len(error.problems)
    print(f"The content pack has {count} {'problem' if count == 1 else 'problems'}:",
          file=sys.stderr)
    for problem in error.problems:
        print(f"  - {problem}", file=sys.stderr)


def _load_content(settings: Settings) -> ContentPack | None:
    try:
        return load_library(settings.content_dir)
    except ContentError as error:
        _print_problems(error)
        return None


def _setup_logging(settings: Settings) -> None:
    import discord.utils

    discord.utils.setup_logging(level=settings.log_level_number, root=True)


def cmd_playground(settings: Settings) -> int:
    pack = _load_content(settings)
    if pack is None:
        return EXIT_PROBLEMS
    settings.ensure_database_folder()

    try:
        from playground.console import run_console
    except ImportError as error:
        return _fail(PLAYGROUND_MISSING.format(missing=error.name or error), EXIT_PROBLEMS)
    try:
        return run_console(settings, pack)
    except DatabaseUnavailable as error:
        return _fail(str(error), EXIT_PROBLEMS)


def cmd_run(settings: Settings) -> int:
    if settings.discord_token is None:
        print(PLAYGROUND_NOTE, flush=True)
        return cmd_playground(settings)
    pack = _load_content(settings)
    if pack is None:
        return EXIT_PROBLEMS
    settings.ensure_database_folder()
    _setup_logging(settings)

    import aiohttp
    import discord

    from bot.app import create_bot, run_until_stopped

    async def main() -> None:
        # SIGTERM / SIGINT close the bot cleanly: queued events committed, database closed.
        await run_until_stopped(create_bot(settings, content=pack),
                                settings.discord_token or "")

    try:
        asyncio.run(main())
    except discord.LoginFailure:
        return _fail("Discord rejected DISCORD_TOKEN (check it in the Developer Portal, "
                     "Bot tab, and reset it if needed)")
    except discord.PrivilegedIntentsRequired:
        return _fail("Discord refused a privileged intent; Rostrum needs none, "
                     "so this is a bug: please report it")
    except DatabaseUnavailable as error:
        return _fail(str(error), EXIT_PROBLEMS)
    except (aiohttp.ClientError, OSError, discord.GatewayNotFound,
            discord.HTTPException) as error:
        return _fail(f"cannot reach Discord: {error}")
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def cmd_content_check(settings: Settings, folder: Path | None) -> int:
    from bot.core.content_policy import check_folder

    try:
        pack, locales = check_folder(folder or settings.content_dir)
    except ContentError as error:
        _print_problems(error)
        return EXIT_PROBLEMS
    languages = ", ".join(["en", *locales])
    print(f"content ok: {pack.summary_line()}; languages: {languages}")
    return EXIT_OK


def cmd_content_derive(settings: Settings, folder: Path | None, seed: Path) -> int:
    """Write what the policy checks need to know of the article (run when the seed changes)."""
    import yaml

    from bot.core.content_policy import (
        FACTS_FILE,
        FINGERPRINT_FILE,
        character_fingerprint,
        derive_facts,
    )

    content_dir = folder or settings.content_dir
    try:
        text = seed.read_text(encoding="utf-8")
        pack = load_pack(content_dir)
    except OSError as error:
        return _fail(f"cannot read the seed: {error}", EXIT_PROBLEMS)
    except ContentError as error:
        _print_problems(error)
        return EXIT_PROBLEMS
    headings = [e.title for e in pack.article.sections]
    facts = derive_facts(text, headings)
    (content_dir / FACTS_FILE).parent.mkdir(parents=True, exist_ok=True)
    (content_dir / FACTS_FILE).write_text(
        "# Derived from the reference article by `python -m bot content derive-facts`; "
        "do not edit.\n" + yaml.safe_dump(facts, allow_unicode=True, sort_keys=True),
        encoding="utf-8")
    (content_dir / FINGERPRINT_FILE).write_text(
        "\n".join(character_fingerprint(text)) + "\n", encoding="utf-8")
    print(f"wrote {FACTS_FILE} and {FINGERPRINT_FILE}")
    return EXIT_OK


def cmd_db_migrate(settings: Settings) -> int:
    from bot.storage.db import MigrationError

    async def main() -> int:
        async with await open_database(settings.database_target) as db:
            try:
                applied = await db.migrate()
            except MigrationError as error:
                return _fail(str(error), EXIT_PROBLEMS)
            total = len(await db.applied_migrations())
        names = ", ".join(m.path.name for m in applied) or "nothing new"
        print(f"migrations: applied {names}; {total} in total at {settings.database_display}")
        return EXIT_OK

    settings.ensure_database_folder()
    try:
        return asyncio.run(main())
    except DatabaseUnavailable as error:
        return _fail(str(error), EXIT_PROBLEMS)


def cmd_db_rebuild_counters(settings: Settings) -> int:
    from bot.storage.counters import rebuild_counters

    async def main() -> int:
        async with await open_database(settings.database_target) as db:
            await db.migrate()
            events = await rebuild_counters(db)
        print(f"counters rebuilt from {events} participation "
              f"{'event' if events == 1 else 'events'}")
        return EXIT_OK

    settings.ensure_database_folder()
    try:
        return asyncio.run(main())
    except DatabaseUnavailable as error:
        return _fail(str(error), EXIT_PROBLEMS)


def cmd_db_backup(settings: Settings, target: Path) -> int:
    from bot.storage.backup import BackupError, backup_database

    if settings.database_url is not None:
        return _fail("db backup copies a SQLite file, and DATABASE_URL names a PostgreSQL "
                     "database: back that up with pg_dump", EXIT_PROBLEMS)
    try:
        report = backup_database(settings.database_path, target)
    except BackupError as error:
        return _fail(str(error), EXIT_PROBLEMS)
    print(f"backup: {report.target} ({report.bytes:,} bytes, {report.migrations} "
          f"migrations, integrity ok); restore by copying it to DATABASE_PATH while the "
          "bot is stopped")
    return EXIT_OK


def cmd_db_copy(source: str, target: str, *, force: bool, batch: int) -> int:
    from bot.storage.copy import CopyError, TableCopy, copy_database
    from bot.storage.db import MigrationError, parse_location

    locations = []
    for option, value in (("--from", source), ("--to", target)):
        try:
            locations.append(parse_location(value))
        except ValueError as error:
            return _fail(f"{option} {error}")
    src, dst = locations
    if src.path is not None and not src.path.is_file():
        return _fail(f"--from: there is no SQLite database at {src.path}")
    if str(src) == str(dst):
        return _fail("--from and --to name the same database")

    def show(table: TableCopy) -> None:
        unit = "row" if table.rows == 1 else "rows"
        print(f"  {table.table:<24}{table.rows:>12,} {unit}", flush=True)

    async def main() -> int:
        async with await open_database(src.target) as a, await open_database(dst.target) as b:
            print(f"copying {src.backend} {src} -> {dst.backend} {dst}", flush=True)
            report = await copy_database(a, b, force=force, batch=batch, progress=show)
        print(f"copied {report.rows:,} rows in {len(report.tables)} tables "
              f"({report.seconds:.1f} s); row counts match")
        return EXIT_OK

    try:
        return asyncio.run(main())
    except (CopyError, MigrationError, DatabaseUnavailable) as error:
        return _fail(str(error), EXIT_PROBLEMS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to Discord (the default); without DISCORD_TOKEN, "
                              "start the playground")
    sub.add_parser("playground", help="the bot in a local Discord stand-in, with a console")
    content = sub.add_parser("content", help="content pack tools")
    content_sub = content.add_subparsers(dest="action", required=True)
    check = content_sub.add_parser("check", help="validate the content pack")
    check.add_argument("--dir", type=Path, default=None, help="pack folder (default CONTENT_DIR)")
    derive = content_sub.add_parser(
        "derive-facts", help="derive the article's facts the policy checks use, from the seed")
    derive.add_argument("seed", type=Path, help="the reference article (plain text)")
    derive.add_argument("--dir", type=Path, default=None, help="pack folder (default CONTENT_DIR)")
    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="action", required=True)
    db_sub.add_parser("migrate", help="apply pending migrations")
    db_sub.add_parser("rebuild-counters",
                      help="recompute leaderboard counters from the participation log")
    backup = db_sub.add_parser("backup", help="copy the database, safely even while the bot "
                                              "runs (SQLite's online backup)")
    backup.add_argument("path", type=Path, help="the file to write")
    copy = db_sub.add_parser(
        "copy", help="copy every table to another database, e.g. from SQLite to PostgreSQL "
                     "(stop the bot first)")
    copy.add_argument("--from", dest="source", required=True, metavar="URL",
                      help="sqlite:///data/rostrum.sqlite3, a file path, or postgresql://…")
    copy.add_argument("--to", dest="target", required=True, metavar="URL",
                      help="postgresql://user:password@host:port/database (or sqlite:///…)")
    copy.add_argument("--force", action="store_true",
                      help="replace what the target holds (default: refuse a non-empty target)")
    copy.add_argument("--batch", type=int, default=5000, metavar="ROWS",
                      help="rows per batch (default 5000)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    load_dotenv()
    try:
        settings = Settings.from_env()
        if args.command in (None, "run"):
            return cmd_run(settings)
        if args.command == "playground":
            return cmd_playground(settings)
        if args.command == "content" and args.action == "derive-facts":
            return cmd_content_derive(settings, args.dir, args.seed)
        if args.command == "content":
            return cmd_content_check(settings, args.dir)
        if args.command == "db" and args.action == "migrate":
            return cmd_db_migrate(settings)
        if args.command == "db" and args.action == "rebuild-counters":
            return cmd_db_rebuild_counters(settings)
        if args.command == "db" and args.action == "backup":
            return cmd_db_backup(settings, args.path)
        if args.command == "db" and args.action == "copy":
            return cmd_db_copy(args.source, args.target, force=args.force,
                               batch=max(1, args.batch))
    except ConfigError as error:
        return _fail(str(error))
    return _fail(f"unknown command {args.command!r}")


if __name__ == "__main__":
    sys.exit(main())
