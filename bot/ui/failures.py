"""What a member reads when a command cannot be done for a reason outside the debate rules:
a bug, Discord's own checks, or missing permissions (`bot/errors.py` picks which)."""

from __future__ import annotations

GENERIC_FAILURE = ("Something went wrong on my side and nothing was changed. "
                   "Please try again; if it keeps happening, tell a moderator.")
MODERATORS_ONLY = "Only moderators can do that."
SERVER_ONLY = "This command works in a server, not in direct messages."
NOT_ALLOWED_HERE = "You can't use this command here."
NOT_MODERATOR = ("Only debate moderators can do that (Manage Threads permission, or the "
                 "moderator role set with `/settings moderator-role`).")


def cooling_down(seconds: float) -> str:
    return f"Slow down: try again in {seconds:.0f} s."
