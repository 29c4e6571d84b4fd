"""What a member reads when a command cannot be done for a reason outside the debate rules:
a bug, Discord's own checks, or missing permissions (`bot/errors.py` picks which), in the
member's language."""

from __future__ import annotations

from bot.i18n.messages import ENGLISH, Say


def generic_failure(say: Say = ENGLISH) -> str:
    return say("Something went wrong on my side and nothing was changed. Please try again; "
               "if it keeps happening, tell a moderator.")


def moderators_only(say: Say = ENGLISH) -> str:
    return say("Only moderators can do that.")


def server_only(say: Say = ENGLISH) -> str:
    return say("This command works in a server, not in direct messages.")


def not_allowed_here(say: Say = ENGLISH) -> str:
    return say("You can't use this command here.")


def not_moderator(say: Say = ENGLISH) -> str:
    return say("Only debate moderators can do that (Manage Threads permission, or the "
               "moderator role set with `/settings moderator-role`).")


def cooling_down(seconds: float, say: Say = ENGLISH) -> str:
    shown = round(seconds)
    return say("Slow down: try again in {seconds} s.", seconds=shown)


def restarting(say: Say = ENGLISH) -> str:
    return say("Rostrum is restarting; try again in a minute.")


GENERIC_FAILURE = generic_failure()  # the English text, which tests and logs compare with
