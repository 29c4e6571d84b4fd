"""Reading commands through the real discord.py client and the emulator."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from bot.core.content import load_pack
from tests.e2e.world import REPO, World

PACK = load_pack(REPO / "content")


def custom_ids(components: list[dict]) -> list[str]:
    return [c["custom_id"] for row in components for c in row["components"] if "custom_id" in c]


async def test_synced_tree_matches_the_cogs(world: World) -> None:
    synced = {c["name"]: c for c in world.emu.commands() if c["type"] == 1}
    assert set(synced) == {"summary", "sections", "topics", "topic", "help", "settings",
                           "debate", "moderate", "leaderboard", "stats", "privacy", "language",
                           "schedule", "motion"}
    assert {o["name"] for o in synced["schedule"]["options"]} == {"add", "list", "move",
                                                                  "cancel"}
    assert synced["schedule"]["default_member_permissions"] == str(1 << 34)
    menus = {(c["type"], c["name"]): c for c in world.emu.commands() if c["type"] != 1}
    assert set(menus) == {(3, "Report argument"), (3, "Remove argument"),
                          (2, "Remove from debate"), (2, "Stats")}
    # Members see only the report; the others are for moderators (checked again on use).
    assert menus[3, "Report argument"]["default_member_permissions"] is None
    assert menus[3, "Remove argument"]["default_member_permissions"] == str(1 << 34)
    assert menus[2, "Remove from debate"]["default_member_permissions"] == str(1 << 34)
    debate = {o["name"] for o in synced["debate"]["options"]}
    assert debate == {"join", "leave", "argue", "vote", "status", "transcript", "alerts",
                      "ballot"}
    moderate = synced["moderate"]
    assert {o["name"] for o in moderate["options"]} == {
        "start", "next", "pause", "resume", "extend", "end", "cancel", "remove", "reports",
        "motions", "approve-motion", "reject-motion", "slowmode", "audience-thread", "judge"}
    # Discord hides moderator commands from members without Manage Threads.
    assert moderate["default_member_permissions"] == str(1 << 34)
    assert synced["debate"]["default_member_permissions"] is None
    summary = {o["name"]: o for o in synced["summary"]["options"]}
    assert summary["section"]["autocomplete"] is True
    assert [c["value"] for c in summary["length"]["choices"]] == ["short", "full"]


@pytest.mark.parametrize("length", ["short", "full"])
async def test_summary_shows_the_entry_at_each_length(world: World, length: str) -> None:
    entry = PACK.article.get("trade-and-investment")
    r = await world.alice.act().slash("summary", channel=world.channel,
                                      section=entry.id, length=length)
    assert not r.ephemeral
    embed = r.embeds[0]
    assert embed["title"] == entry.title
    assert embed["description"] == (entry.full if length == "full" else entry.short)
    assert embed["author"]["name"] == "Japan–Korea relations › Economic relations › " \
                                      "Trade and investment"
    other = "short" if length == "full" else "full"
    assert f"sum:{world.alice.user.id}:{other[0]}:go:{entry.id}" in custom_ids(r.components)
    assert f"sum:{world.alice.user.id}:{length[0]}:go:economic-relations" in \
        custom_ids(r.components)
    # Every summary says whose words these are: the pack's disclaimer, in the footer.
    assert r.embeds[-1]["footer"]["text"].endswith(PACK.article.source)


async def test_a_full_summary_shows_background_and_perspectives_under_their_own_headings(
        world: World) -> None:
    """Outside context is labelled and sourced, and never mixed into what the article says."""
    entry = PACK.article.get("postwar-normalization-and-reparations")
    assert entry.background and entry.perspectives
    r = await world.alice.act().slash("summary", channel=world.channel, section=entry.id,
                                      length="full")
    summary, background, perspectives = r.embeds
    assert summary["description"] == entry.full
    assert "Article II" not in summary["description"]  # that detail is background
    assert background["title"] == "Background — not from the article"
    assert "Article II" in background["description"]
    assert "United Nations Treaty Series, vol. 583" in background["description"]
    assert perspectives["title"] == "Perspectives"
    assert "**The Supreme Court of Korea:**" in perspectives["description"]
    assert perspectives["footer"]["text"].endswith(PACK.article.source)
    # The short summary stays the article's alone.
    r = await world.alice.act().slash("summary", channel=world.channel, section=entry.id)
    assert [e.get("title") for e in r.embeds] == [entry.title]


async def test_summary_defaults_to_short(world: World) -> None:
    r = await world.alice.act().slash("summary", channel=world.channel, section="overview")
    assert r.embeds[0]["description"] == PACK.article.get("overview").short


async def test_unknown_section_gets_private_suggestions(world: World) -> None:
    r = await world.alice.act().slash("summary", channel=world.channel,
                                      section="trade and investmnt")
    assert r.ephemeral
    assert "I don't know a section called" in r.content
    assert "`trade-and-investment`" in r.content
    assert not r.embeds


async def test_typed_title_works_like_an_id(world: World) -> None:
    r = await world.alice.act().slash("summary", channel=world.channel,
                                      section="Dokdo/Takeshima dispute")
    assert r.embeds[0]["title"] == "Dokdo/Takeshima dispute"


async def test_autocomplete_returns_relevant_choices(world: World) -> None:
    actor = world.alice.act()
    choices = await actor.autocomplete("summary", "section", "econ", channel=world.channel)
    values = [c["value"] for c in choices]
    # Prefix matches first (in article order), then word-prefix matches.
    assert set(values[:2]) == {"economic-relations", "economic-security-and-supply-chains"}
    assert "trade-frictions-and-economic-policy" in values[2:]
    assert all("econ" in (c["value"] + c["name"]).lower() for c in choices)
    everything = await actor.autocomplete("summary", "section", "", channel=world.channel)
    assert len(everything) == 25  # 28 entries, Discord shows at most 25
    topics = await actor.autocomplete("topic", "topic", "escal", channel=world.channel)
    assert [c["value"] for c in topics] == ["territorial-disputes-and-escalation"]


async def test_subsection_picker_edits_for_the_owner(world: World) -> None:
    alice = world.alice.act()
    r = await alice.slash("summary", channel=world.channel, section="economic-relations")
    picker = f"sum:{world.alice.user.id}:s:pick"
    assert picker in custom_ids(r.components)
    jumped = await alice.select(r, picker, ["innovation-and-industrial-collaboration"])
    assert jumped.type == 7  # message updated in place
    shown = world.emu.message(r.message.id)
    assert shown.embeds[0]["title"] == "Innovation and industrial collaboration"
    up = f"sum:{world.alice.user.id}:s:go:economic-relations"
    await alice.click(shown, up)
    assert world.emu.message(r.message.id).embeds[0]["title"] == "Economic relations"


async def test_someone_elses_picker_answers_privately(world: World) -> None:
    r = await world.alice.act().slash("summary", channel=world.channel,
                                      section="historical-background")
    other = await world.bob.act().select(r, f"sum:{world.alice.user.id}:s:pick",
                                         ["recent-tensions"])
    assert other.ephemeral
    assert other.embeds[0]["title"] == PACK.article.get("recent-tensions").title
    # Alice's message is untouched, and Bob's private copy navigates for Bob.
    assert world.emu.message(r.message.id).embeds[0]["title"] == "Historical background"
    assert f"sum:{world.bob.user.id}:s:go:historical-background" in custom_ids(other.components)


async def test_sections_lists_every_entry(world: World) -> None:
    r = await world.alice.act().slash("sections", channel=world.channel)
    embed = r.embeds[0]
    listed = embed["description"] + "".join(f["name"] + f["value"] for f in embed["fields"])
    for entry in PACK.article.entries:
        assert f"`{entry.id}`" in listed
    assert len(embed["fields"]) == len(PACK.article.sections)


async def test_topics_and_a_topic_brief(world: World) -> None:
    r = await world.alice.act().slash("topics", channel=world.channel)
    assert [f["name"] for f in r.embeds[0]["fields"]] == [t.title for t in PACK.topics]
    topic = PACK.topic("history-versus-interests")
    r = await world.alice.act().slash("topic", channel=world.channel, topic=topic.id)
    brief, pro, con, sources = r.embeds
    assert topic.motion in brief["description"]
    assert topic.framing in brief["description"]
    assert {f["name"] for f in brief["fields"]} >= {t.term for t in topic.key_terms}
    for point in topic.pro:
        assert point in pro["description"]
    for point in topic.con:
        assert point in con["description"]
    # The brief's outside facts say where they come from.
    assert sources["title"] == "Sources"
    assert all(s.title in sources["description"] for s in topic.sources)
    assert sources["footer"]["text"].endswith(PACK.article.source)


async def test_unknown_topic_is_refused_privately(world: World) -> None:
    r = await world.alice.act().slash("topic", channel=world.channel, topic="whaling")
    assert r.ephemeral and "I don't know a topic called `whaling`" in r.content


async def test_help_lists_every_command(world: World) -> None:
    r = await world.alice.act().slash("help", channel=world.channel)
    assert r.ephemeral
    listed = " ".join(f["value"] for e in r.embeds for f in e.get("fields", []))
    for name in ("/summary section:", "/sections", "/topics", "/topic topic:", "/help",
                 "/moderate start topic:", "/debate vote side:", "/debate transcript",
                 "/settings moderator-role"):
        assert name in listed


def _command_puts(world: World) -> int:
    return sum(1 for r in world.emu.requests if r.method == "PUT" and "/commands" in r.path)


async def test_a_permission_or_translation_change_is_synced_and_nothing_else(
        world: World) -> None:
    before = _command_puts(world)
    await world.bot.sync_commands()
    assert _command_puts(world) == before  # unchanged: no sync

    help_command = world.bot.tree.get_command("help")
    assert help_command is not None
    help_command.default_permissions = discord.Permissions(manage_guild=True)
    await world.bot.sync_commands()
    assert _command_puts(world) == before + 1
    stored = {c["name"]: c for c in world.emu.commands()}
    assert stored["help"]["default_member_permissions"] == str(
        discord.Permissions(manage_guild=True).value)

    class Japanese(app_commands.Translator):
        async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                            context: app_commands.TranslationContext) -> str | None:
            if locale is discord.Locale.japanese and string.message == "help":
                return "ヘルプ"
            return None

    await world.bot.tree.set_translator(Japanese())
    await world.bot.sync_commands()
    assert _command_puts(world) == before + 2
    stored = {c["name"]: c for c in world.emu.commands()}
    assert stored["help"]["name_localizations"] == {"ja": "ヘルプ"}
    await world.bot.sync_commands()
    assert _command_puts(world) == before + 2  # the translated tree is now up to date


async def test_every_topic_option_searches_and_refuses_alike(world: World) -> None:
    """/topic, /leaderboard and /moderate start share one topic parameter."""
    for command, member in (("topic", world.alice), ("leaderboard", world.alice),
                            ("moderate start", world.mo)):
        found = await member.act().autocomplete(command, "topic", "escal",
                                                channel=world.channel)
        assert [c["value"] for c in found] == ["territorial-disputes-and-escalation"], command
        options = {"format": "quick"} if command == "moderate start" else {}
        r = await member.act().slash(command, channel=world.channel, topic="trade frictons",
                                     **options)
        assert r.ephemeral, command
        assert r.content.startswith("I don't know a topic called `trade frictons`"), command
        assert "trade-frictions-and-economic-policy" in r.content, command
    assert world.emu.threads(world.channel) == []  # the refused start opened nothing
