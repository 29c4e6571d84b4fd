"""Server settings: the moderator role and live content reloads."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import discord

from tests.e2e.world import REPO, World

ADMIN = discord.Permissions(manage_guild=True).value


async def test_moderator_role_lets_its_members_steer(world: World) -> None:
    admin_role = world.guild.create_role("Admins", permissions=ADMIN)
    admin = world.guild.create_member("admin", roles=[admin_role])
    hosts = world.guild.create_role("Debate hosts")
    host = world.guild.create_member("host", roles=[hosts])

    refused = await host.act().forge_slash("moderate start", channel=world.channel,
                                           topic="history-versus-interests", format="quick")
    assert refused.ephemeral and "Only debate moderators" in refused.content

    r = await admin.act().slash("settings moderator-role", channel=world.channel, role=hosts)
    assert r.ephemeral and "now moderate debates" in r.content
    assert "/moderate" in r.content  # tells the admin to let the role see the commands
    world.guild.grant_command("moderate", hosts)  # done in Server Settings → Integrations
    started = await host.act().slash("moderate start", channel=world.channel,
                                     topic="history-versus-interests", format="quick")
    await started.wait_done(timeout=5)
    assert not started.ephemeral and "Debate #" in started.content
    thread = await world.emu.wait_for(lambda: next(iter(world.emu.threads(world.channel)), None))
    await world.emu.wait_for_message(thread, lambda m: bool(m.components))  # lobby is up

    r = await admin.act().slash("settings moderator-role", channel=world.channel)
    assert "cleared" in r.content
    r = await host.act().slash("moderate end", channel=world.channel)
    assert "Only debate moderators" in r.content


async def test_settings_are_hidden_from_members_without_manage_server(world: World) -> None:
    synced = {c["name"]: c for c in world.emu.commands()}["settings"]
    assert synced["default_member_permissions"] == str(ADMIN)


async def test_reload_keeps_the_old_pack_when_the_new_one_is_broken(world: World,
                                                                    tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(REPO / "content", pack)
    world.bot.settings = dataclasses.replace(world.settings, content_dir=pack)
    admin_role = world.guild.create_role("Admins", permissions=ADMIN)
    admin = world.guild.create_member("admin", roles=[admin_role]).act()

    (pack / "topics.yaml").write_text("topics: [\n", encoding="utf-8")
    r = await admin.slash("settings reload-content", channel=world.channel)
    await r.wait_done(timeout=5)
    assert "current one stays in use" in r.message.content
    assert "topics.yaml: malformed YAML" in r.message.content
    topic = await world.alice.act().slash("topic", channel=world.channel,
                                          topic="history-versus-interests")
    assert topic.embeds  # still served from the old pack

    shutil.copy(REPO / "content" / "topics.yaml", pack / "topics.yaml")
    article = (pack / "article.yaml").read_text(encoding="utf-8")
    (pack / "article.yaml").write_text(article.replace("title: Overview", "title: Overview!", 1),
                                       encoding="utf-8")
    r = await admin.slash("settings reload-content", channel=world.channel)
    await r.wait_done(timeout=5)
    assert "Content reloaded: 28 entries, 5 topics, 3 formats." in r.message.content
    shown = await world.alice.act().slash("summary", channel=world.channel, section="overview")
    assert shown.embeds[0]["title"] == "Overview!"
