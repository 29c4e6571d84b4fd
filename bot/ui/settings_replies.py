"""What the bot answers to /settings and /privacy, made from data."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n.messages import ENGLISH, Say
from bot.ui import text
from bot.ui.debate_text import plural

NOT_IN_A_SERVER = "This command works in a server, not in direct messages."
NEEDS_MANAGE_SERVER = "Only members with the Manage Server permission can change settings."
NOT_YOUR_CONFIRMATION = "This confirmation belongs to someone else."
NOTHING_DELETED = "Nothing was deleted."
FORGET_BUTTON = "Delete my record"
KEEP_BUTTON = "Keep it"
OPTED_OUT = ("You are opted out: nothing new is recorded about your participation in "
             "this server and you no longer appear on boards or stats. You can still "
             "debate and vote. `/privacy opt-in` undoes this; `/privacy forget-me` "
             "also deletes your past record.")
ALREADY_OPTED_OUT = "You had already opted out; nothing changed."
OPTED_IN = "Welcome back: your participation counts again and you appear on the boards."
NOT_OPTED_OUT = "You were not opted out; nothing changed."
FORGET_ME_WARNING = ("This deletes every participation event and leaderboard counter about you "
                     "in this server. It cannot be undone. To stop new records too, also use "
                     "`/privacy opt-out`.")


def moderator_role_set(role_mention: str | None) -> str:
    if role_mention is None:
        return "Moderator role cleared. Members with Manage Threads still moderate debates."
    return (f"Members with {role_mention} now moderate debates (as do members "
            "with Manage Threads). Discord shows `/moderate` only to members with "
            "Manage Threads: to let this role see it, allow it under Server "
            "Settings → Integrations → Rostrum → /moderate.")


def content_problems(problems: Sequence[object], shown: int = 15) -> str:
    lines = [f"• {problem}" for problem in problems[:shown]]
    if len(problems) > shown:
        lines.append(f"… and {len(problems) - shown} more")
    return text.clip("The content pack has problems, so the current one stays in use:\n"
                     + "\n".join(lines), text.MESSAGE_CONTENT)


def content_reloaded(summary_line: str) -> str:
    return f"Content reloaded: {summary_line}."


def forgotten(rows: int) -> str:
    return (f"Done: {plural(rows, 'row', 'rows')} about you in this server "
            "were deleted (participation events and leaderboard counters). "
            "Debate transcripts keep what you said in debates.")


#: Each language by its own name: a member looking for theirs finds it whatever they read.
AUTONYMS = {"en": "English", "ja": "日本語", "ko": "한국어"}


def member_language_set(language: str | None, say: Say = ENGLISH) -> str:
    """Said in the language just chosen (or, for "automatic", the member's app language)."""
    if language is None:
        return say("I'll answer you in your Discord app's language (or your server's, if I "
                   "don't speak it).")
    return say("I'll answer you in {language}.", language=AUTONYMS[language])


def server_language_set(language: str | None, say: Say = ENGLISH) -> str:
    if language is None:
        return say("Posts in this server follow its Discord language again (English if I "
                   "don't speak it).")
    return say("Posts in this server (lobbies, phase cards, results) will be in {language}.",
               language=AUTONYMS[language])
