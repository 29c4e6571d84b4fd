"""Reading in Japanese and Korean through the real discord.py client: a member's client
language picks the content they get, autocomplete searches in it, and a language Rostrum
does not speak falls back to the server's, then English."""

from __future__ import annotations

from bot.core.content import load_library
from tests.e2e.world import REPO, World

LIBRARY = load_library(REPO / "content")
JA, KO = LIBRARY.in_language("ja"), LIBRARY.in_language("ko")


async def test_a_japanese_client_reads_the_japanese_summary(world: World) -> None:
    reader = world.emu.as_user(world.alice, locale="ja")
    r = await reader.slash("summary", channel=world.channel, section="dokdo-takeshima-dispute",
                           length="full")
    entry = JA.article.get("dokdo-takeshima-dispute")
    assert r.embeds[0]["title"] == "竹島（独島）問題" == entry.title
    assert r.embeds[0]["description"] == entry.full
    assert "日本海（東海）" in r.embeds[0]["description"]
    # The same command from an English client is the English summary.
    r = await world.alice.act().slash("summary", channel=world.channel,
                                      section="dokdo-takeshima-dispute")
    assert r.embeds[0]["description"] == LIBRARY.article.get("dokdo-takeshima-dispute").short


async def test_a_korean_client_searches_and_reads_in_korean(world: World) -> None:
    reader = world.emu.as_user(world.bob, locale="ko")
    choices = await reader.autocomplete("summary", "section", "독도", channel=world.channel)
    values = [c["value"] for c in choices]
    assert values[:1] == ["dokdo-takeshima-dispute"]
    assert all("독도(다케시마)" in c["name"] for c in choices[:1])
    topics = await reader.autocomplete("topic", "topic", "무역", channel=world.channel)
    assert [c["value"] for c in topics] == ["trade-frictions-and-economic-policy"]
    r = await reader.slash("topic", channel=world.channel,
                           topic="trade-frictions-and-economic-policy")
    brief = KO.topic("trade-frictions-and-economic-policy")
    assert brief.motion in r.embeds[0]["description"]
    assert brief.pro[0] in r.embeds[1]["description"]
    r = await reader.slash("sections", channel=world.channel)
    assert r.embeds[0]["fields"][0]["name"] == "개요"


async def test_a_language_rostrum_does_not_speak_gets_the_servers_then_english(
        world: World) -> None:
    french = world.emu.as_user(world.carol, locale="fr")
    r = await french.slash("summary", channel=world.channel, section="overview")
    assert r.embeds[0]["description"] == LIBRARY.article.get("overview").short  # English
    world.guild.locale = "ko"  # a Korean server: its language comes before English
    r = await world.emu.as_user(world.dave, locale="fr").slash("summary", channel=world.channel,
                                                               section="overview")
    assert r.embeds[0]["description"] == KO.article.get("overview").short


async def test_japanese_input_is_normalised_for_search(world: World) -> None:
    reader = world.emu.as_user(world.alice, locale="ja")
    # Half-width katakana and a two-word query written with a space both find the entry.
    choices = await reader.autocomplete("summary", "section", "ﾒﾃﾞｨｱ", channel=world.channel)
    assert [c["value"] for c in choices][:1] == ["media-and-public-sentiment"]
    choices = await reader.autocomplete("summary", "section", "歴史 責任", channel=world.channel)
    assert "historical-accountability-and-policy-harmonization" in [c["value"] for c in choices]


async def test_the_reading_replies_around_the_content_speak_the_readers_language(
        world: World) -> None:
    ja = world.emu.as_user(world.alice, locale="ja")
    r = await ja.slash("summary", channel=world.channel,
                       section="postwar-normalization-and-reparations", length="full")
    summary, background, perspectives = r.embeds
    assert summary["description"] == JA.article.get(
        "postwar-normalization-and-reparations").full
    assert background["title"] == "背景 — 記事にない情報"
    assert perspectives["title"] == "さまざまな見方"
    assert "出典：" in background["description"]
    assert perspectives["footer"]["text"].startswith("全文の要約 · id:")
    ko = world.emu.as_user(world.bob, locale="ko")
    r = await ko.slash("topic", channel=world.channel, topic="history-versus-interests")
    assert [e["title"] for e in r.embeds[1:]] == ["동의안 찬성", "동의안 반대", "출처"]
    r = await ko.slash("summary", channel=world.channel, section="trade and investmnt")
    assert r.ephemeral and r.content.startswith("`trade and investmnt`(이)라는 섹션을 찾을 수")
    assert "`trade-and-investment`" in r.content


async def test_a_member_picks_their_own_language_and_keeps_it_across_a_restart(
        world: World) -> None:
    korean_app = world.emu.as_user(world.bob, locale="ko")
    r = await korean_app.slash("language", channel=world.channel, language="ja")
    assert r.ephemeral and r.content == "これから日本語で答えます。"  # said in the new language
    await world.restart_bot()
    r = await korean_app.slash("summary", channel=world.channel, section="overview")
    assert r.embeds[0]["description"] == JA.article.get("overview").short
    r = await korean_app.slash("language", channel=world.channel, language="auto")
    assert r.content.startswith("Discord 앱의 언어로 답하겠습니다")  # back to the app's Korean
    r = await korean_app.slash("summary", channel=world.channel, section="overview")
    assert r.embeds[0]["description"] == KO.article.get("overview").short


async def test_a_server_chooses_its_language_and_only_admins_may(world: World) -> None:
    import discord

    admin_role = world.guild.create_role("Admins",
                                         permissions=discord.Permissions(manage_guild=True).value)
    admin = world.guild.create_member("admin", roles=[admin_role])
    r = await admin.act().slash("settings language", channel=world.channel, language="ko")
    assert r.ephemeral and "한국어" in r.content  # said in the admin's (English) app language
    french = world.emu.as_user(world.carol, locale="fr")
    r = await french.slash("summary", channel=world.channel, section="overview")
    assert r.embeds[0]["description"] == KO.article.get("overview").short
    r = await world.alice.act().forge_slash("settings language", channel=world.channel,
                                            language="ja")
    assert r.ephemeral and "Manage Server" in r.content
    assert world.bot.language_choices.servers[world.guild.id] == "ko"  # unchanged


async def test_a_topic_picked_in_japanese_works_wherever_topics_are_options(
        world: World) -> None:
    """The leaderboard and a debate's start look the topic up by id, whatever its language."""
    ja = world.emu.as_user(world.alice, locale="ja")
    r = await ja.slash("leaderboard", channel=world.channel, topic="history-versus-interests")
    assert r.content or r.embeds  # answered (no board yet, or an empty one)
    assert "Something went wrong" not in (r.content or "")  # was a crash: topic by identity
    mo = world.emu.as_user(world.mo, locale="ja")
    r = await mo.slash("moderate start", channel=world.channel,
                       topic="history-versus-interests", format="quick")
    await r.wait_done(timeout=5)
    thread = await world.emu.wait_for(lambda: next(iter(world.emu.threads(world.channel)), None))
    assert thread.name == "Debate: History versus interests"  # the debate runs on English


async def test_boards_follow_the_server_and_refusals_follow_the_reader(world: World) -> None:
    world.guild.locale = "ko"  # a Korean server
    english_app = world.alice.act()
    r = await english_app.slash("leaderboard", channel=world.channel)
    assert not r.ephemeral and r.content.startswith("아직 포인트가 없습니다(이번 주(")
    r = await english_app.slash("stats", channel=world.channel)
    assert r.embeds[0]["title"] == "전적 · alice"  # a public card: the server's language
    japanese_app = world.emu.as_user(world.bob, locale="ja")
    r = await japanese_app.slash("stats", channel=world.channel, member=world.guild.bot_member)
    assert r.ephemeral and r.content == "ボットは参加しないので、成績はありません。"


async def test_refusals_and_privacy_replies_come_in_the_readers_language(world: World) -> None:
    ja = world.emu.as_user(world.alice, locale="ja")
    r = await ja.forge_slash("moderate start", channel=world.channel,
                             topic="history-versus-interests", format="quick")
    assert r.ephemeral and r.content.startswith("それができるのは討論の司会者だけです")
    ko = world.emu.as_user(world.bob, locale="ko")
    r = await ko.slash("privacy opt-out", channel=world.channel)
    assert r.ephemeral and r.content.startswith("집계를 중지했습니다.")
    r = await ko.slash("privacy forget-me", channel=world.channel)
    labels = [c["label"] for row in r.components for c in row["components"]]
    assert labels == ["내 기록 삭제", "유지하기"]
