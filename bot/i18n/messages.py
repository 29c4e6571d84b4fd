"""Rostrum's own sentences in the reader's language, from the `messages` catalogs.

English is written in the code and is the message id; `say("Full summary")` returns the
Japanese or Korean text when the catalog has it (never a fuzzy one), else the English.
Placeholders are named (`say("Up: {title}", title=...)`) so a translation may move them;
`say.plural(one, many, n)` picks the form for the number (Japanese and Korean have one).
The extraction test (tests/ui/test_message_catalogs.py) reads every `say(...)` and
`say.plural(...)` in bot/ui and fails when a catalog misses, fuzzes or keeps a message.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bot.core import languages
from bot.i18n import catalogs

DOMAIN = "messages"
#: Extraction keywords for Babel: the English message (and plural) positions.
KEYWORDS = {"say": None, "plural": (1, 2)}


class Say:
    def __init__(self, language: str) -> None:
        self.language = language if language in languages.SUPPORTED else languages.ENGLISH
        self._catalog = (catalogs.load(self.language, DOMAIN)
                         if self.language in catalogs.TRANSLATED else None)
        #: Between two sentences: Japanese sets none.
        self.space = "" if self.language == "ja" else " "

    def __call__(self, message: str, /, **params: Any) -> str:
        text = message
        if self._catalog is not None:
            text = catalogs.translation(self._catalog, catalogs.Message("", message)) or message
        return text.format(**params) if params else text

    def plural(self, one: str, many: str, n: int, /, **params: Any) -> str:
        text = one if n == 1 else many
        if self._catalog is not None:
            entry = self._catalog.get(one)
            forms = entry.string if entry is not None and not entry.fuzzy else None
            if isinstance(forms, tuple) and forms and forms[0]:
                text = forms[0]  # ja and ko: one form for every number
        return text.format(**{"n": n, **params})  # params may show n formatted ("1,234")


@cache
def say_in(language: str) -> Say:
    return Say(language)


ENGLISH = say_in(languages.ENGLISH)
