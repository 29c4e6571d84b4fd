"""Debates in Japanese and Korean through the real discord.py client: a debate's thread
speaks its server's language whatever the moderator's own; private answers follow each
member; the 🌐 button shows a public card privately in the clicker's language; the
transcript keeps the debate's language."""

from __future__ import annotations

from bot.core.content import load_library
from playground.model import Message
from tests.e2e.world import REPO, Debate, World, advance, button, wait_card

LIBRARY = load_library(REPO / "content")
JA, KO = LIBRARY.in_language("ja"), LIBRARY.in_language("ko")
TOPIC = "history-versus-interests"
ARGUMENT = "両国の信頼は、過去を正直に見つめることから始まる。だからこそ対話を続けるべきだ。"


def labels(message: Message) -> list[str]:
    return [c.get("label") or c.get("emoji", {}).get("name", "")
            for row in message.components for c in row["components"]]


async def test_a_korean_servers_debate_is_korean_whatever_the_moderators_language(
        world: World) -> None:
    world.guild.locale = "ko"
    moderator = world.emu.as_user(world.mo, locale="ja")   # a Japanese client
    alice = world.emu.as_user(world.alice, locale="ko")
    bob = world.emu.as_user(world.bob, locale="en-US")
    topic_ko = KO.topic(TOPIC)

    r = await moderator.slash("moderate start", channel=world.channel, topic=TOPIC,
                              format="quick", phase_seconds=60)
    await r.wait_done(timeout=5)
    assert r.original is not None and topic_ko.motion in r.original.content  # public: Korean
    thread = await world.emu.wait_for(lambda: next(iter(world.emu.threads(world.channel)[-1:]),
                                                   None))
    assert thread.name == f"토론: {topic_ko.title}"
    lobby = await world.emu.wait_for_message(thread, lambda m: bool(m.components))
    debate_id = int(lobby.components[0]["components"][0]["custom_id"].split(":")[1])
    d = Debate(debate_id, thread, lobby)
    card = lobby.embeds[0]
    assert card["title"] == f"토론 #{d.id}: {topic_ko.title}"
    assert card["fields"][0]["name"] == "형식: 빠른 토론"
    assert "입론" in card["fields"][0]["value"]
    assert labels(lobby) == ["찬성 측 참가", "반대 측 참가", "나가기", "주장하기",
                             "투표 찬성"[:0] or "찬성 투표", "반대 투표", "미정",
                             "시작 (사회자)", "🌐"]

    # Private answers follow each member's own language.
    r = await alice.click(d.lobby, button(d, "join-pro"))
    assert await r.private_reply() == f"토론 #{d.id}의 **찬성** 측에 참가했습니다."
    r = await bob.click(d.lobby, button(d, "join-con"))
    assert await r.private_reply() == f"You joined the **con** side of debate #{d.id}."
    r = await moderator.click(d.lobby, button(d, "begin"))
    assert r.ephemeral and r.content == "討論を始めました。"

    opening = await wait_card(world, d, "단계 1/4 · 입론")
    # 🌐: the same card, privately, in the clicker's language.
    mine = await moderator.click(opening, button(d, "show-phase-0"))
    assert mine.ephemeral and mine.embeds[0]["title"] == "フェーズ 1/4 · 立論"
    mine = await bob.click(opening, button(d, "show-phase-0"))
    assert mine.embeds[0]["title"] == "Phase 1/4 · Opening"
    assert mine.embeds[0]["fields"][0]["value"] == opening.embeds[0]["fields"][0]["value"]

    form = await alice.click(opening, button(d, "argue"))
    assert form.modal is not None and form.modal["title"] == "주장: 입론"
    posted = await alice.submit_modal(form, {"argument": ARGUMENT})
    assert (await posted.private_reply()).startswith("입론의 주장 #1(으)로 올렸습니다.")
    argument = await world.emu.wait_for_message(
        thread, lambda m: any("주장 #1" in (e.get("footer") or {}).get("text", "")
                              for e in m.embeds))
    assert argument.embeds[0]["author"]["name"] == "alice · 찬성 · 입론"

    await advance(world, d, 60, "단계 2/4 · 반론")
    await advance(world, d, 60, "단계 3/4 · 마무리")
    vote = await advance(world, d, 60, "단계 4/4 · 투표")
    r = await world.emu.as_user(world.carol, locale="ko").click(vote, button(d, "vote-pro"))
    assert r.content.startswith("투표가 기록되었습니다: **찬성**.")
    result = await advance(world, d, 60, "찬성 측 승리")
    fields = {f["name"]: f["value"] for f in result.embeds[0]["fields"]}
    assert fields["최종 투표"] == "찬성 **1** · 반대 **0** · 미정 **0**"
    assert result.embeds[0]["description"].startswith("투표 결과 찬성 측 승리 (1 대 0)")
    mine = await moderator.click(result, button(d, "show-result"))
    assert mine.embeds[0]["title"].startswith("賛成側の勝ち · ")

    # The transcript is the debate's record: in its (Korean) language, whoever asks.
    r = await bob.slash("debate transcript", channel=thread)
    await r.wait_done(timeout=5)
    assert r.followups[-1].content == f"Transcript of debate #{d.id}."  # bob's own language
    md = r.files[0][1].decode()
    assert md.startswith(f"# 토론 #{d.id}: {topic_ko.title}")
    assert md.index("## 입론") < md.index("## 반론") < md.index("## 결과")
    assert f"> {ARGUMENT}" in md


async def test_a_japanese_server_gets_japanese_notices_and_refusals(world: World) -> None:
    world.guild.locale = "ja"
    moderator = world.emu.as_user(world.mo, locale="ja")
    r = await moderator.slash("moderate start", channel=world.channel, topic=TOPIC,
                              format="quick", phase_seconds=60)
    await r.wait_done(timeout=5)
    thread = await world.emu.wait_for(lambda: next(iter(world.emu.threads(world.channel)[-1:]),
                                                   None))
    lobby = await world.emu.wait_for_message(thread, lambda m: bool(m.components))
    assert thread.name == f"討論：{JA.topic(TOPIC).title}"
    assert labels(lobby)[:4] == ["賛成側に参加", "反対側に参加", "抜ける", "主張を書く"]
    # A refusal reaches a Japanese member in Japanese; a French client gets the server's.
    r = await world.emu.as_user(world.alice, locale="ja").slash(
        "debate argue", channel=thread, text="早すぎる主張")
    assert r.ephemeral and r.content == "討論はまだ始まっていません。"
    r = await world.emu.as_user(world.bob, locale="fr").slash("debate leave", channel=thread)
    assert r.content == "あなたはこの討論のどちらの側にも入っていません。"
    r = await moderator.slash("moderate cancel", channel=thread)
    assert r.content == "中止しました。結果はなく、誰にもポイントは付きません。"
    await world.emu.wait_for_message(
        thread, lambda m: m.content == "🛑 この討論は司会者によって中止されました。")


async def test_help_speaks_the_readers_language_and_names_commands_as_their_client_does(
        world: World) -> None:
    r = await world.emu.as_user(world.alice, locale="ja").slash("help", channel=world.channel)
    main, scoring = r.embeds
    assert main["title"] == "Rostrum — ヘルプ" and scoring["title"] == "ポイントの付き方"
    usage = "\n".join(f["value"] for f in main["fields"])
    # /debate argue text: reply_to:, as a Japanese client shows it
    assert "`/討論 発言 本文: [反論先:]` — " in usage
    r = await world.emu.as_user(world.bob, locale="ko").slash("help", channel=world.channel)
    assert r.embeds[0]["title"] == "Rostrum — 도움말"


async def test_a_whole_debate_in_japanese(world: World) -> None:
    world.guild.locale = "ja"
    ja = {m.id: world.emu.as_user(m, locale="ja") for m in (world.mo, world.alice, world.bob,
                                                             world.carol)}
    r = await ja[world.mo.id].slash("moderate start", channel=world.channel, topic=TOPIC,
                                    format="quick", phase_seconds=60)
    await r.wait_done(timeout=5)
    thread = await world.emu.wait_for(lambda: next(iter(world.emu.threads(world.channel)[-1:]),
                                                   None))
    lobby = await world.emu.wait_for_message(thread, lambda m: bool(m.components))
    d = Debate(int(lobby.components[0]["components"][0]["custom_id"].split(":")[1]), thread,
               lobby)
    assert lobby.embeds[0]["fields"][0]["name"] == "形式：クイック討論"
    r = await ja[world.alice.id].click(lobby, button(d, "join-pro"))
    assert await r.private_reply() == f"討論 #{d.id} の**賛成**側に参加しました。"
    await ja[world.bob.id].click(lobby, button(d, "join-con"))
    r = await ja[world.mo.id].click(lobby, button(d, "begin"))
    assert r.content == "討論を始めました。"
    await wait_card(world, d, "フェーズ 1/4 · 立論")
    r = await ja[world.bob.id].slash("debate argue", channel=thread, text=ARGUMENT)
    assert (await r.private_reply()).startswith("立論の主張 #1 として投稿しました。")
    await advance(world, d, 60, "フェーズ 2/4 · 反論")
    await advance(world, d, 60, "フェーズ 3/4 · まとめ")
    vote = await advance(world, d, 60, "フェーズ 4/4 · 投票")
    r = await ja[world.carol.id].click(vote, button(d, "vote-con"))
    assert r.content == "投票を受け付けました：**反対**。投票が締め切られるまで変更できます。"
    result = await advance(world, d, 60, "反対側の勝ち")
    assert result.embeds[0]["description"].startswith("反対側が1対0で投票に勝ちました")
    assert result.embeds[0]["footer"]["text"] == f"記録：/debate transcript debate:{d.id}"
