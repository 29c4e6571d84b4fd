"""Every sentence a member reads is made in bot/ui, so a translation is a catalog job.

Read from the source: a string literal outside bot/ui that looks like a sentence (a capital,
a space, a final stop) is a finding, unless it is a docstring, a log line, an internal
error's message, SQL, or a command's description (descriptions are translated by the
command tree's translator, not by bot/ui).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
LAYERS = ("core", "service", "storage", "cogs")
SENTENCE = re.compile(r"^[A-Z][^\n]*\s[^\n]*[.!?…]$")
SQL = re.compile(r"^(SELECT|INSERT|UPDATE|DELETE|WHERE|CREATE|DROP|ALTER|WITH)\b")
NOT_FOR_MEMBERS = {"debug", "info", "warning", "error", "exception", "critical", "describe"}
DESCRIPTIONS = {"description", "group_description", "help"}


def _docstrings(tree: ast.AST) -> set[int]:
    """Docstrings, and the bare string statements that document a name above them."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}


def _exempt(tree: ast.AST) -> set[int]:
    exempt = _docstrings(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in NOT_FOR_MEMBERS or name.endswith("Error") or name == "Problem":
            exempt.update(id(sub) for sub in ast.walk(node))
        for keyword in node.keywords:
            if keyword.arg in DESCRIPTIONS:
                exempt.update(id(sub) for sub in ast.walk(keyword.value))
    return exempt


def sentences_outside_ui() -> list[str]:
    found = []
    for layer in LAYERS:
        for path in sorted((BOT / layer).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            exempt = _exempt(tree)
            for node in ast.walk(tree):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                        and id(node) not in exempt):
                    value = node.value.strip()
                    if SENTENCE.match(value) and not SQL.match(value):
                        found.append(f"{path.relative_to(BOT)}:{node.lineno}: {value[:60]!r}")
    return found


def test_no_sentence_for_members_is_written_outside_bot_ui() -> None:
    assert sentences_outside_ui() == []


def test_the_scan_finds_a_sentence_when_there_is_one() -> None:
    """The detector itself: a reply written in a cog would be caught."""
    tree = ast.parse('await send("You joined the debate.")\nlog.info("Started it.")\n')
    exempt = _exempt(tree)
    literals = [n.value for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and id(n) not in exempt]
    assert literals == ["You joined the debate."]


def test_the_scoring_rules_members_read_state_the_engine_numbers() -> None:
    from bot.core import scoring
    from bot.ui.help import SCORING_RULES

    rules = "\n".join(SCORING_RULES)
    for needle in (f"debater: {scoring.POINTS[scoring.Kind.DEBATE_JOINED]} point",
                   f"words): {scoring.POINTS[scoring.Kind.ARGUMENT_POSTED]} points",
                   f"{scoring.MIN_ARGUMENT_CHARS} characters",
                   f"{scoring.MIN_ARGUMENT_WORDS} words",
                   "Vote in a debate: 1 point", "5 points for each debater", "debate: 2 points",
                   "no-contest", f"fewer than {scoring.MIN_DEBATERS} debaters", "UTC",
                   "opt-out", "forget-me"):
        assert needle in rules, needle
    assert all(line and not line.startswith("•") for line in SCORING_RULES)


# --------------------------------------------------------------------------- bot/ui itself

#: Words a member could read: two words in a row, or a capitalised word.
PHRASE = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}|(?<![A-Za-z])[A-Z][a-z]{2,}")
#: A language's own name stays in that language in every menu (an autonym).
AUTONYMS = {"English"}
SAID = {"say", "plural", "strftime"}


def _untranslated(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    exempt = _exempt(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in SAID:
                exempt.update(id(sub) for sub in ast.walk(node))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in exempt and node.value not in AUTONYMS
            and PHRASE.search(node.value)]


def untranslated_in_ui() -> list[str]:
    """String literals in bot/ui that read as words but do not go through the catalogs."""
    return [f"{path.name}:{line}: {value[:60]!r}"
            for path in sorted((BOT / "ui").glob("*.py"))
            for line, value in _untranslated(path.read_text(encoding="utf-8"))]


def test_every_phrase_in_bot_ui_goes_through_the_catalogs() -> None:
    """So no member reads English where their language has a translation (the catalog test
    then checks each of these messages is translated)."""
    assert untranslated_in_ui() == []


def test_the_ui_scan_finds_a_label_left_in_english() -> None:
    source = ('LABEL = "Join pro"\nsay("Vote recorded")\nkey = "join-pro"\n'
              'raise ValueError("bad thing here")\n')
    assert _untranslated(source) == [(1, "Join pro")]
