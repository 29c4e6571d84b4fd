"""Which language a reply is in: Rostrum speaks English, Japanese and Korean.

A reply only one person sees (an ephemeral answer, an error, autocomplete, a summary they
asked for) follows that person: the language they chose with Rostrum, else their Discord
client's language when Rostrum speaks it, else their server's. A post everyone in a channel
sees follows the server: the language its admins chose, else the server's preferred locale
when Rostrum speaks it, else English. Any other language gets English.
"""

from __future__ import annotations

ENGLISH = "en"
SUPPORTED = (ENGLISH, "ja", "ko")


def from_locale(locale: str | None) -> str | None:
    """Rostrum's language for a Discord locale ("ja", "ko", "en-US", "en-GB"), or None when
    Rostrum does not speak it (e.g. "fr", "zh-TW")."""
    if not locale:
        return None
    base = str(locale).split("-")[0].lower()
    return base if base in SUPPORTED else None


def _chosen(choice: str | None) -> str | None:
    return choice if choice in SUPPORTED else None


def for_server(*, server_choice: str | None = None, server_locale: str | None = None) -> str:
    """The language of posts everyone in a server sees (lobby, phase cards, results)."""
    return _chosen(server_choice) or from_locale(server_locale) or ENGLISH


def for_reader(*, reader_choice: str | None = None, client_locale: str | None = None,
               server_choice: str | None = None, server_locale: str | None = None) -> str:
    """The language of a reply only one member sees."""
    return (_chosen(reader_choice) or from_locale(client_locale)
            or for_server(server_choice=server_choice, server_locale=server_locale))
