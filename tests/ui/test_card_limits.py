"""Every card Rostrum draws, in every language it speaks, stays within Discord's limits,
even with the longest names and texts members can give it (Discord refuses a whole message
when one part is over, so a too-long card is a lost card)."""

from __future__ import annotations

from collections.abc import Iterator

import discord
import pytest

from bot.core.content import Format, load_library
from bot.core.debate import DebateState, Refusal
from bot.core.results import Result, Tally
from bot.i18n.messages import say_in
from bot.storage.debates import AuditEntry, PhaseRecord
from bot.storage.stats import Board, BoardRow, MemberStats
from bot.ui import debate_cards as cards
from bot.ui import debate_replies, debate_text, help, reading, standings, text, transcript
from bot.ui.debate_text import REFUSAL_CODES
from bot.ui.voice import Voice, voice_in
from tests.e2e.world import REPO

LIBRARY = load_library(REPO / "content")
LANGUAGES = ("en", "ja", "ko")
T0 = 1_800_000_000.0
#: A member's display name at its longest (80, as stored), in scripts that escape and widen.
LONG_NAMES = ["*_`~|>" * 13 + "ab", "日本語の名前" * 13 + "名前", "한국어이름_" * 16,
              "👩\u200d👩\u200d👧" * 16]


def check_embed(embed: discord.Embed) -> None:
    data = embed.to_dict()
    assert len(data.get("title", "")) <= text.EMBED_TITLE
    assert len(data.get("description", "")) <= text.EMBED_DESCRIPTION
    assert len(data.get("fields", [])) <= text.EMBED_FIELDS
    for field in data.get("fields", []):
        assert 0 < len(field["name"]) <= text.FIELD_NAME
        assert 0 < len(field["value"]) <= text.FIELD_VALUE
    assert len(data.get("footer", {}).get("text", "")) <= text.EMBED_FOOTER
    assert len(data.get("author", {}).get("name", "")) <= text.EMBED_AUTHOR
    assert len(embed) <= text.EMBED_TOTAL


def check_message(content: str) -> None:
    assert 0 < len(content) <= text.MESSAGE_CONTENT


def full_debate(fmt: Format) -> tuple[DebateState, dict[int, str], list[PhaseRecord]]:
    """A debate in `fmt` with every side full of long names and every phase full of the
    longest arguments it allows."""
    state = DebateState.new(id=987_654, guild_id=1, channel_id=2,
                            topic_id="history-versus-interests", format=fmt, now=T0)
    per_side = fmt.debaters_per_side or 12
    names: dict[int, str] = {}
    for index in range(per_side * 2):
        user = 10_000 + index
        state.join(user, "pro" if index % 2 == 0 else "con", T0)
        names[user] = LONG_NAMES[index % len(LONG_NAMES)]
    state.begin(T0)
    records, t = [], T0
    while not state.is_over:
        phase, index = state.current_phase, state.phase_index
        assert phase is not None and index is not None
        records.append(PhaseRecord(index, phase.id, t, state.deadline, None))
        if phase.is_vote:
            for voter in range(40):
                state.vote(90_000 + voter, ("pro", "con", "undecided")[voter % 3], t)
        else:
            for user in list(names):
                if phase.allows_side(state.side_of(user) or ""):
                    for _ in range(phase.max_posts_per_member or 1):
                        state.argue(user, "論" * (phase.max_chars or 4000), t)
        t = state.next_wakeup() or t
        while state.phase_index == index and not state.is_over:
            state.tick(t)
            t = state.next_wakeup() or t
    return state, names, records


def voices() -> Iterator[Voice]:
    for language in LANGUAGES:
        yield voice_in(language, LIBRARY)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("format_id", [f.id for f in LIBRARY.formats])
def test_every_debate_card_fits(language: str, format_id: str) -> None:
    voice = voice_in(language, LIBRARY)
    fmt = LIBRARY.format(format_id)
    assert fmt is not None
    state, names, records = full_debate(fmt)
    for topic in LIBRARY.topics:
        check_embed(cards.lobby_embed(state, topic, names, voice))
        check_embed(cards.status_embed(state, topic, state.status_view(T0), names, voice))
        check_message(debate_replies.announcement(state.id, fmt.title, topic.motion, voice))
        for card in ("lobby", "result", *(f"phase-{i}" for i in range(len(fmt.phases)))):
            embed = cards.card_again(state, topic, names, records, card, voice)
            assert embed is not None
            check_embed(embed)
        for outcome in ("pro", "con", "draw"):
            for rule, paired in (("majority", None), ("swing", 12_345)):
                result = Result(outcome=outcome, rule=rule, tally=Tally(1234, 5678, 91),
                                pre_tally=Tally(1, 2, 3), paired=paired, swing_pro=-12.5,
                                swing_con=99.9, ended_early=True)
                check_embed(cards.result_embed(state, topic, result, names, voice))
    for index, phase in enumerate(fmt.phases):
        check_embed(cards.phase_embed(state, phase, index, T0 + 3600, voice))
        check_message(cards.warning_text(state, phase, 3599, T0 + 3600, voice))
        check_embed(cards.vote_closed_embed(state, phase, Tally(10**6, 10**6, 10**6), voice))
        for argument in state.arguments[:4]:
            check_embed(cards.argument_embed(state, argument.seq, names[argument.user_id],
                                             argument.side, phase, argument.text, voice))
        # The argument form: Discord's input label is 45 at most and the form clips it; the
        # limit it names must survive the clip in every language.
        if phase.max_chars:
            label = cards.argument_field_label("con", phase.max_chars, voice)
            assert voice.number(phase.max_chars) in text.clip(label, 45), label
        assert len(cards.argument_placeholder(voice)) <= 100
    markdown = transcript.render(state, LIBRARY.topic(state.topic_id), names, records,
                                 [AuditEntry(10_000, "end", "", T0)], voice)
    assert f"#{state.id}" in markdown


@pytest.mark.parametrize("voice", list(voices()), ids=LANGUAGES)
def test_notices_replies_labels_and_refusals_fit(voice: Voice) -> None:
    for name in LONG_NAMES:
        check_message(cards.removed_notice(name, voice))
        check_message(debate_replies.removed(text.escape_user_text(name), 10**9, voice))
    for message in (cards.cancelled_notice(voice), cards.paused_notice(3599, voice),
                    cards.resumed_notice(T0, voice), cards.extended_notice(3600, T0, None, voice),
                    cards.extended_notice(3600, None, 7200, voice),
                    *(debate_replies.done(a, voice) for a in
                      ("begin", "next", "pause", "resume", "end", "cancel"))):
        check_message(message)
    for action in ("join-pro", "join-con", "leave", "argue", "vote-pro", "vote-con",
                   "vote-undecided", "begin"):
        assert 0 < len(cards.button_label(action, voice)) <= 80
    longest = max(LIBRARY.in_language(voice.language).formats, key=lambda f: len(f.phases))
    for code in REFUSAL_CODES:
        params = {"side": "pro", "choice": "maybe", "low": 10, "high": 3600, "got": 10**6,
                  "phase": longest.phases[-1].id, "phase_side": "con", "length": 10**5,
                  "limit": 4000, "posted": 99, "cap": 99, "seconds": 3.5, "thread_id": 10**18,
                  "advise": True, "cause": "http", "status": 503, "seq": 10**4, "count": 10**4,
                  "name": "x" * 100, "text": "y" * 100, "when": 10**10, "days": 366,
                  "id": 10**6}
        check_message(debate_text.refusal(Refusal(code, **params).within(longest), voice))


@pytest.mark.parametrize("language", LANGUAGES)
def test_reading_boards_and_help_fit(language: str) -> None:
    say, pack = say_in(language), LIBRARY.in_language(language)
    for entry in pack.article.entries:
        for length in ("short", "full"):
            embeds = reading.summary_embeds(pack.article, entry, length, say)
            for embed in embeds:
                check_embed(embed)
            for page in reading.group_for_messages(embeds):
                assert sum(len(e) for e in page) <= text.EMBED_TOTAL
    check_embed(reading.sections_embed(pack.article, say))
    check_embed(reading.topics_embed(pack, say))
    for topic in pack.topics:
        for embed in reading.topic_embeds(pack, topic, say):
            check_embed(embed)
    rows = tuple(BoardRow(rank, 10**17 + rank, 10**6, 10**5, 10**4) for rank in range(1, 11))
    board = Board(1, "2026-W48", "history-versus-interests", 0, 10, 10**6, rows)
    names = {row.user_id: LONG_NAMES[row.rank % len(LONG_NAMES)] for row in rows}
    check_embed(standings.board_embed(board, "week", pack.topics[0].title,
                                      (10**6, 10**6), names, say))
    stats = MemberStats(1, 2, 10**6, 10**6, 10**7, 10**6, 10**5, 10**5, 10**5, 10**4, 10**3,
                        pack.topics[0].id, T0)
    check_embed(standings.stats_embed(stats, LONG_NAMES[1], pack.topics[0].title, say))
    for embed in help.help_embeds([], help.scoring_rules(say), say):
        check_embed(embed)
