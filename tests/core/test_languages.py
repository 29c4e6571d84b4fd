"""Whose language a reply is in: the member's choice, their client, their server, English."""

from __future__ import annotations

import pytest

from bot.core.languages import for_reader, for_server, from_locale


@pytest.mark.parametrize(("locale", "language"), [
    ("ja", "ja"), ("ko", "ko"), ("en-US", "en"), ("en-GB", "en"),
    ("fr", None), ("zh-TW", None), ("", None), (None, None)])
def test_discord_locales_map_to_the_languages_rostrum_speaks(locale: str | None,
                                                             language: str | None) -> None:
    assert from_locale(locale) == language


def test_a_private_reply_follows_the_reader_first() -> None:
    assert for_reader(reader_choice="ko", client_locale="ja", server_locale="en-US") == "ko"
    assert for_reader(client_locale="ja", server_locale="ko") == "ja"
    assert for_reader(client_locale="fr", server_locale="ko") == "ko"  # the server's
    assert for_reader(client_locale="fr", server_choice="ja", server_locale="ko") == "ja"
    assert for_reader(client_locale="fr", server_locale="de") == "en"
    assert for_reader(reader_choice="xx", client_locale="en-US") == "en"  # unknown choice


def test_a_public_post_follows_the_server_whoever_triggered_it() -> None:
    assert for_server(server_locale="ko") == "ko"
    assert for_server(server_choice="ja", server_locale="ko") == "ja"
    assert for_server(server_locale="pt-BR") == "en"
    assert for_server() == "en"
