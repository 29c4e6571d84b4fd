"""What only the PostgreSQL backend does: placeholder translation, its pool's settings, and
a clear line when the server cannot be reached. (Everything else runs on both backends.)"""

from __future__ import annotations

import ast
import asyncio
import re
from pathlib import Path

import pytest

from bot.storage.db import DatabaseUnavailable
from bot.storage.opening import open_database
from bot.storage.postgres import PostgresDatabase, translate
from tests.backends import fresh_schema, server_url, with_schema

STORAGE = Path(__file__).resolve().parents[2] / "bot" / "storage"

# --- placeholders ----------------------------------------------------------------------------


@pytest.mark.parametrize(("sql", "text", "names"), [
    ("SELECT ? + ?", "SELECT $1 + $2", None),
    ("INSERT INTO t VALUES (?, 'lobby', '{}', ?)", "INSERT INTO t VALUES ($1, 'lobby', '{}', $2)",
     None),
    ("WHERE guild_id = :guild AND (SELECT :user) AND g = :guild",
     "WHERE guild_id = $1 AND (SELECT $2) AND g = $1", ("guild", "user")),
    ("SELECT CAST(? AS BIGINT), x::bigint[]", "SELECT CAST($1 AS BIGINT), x::bigint[]", None),
    ("SELECT '?', 'it''s :x ?', \"odd?name\", ? -- why?\n/* :no ? */ FROM t",
     "SELECT '?', 'it''s :x ?', \"odd?name\", $1 -- why?\n/* :no ? */ FROM t", None),
    ("SELECT 1", "SELECT 1", None),
])
def test_placeholders_become_numbered(sql: str, text: str, names: tuple[str, ...] | None) -> None:
    statement = translate(sql)
    assert statement.text == text
    assert statement.names == names
    assert translate(sql) is statement  # translated once, then cached


@pytest.mark.parametrize(("sql", "returns"), [
    ("SELECT 1", True),
    ("-- a comment first\n/* and another */ SELECT 1", True),
    ("  WITH x AS (SELECT 1) SELECT * FROM x", True),
    ("INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO NOTHING RETURNING a", True),
    ("UPDATE t SET a = 1", False),
    ("UPDATE t SET a = 'RETURNING'", False),
    ("DELETE FROM t -- RETURNING nothing", False),
])
def test_statements_that_return_rows_are_recognised(sql: str, returns: bool) -> None:
    assert translate(sql).returns_rows is returns


def test_malformed_sql_and_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="mixes"):
        translate("SELECT ? WHERE a = :a")
    with pytest.raises(ValueError, match="unterminated"):
        translate("SELECT 'oops ?")
    with pytest.raises(TypeError, match="2 placeholder"):
        translate("SELECT ?, ?").args((1,))
    with pytest.raises(TypeError, match="named"):
        translate("SELECT :a").args((1,))
    assert translate("SELECT :a, :b, :a").args({"b": 2, "a": 1, "unused": 3}) == [1, 2]


def _string_constants(tree: ast.AST) -> list[str]:
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_our_sql_has_no_placeholder_inside_a_string_literal() -> None:
    # The translation would leave such a `?` alone on PostgreSQL while SQLite binds it (or the
    # other way round): keep it out of literals altogether.
    found = []
    for module in sorted(STORAGE.glob("*.py")):
        for text in _string_constants(ast.parse(module.read_text("utf-8"))):
            if not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE)\b", text):
                continue
            for literal in re.findall(r"'(?:[^']|'')*'", text):
                if "?" in literal or re.search(r"(?<!:):[A-Za-z_]", literal):
                    found.append(f"{module.name}: {literal}")
    assert found == []


# --- the pool --------------------------------------------------------------------------------

async def test_every_pool_connection_uses_the_schema_and_reads_only() -> None:
    url = await server_url()
    async with fresh_schema(url) as schema:
        db = await PostgresDatabase.connect(url, schema=schema, min_size=3, max_size=3)
        try:
            async def settings() -> tuple[str, str]:
                async with db.read() as tx:
                    await asyncio.sleep(0.01)  # hold the connection: the others use theirs
                    row = await tx.fetchone("SELECT current_schema(), "
                                            "current_setting('default_transaction_read_only')")
                    return tuple(row)

            assert set(await asyncio.gather(*(settings() for _ in range(6)))) == {
                (schema, "on")}
            async with db.write() as tx:
                assert (await tx.fetchone("SELECT current_setting('transaction_read_only')"))[
                    0] == "off"
        finally:
            await db.close()
    # The same through a URL (what the tests' `db` fixture and `db copy` use).
    async with fresh_schema(url) as schema, await open_database(with_schema(url, schema)) as db:
        assert (await db.fetchone("SELECT current_schema()"))[0] == schema


async def test_an_unreachable_server_is_one_clear_line_without_the_password() -> None:
    with pytest.raises(DatabaseUnavailable) as raised:
        await open_database("postgresql://rostrum:s3cret@127.0.0.1:1/rostrum")
    message = str(raised.value)
    assert message.startswith("cannot connect to postgresql://rostrum:***@127.0.0.1:1/rostrum: ")
    assert "s3cret" not in message and "\n" not in message
