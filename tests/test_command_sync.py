"""Deciding whether to sync: every stored field counts, Discord's filled-in defaults do not."""

from __future__ import annotations

from typing import Any

from bot.command_sync import canonical_command, trees_differ


def command(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "debate", "description": "Debates", "type": 1,
        "options": [{"type": 3, "name": "topic", "description": "Which topic",
                     "required": True, "autocomplete": True}],
    }
    return {**base, **fields}


def as_discord_returns(payload: dict[str, Any]) -> dict[str, Any]:
    """What Discord answers after storing `payload`: ids, versions and defaults added."""
    return {"id": "1", "application_id": "2", "version": "3", "nsfw": False,
            "dm_permission": True, "name_localizations": None,
            "description_localizations": None, "integration_types": [0],
            "contexts": None, "default_member_permissions": None, **payload}


def test_an_unchanged_tree_is_up_to_date_despite_discords_defaults() -> None:
    local = [command(), command(name="help", description="Help", options=[])]
    remote = [as_discord_returns(c) for c in reversed(local)]
    assert not trees_differ(local, remote)


def test_a_changed_default_permission_needs_a_sync() -> None:
    remote = [as_discord_returns(command(default_member_permissions="0"))]
    local = [command(default_member_permissions=str(1 << 34))]
    assert trees_differ(local, remote)
    assert not trees_differ(local, [as_discord_returns(command(
        default_member_permissions=1 << 34))])  # an int and its string are the same


def test_a_new_translation_anywhere_needs_a_sync() -> None:
    remote = [as_discord_returns(command())]
    assert trees_differ([command(name_localizations={"ja": "討論"})], remote)
    option = {**command()["options"][0], "description_localizations": {"ko": "주제"}}
    assert trees_differ([command(options=[option])], remote)
    choice_option = {"type": 3, "name": "side", "description": "Side",
                     "choices": [{"name": "pro", "value": "pro"}]}
    translated = {**choice_option, "choices": [
        {"name": "pro", "value": "pro", "name_localizations": {"ja": "賛成"}}]}
    assert trees_differ([command(options=[translated])],
                        [as_discord_returns(command(options=[choice_option]))])


def test_contexts_nsfw_and_limits_are_compared() -> None:
    remote = [as_discord_returns(command())]
    assert trees_differ([command(contexts=[0])], remote)
    assert trees_differ([command(nsfw=True)], remote)
    bounded = {**command()["options"][0], "max_length": 100}
    assert trees_differ([command(options=[bounded])], remote)


def test_canonical_form_keeps_option_order_and_drops_bookkeeping() -> None:
    shaped = canonical_command(as_discord_returns(command()))
    assert "id" not in shaped and "version" not in shaped
    assert [o["name"] for o in shaped["options"]] == ["topic"]
