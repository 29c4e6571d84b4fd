"""What the bot answers to /settings and /privacy, made from data."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n.messages import ENGLISH, Say
from bot.ui import text


def not_in_a_server(say: Say = ENGLISH) -> str:
    return say("This command works in a server, not in direct messages.")


def needs_manage_server(say: Say = ENGLISH) -> str:
    return say("Only members with the Manage Server permission can change settings.")


def not_your_confirmation(say: Say = ENGLISH) -> str:
    return say("This confirmation belongs to someone else.")


def nothing_deleted(say: Say = ENGLISH) -> str:
    return say("Nothing was deleted.")


def forget_button(say: Say = ENGLISH) -> str:
    return say("Delete my record")


def keep_button(say: Say = ENGLISH) -> str:
    return say("Keep it")


def opted_out(changed: bool, say: Say = ENGLISH) -> str:
    if not changed:
        return say("You had already opted out; nothing changed.")
    return say("You are opted out: nothing new is recorded about your participation in this "
               "server and you no longer appear on boards or stats. You can still debate and "
               "vote. `/privacy opt-in` undoes this; `/privacy forget-me` also deletes your "
               "past record.")


def opted_in(changed: bool, say: Say = ENGLISH) -> str:
    if not changed:
        return say("You were not opted out; nothing changed.")
    return say("Welcome back: your participation counts again and you appear on the boards.")


def forget_me_warning(say: Say = ENGLISH) -> str:
    return say("This deletes every participation event and leaderboard counter about you in "
               "this server. It cannot be undone. To stop new records too, also use "
               "`/privacy opt-out`.")


def moderator_role_set(role_mention: str | None, say: Say = ENGLISH) -> str:
    if role_mention is None:
        return say("Moderator role cleared. Members with Manage Threads still moderate "
                   "debates.")
    return say("Members with {role} now moderate debates (as do members with Manage "
               "Threads). Discord shows `/moderate` only to members with Manage Threads: to "
               "let this role see it, allow it under Server Settings → Integrations → "
               "Rostrum → /moderate.", role=role_mention)


def web_pages_set(enabled: bool, address: str | None, say: Say = ENGLISH) -> str:
    if not enabled:
        return say("This server's public pages are off: its archive and leaderboards are not "
                   "published.")
    if address is None:
        return say("Public pages are on for this server, but this Rostrum does not serve "
                   "pages (its host sets WEB_PORT to serve them).")
    return say("Public pages are on: {address} (the debate archive and leaderboards; members "
               "who opted out are never shown).", address=address)


def report_channel_set(channel_mention: str | None, say: Say = ENGLISH) -> str:
    if channel_mention is None:
        return say("Reports are no longer posted in a channel; moderators see them with "
                   "`/moderate reports`.")
    return say("The first report of each argument is now posted in {channel}, with a button "
               "to remove the argument. Keep that channel for moderators.",
               channel=channel_mention)


def content_problems(problems: Sequence[object], shown: int = 15, say: Say = ENGLISH) -> str:
    lines = [f"• {problem}" for problem in problems[:shown]]
    if len(problems) > shown:
        lines.append(say.plural("… and {n} more", "… and {n} more", len(problems) - shown))
    return text.clip(say("The content pack has problems, so the current one stays in use:")
                     + "\n" + "\n".join(lines), text.MESSAGE_CONTENT)


def content_reloaded(summary_line: str, say: Say = ENGLISH) -> str:
    return say("Content reloaded: {summary}.", summary=summary_line)


def forgotten(rows: int, say: Say = ENGLISH) -> str:
    shown = format(rows, ",")
    return say.plural("Done: {n} row about you in this server was deleted (participation "
                      "events and leaderboard counters). Debate transcripts keep what you "
                      "said in debates.",
                      "Done: {n} rows about you in this server were deleted (participation "
                      "events and leaderboard counters). Debate transcripts keep what you "
                      "said in debates.", rows, n=shown)


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
