"""The words of the public pages, in the server's language (the templates hold none)."""

from __future__ import annotations

from bot.i18n.messages import Say


def chrome(say: Say) -> dict[str, str]:
    """Labels every page shares or may show."""
    return {
        "archive": say("Debate archive"),
        "leaderboard": say("Leaderboard"),
        "footer": say("Published by Rostrum for this server. Members who opted out of "
                      "Rostrum's records are not shown."),
        "no_debates": say("No debates yet."),
        "motion": say("Motion:"),
        "format": say("Format"),
        "result": say("Result"),
        "member": say("Member"),
        "points": say("Points"),
        "arguments": say("Arguments"),
        "wins": say("Wins"),
        "no_points": say("Nobody has points in this period yet."),
        "article": say("The article"),
        "topics": say("Debate topics"),
        "background": say("Background — not from the article"),
        "perspectives": say("Perspectives"),
        "sources": say("Sources"),
        "for": say("For the motion"),
        "against": say("Against the motion"),
        "related": say("Related sections"),
        "key_terms": say("Key terms"),
        "subsections": say("Subsections"),
    }


def as_of(date: str, say: Say) -> str:
    return say("(as of {date})", date=date)


def debate_it(topic_id: str, say: Say) -> str:
    return say("Debate it: /moderate start topic:{id}", id=topic_id)


def archive_title(server: str, say: Say) -> str:
    return say("{server}: debates", server=server)


def board_title(server: str, period: str, say: Say) -> str:
    return say("{server}: leaderboard, {period}", server=server, period=period)


def period_label(period: str, say: Say) -> str:
    return {"week": say("This week"), "month": say("This month"),
            "all": say("All time")}[period]


def all_topics(say: Say) -> str:
    return say("All topics")


def hidden_member(say: Say) -> str:
    return say("a member who opted out")


def hidden_argument(say: Say) -> str:
    return say("Not shown: its author opted out of Rostrum's records.")


def answers(seq: int, say: Say) -> str:
    return say("answers #{seq}", seq=seq)
