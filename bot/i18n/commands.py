"""Japanese and Korean names and descriptions for every slash command, option and choice.

discord.py asks the tree's translator for each string in each of Discord's locales when it
builds the payload to sync; this one answers from the `commands` catalog for ja and ko and
leaves every other locale to English. Localized names must also satisfy Discord's name rule,
which discord.py does not check (one bad name makes Discord refuse the whole sync): see
`name_problem`, which the tests apply to the built payload.
"""

from __future__ import annotations

import unicodedata

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.core import languages
from bot.i18n import catalogs

DOMAIN = "commands"
NAME_MAX, DESCRIPTION_MAX = 32, 100
_NAMES = {Where.command_name, Where.group_name, Where.parameter_name}
_CHOICES = {Where.choice_name}


def context_of(location: Where) -> str:
    if location in _NAMES:
        return "name"
    return "choice" if location in _CHOICES else "description"


class CatalogTranslator(app_commands.Translator):
    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContextTypes) -> str | None:
        language = languages.from_locale(locale.value)
        if language is None or language == languages.ENGLISH:
            return None
        message = catalogs.Message(context_of(context.location), string.message)
        return catalogs.translation(catalogs.load(language, DOMAIN), message)


def _allowed(char: str) -> bool:
    if char in "-_'":
        return True
    category = unicodedata.category(char)
    if category[0] in "LN":
        return True
    name = unicodedata.name(char, "")
    return name.startswith(("DEVANAGARI", "THAI"))


def name_problem(name: str) -> str | None:
    """Why Discord would refuse `name` as a command or option name (`^[-_'\\p{L}\\p{N}
    \\p{sc=Deva}\\p{sc=Thai}]{1,32}$`, lowercase where the script has case), or None."""
    if not 1 <= len(name) <= NAME_MAX:
        return f"{name!r} is {len(name)} characters (1–{NAME_MAX})"
    bad = [c for c in name if not _allowed(c)]
    if bad:
        return f"{name!r} has characters Discord does not allow: {''.join(bad)!r}"
    if name != name.lower():
        return f"{name!r} is not lowercase"
    return None


def localized(language: str, context: str, english: str) -> str:
    """A command's name ("name") or description ("description") as `language`'s client
    shows it (the English when there is no translation)."""
    if language not in catalogs.TRANSLATED:
        return english
    message = catalogs.Message(context, english)
    return catalogs.translation(catalogs.load(language, DOMAIN), message) or english
