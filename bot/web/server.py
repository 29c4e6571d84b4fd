"""The public pages: a server's debate archive, each debate's record and its leaderboards.

Served from the bot's process with aiohttp (WEB_PORT, on WEB_HOST), only for servers whose
admins turned them on (`/settings web-pages`); other servers' addresses answer 404. Read-only
(GET and HEAD only), every member's text escaped by the templates, a strict
Content-Security-Policy on every answer, display names and never ids, and members who opted
out of Rostrum's records never named (their arguments are not shown either).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from importlib import resources
from typing import TYPE_CHECKING, Any

import jinja2
from aiohttp import web

from bot.core import languages
from bot.core.content import ContentPack, Topic
from bot.core.debate import DebateState
from bot.core.results import SIDES, Tally
from bot.core.scoring import period_keys
from bot.storage import debates as store
from bot.storage import privacy, stats
from bot.storage import settings as guild_settings
from bot.ui import debate_replies, debate_text, pictures
from bot.ui import web_text as words
from bot.ui.debate_cards import tally_line
from bot.ui.voice import Voice, voice_in

if TYPE_CHECKING:
    from bot.app import Rostrum

log = logging.getLogger(__name__)

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
       "form-action 'none'; frame-ancestors 'none'")
PERIODS = ("week", "month", "all")
TEMPLATES = resources.files("bot.web") / "templates"


def harden(response: web.StreamResponse, csp: str) -> None:
    """The headers every page of ours carries: its Content-Security-Policy, no type sniffing,
    no referrer."""
    response.headers["Content-Security-Policy"] = csp
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"


@web.middleware
async def security_headers(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as error:
        response = error
    harden(response, CSP)
    if isinstance(response, web.HTTPException):
        raise response
    return response


class PublicPages:
    def __init__(self, bot: Rostrum) -> None:
        self.bot = bot
        self.templates = jinja2.Environment(
            loader=jinja2.FunctionLoader(self._template), autoescape=True,
            undefined=jinja2.StrictUndefined)
        self._runner: web.AppRunner | None = None

    @staticmethod
    def _template(name: str) -> str:
        return (TEMPLATES / name).read_text(encoding="utf-8")

    def app(self) -> web.Application:
        app = web.Application(middlewares=[security_headers])
        app.router.add_get("/style.css", self.style)
        app.router.add_get("/g/{guild_id:\\d+}", self.archive)
        app.router.add_get("/g/{guild_id:\\d+}/debates/{debate_id:\\d+}", self.debate)
        app.router.add_get("/g/{guild_id:\\d+}/leaderboard", self.leaderboard)
        app.router.add_get("/g/{guild_id:\\d+}/read", self.contents)
        app.router.add_get("/g/{guild_id:\\d+}/read/{entry_id:[a-z0-9-]+}", self.entry)
        app.router.add_get("/g/{guild_id:\\d+}/topics/{topic_id:[a-z0-9-]+}", self.topic)
        return app

    async def start(self, host: str, port: int) -> None:
        self._runner = web.AppRunner(self.app())
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        log.info("public pages on http://%s:%d/g/<server id>", host, port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------------ pages

    async def style(self, request: web.Request) -> web.Response:
        return web.Response(text=self._template("style.css"), content_type="text/css")

    async def archive(self, request: web.Request) -> web.Response:
        guild_id, voice = await self._guild(request)
        say = voice.say
        debates = [{"id": d.id, "topic": voice.topic_title(d.topic_id),
                    "status": debate_replies.status_word(d.status, voice),
                    "when": _date(d.created_at)}
                   for d in await store.recent(self.bot.db, guild_id, limit=100)]
        return self._page("index.html", voice, guild_id,
                          title=words.archive_title(self._server_name(guild_id), say),
                          debates=debates)

    async def debate(self, request: web.Request) -> web.Response:
        guild_id, voice = await self._guild(request)
        say = voice.say
        state = await store.load(self.bot.db, int(request.match_info["debate_id"]),
                                 self.bot.content)
        if state is None or state.guild_id != guild_id:
            raise web.HTTPNotFound()
        names = await store.names(self.bot.db, state.id)
        hidden = await privacy.opted_out_among(self.bot.db, guild_id, list(names))

        def name(user: int) -> str:
            return words.hidden_member(say) if user in hidden else names.get(user, "?")

        topic = voice.topic(self.bot.content.topic(state.topic_id) or _missing(state))
        sides = [{"id": side, "label": voice.side_label(side),
                  "names": ", ".join(name(u) for u in state.debaters(side)) or "—"}
                 for side in SIDES]
        result = state.result
        best = state.best_speaker()
        return self._page(
            "debate.html", voice, guild_id,
            title=say("Debate #{id}: {topic}", id=state.id, topic=topic.title),
            motion=topic.motion, format_title=voice.format(state.format).title,
            status=debate_replies.status_word(state.status.value, voice), sides=sides,
            phases=_phases(state, name, hidden, voice),
            result=debate_text.headline(result, voice) if result else None,
            chart=pictures.vote_svg(result, voice) if result else None,
            best_speaker=say.plural("Best speaker: {name} ({n} vote)",
                                    "Best speaker: {name} ({n} votes)", best[1],
                                    name=name(best[0]), n=voice.number(best[1]))
            if best and best[0] not in hidden else None)

    async def leaderboard(self, request: web.Request) -> web.Response:
        guild_id, voice = await self._guild(request)
        say = voice.say
        period = request.query.get("period", "all")
        if period not in PERIODS:
            period = "all"
        pack = self._pack(voice)
        topic = pack.topic(request.query.get("topic", ""))
        if topic is not None and topic not in pack.topics:
            topic = None  # a board per article topic (a server's own motions have none)
        key = dict(zip(PERIODS, period_keys(self.bot.clock.now()), strict=True))[period]
        board = await stats.leaderboard(self.bot.db, guild_id, key, limit=50,
                                        topic_id=topic.id if topic else None)
        names = await stats.display_names(self.bot.db, guild_id,
                                          [row.user_id for row in board.rows])
        rows = [{"rank": r.rank, "name": names.get(r.user_id, "?"), "points": r.points,
                 "arguments": r.arguments, "wins": r.wins} for r in board.rows]
        periods = [{"id": p, "label": words.period_label(p, say), "current": p == period}
                   for p in PERIODS]
        topics = [{"id": "", "label": words.all_topics(say), "current": topic is None},
                  *({"id": t.id, "label": t.title, "current": topic is not None
                     and t.id == topic.id} for t in pack.topics)]
        weeks = await stats.guild_weeks(self.bot.db, guild_id, self.bot.clock.now())
        scope = words.period_label(period, say) + (f" · {topic.title}" if topic else "")
        return self._page("board.html", voice, guild_id,
                          title=words.board_title(self._server_name(guild_id), scope, say),
                          rows=rows, periods=periods, topics=topics, period=period,
                          topic_id=topic.id if topic else "",
                          chart=pictures.weeks_svg(weeks, say))

    async def contents(self, request: web.Request) -> web.Response:
        """The article's sections and the five debate topics, each a link to its page."""
        guild_id, voice = await self._guild(request)
        pack = self._pack(voice)
        sections = [{"entry": section, "children": pack.article.children(section.id)}
                    for section in pack.article.sections]
        return self._page("read.html", voice, guild_id, title=pack.article.title,
                          sections=sections, topics=pack.topics, source=pack.article.source)

    async def entry(self, request: web.Request) -> web.Response:
        """One section's summary in full, then its outside context, each labelled."""
        guild_id, voice = await self._guild(request)
        pack = self._pack(voice)
        found = pack.article.get(request.match_info["entry_id"])
        if found is None:
            raise web.HTTPNotFound()
        parent = pack.article.get(found.parent) if found.parent else None
        background = [{"text": item.text, "sources": item.sources,
                       "as_of": words.as_of(item.as_of, voice.say) if item.as_of else ""}
                      for item in found.background]
        return self._page("entry.html", voice, guild_id, title=found.title, entry=found,
                          parent=parent, paragraphs=_paragraphs(found.full or found.short),
                          background=background, children=pack.article.children(found.id),
                          source=pack.article.source)

    async def topic(self, request: web.Request) -> web.Response:
        """A topic's brief: framing, motion, key terms, the case for and against, sources."""
        guild_id, voice = await self._guild(request)
        pack = self._pack(voice)
        found = pack.topic(request.match_info["topic_id"])
        if found is None or found not in pack.topics:
            raise web.HTTPNotFound()
        related = [e for e in map(pack.article.get, found.sections) if e is not None]
        return self._page("topic.html", voice, guild_id, title=found.title, topic=found,
                          framing=_paragraphs(found.framing), related=related,
                          debate_it=words.debate_it(found.id, voice.say),
                          source=pack.article.source)

    # ------------------------------------------------------------------ helpers

    def _pack(self, voice: Voice) -> ContentPack:
        return voice.pack if voice.pack is not None else self.bot.content

    async def _guild(self, request: web.Request) -> tuple[int, Voice]:
        """The server named in the address, if its pages are on; its language."""
        guild_id = int(request.match_info["guild_id"])
        if not await guild_settings.web_pages(self.bot.db, guild_id):
            raise web.HTTPNotFound()
        guild = self.bot.get_guild(guild_id)
        locale = guild.preferred_locale.value if guild is not None else None
        language = languages.for_server(
            server_choice=self.bot.language_choices.servers.get(guild_id),
            server_locale=locale)
        return guild_id, voice_in(language, self.bot.content)

    def _server_name(self, guild_id: int) -> str:
        guild = self.bot.get_guild(guild_id)
        return guild.name if guild is not None else str(guild_id)

    def _page(self, template: str, voice: Voice, guild_id: int, **values: Any) -> web.Response:
        html = self.templates.get_template(template).render(
            lang=voice.language, guild_id=guild_id, t=words.chrome(voice.say), **values)
        return web.Response(text=html, content_type="text/html", charset="utf-8")


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def _date(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


def _missing(state: DebateState) -> Topic:
    """A stand-in for a topic no longer in the content pack (its id is all that is known)."""
    return Topic(id=state.topic_id, title=state.topic_id, framing="", motion="", pro=(),
                 con=(), key_terms=(), sections=())


def _phases(state: DebateState, name: Any, hidden: set[int], voice: Voice) -> list[dict[str, Any]]:
    say = voice.say
    out = []
    for phase in state.format.phases:
        arguments = []
        for a in state.arguments_in(phase.id):
            if a.redacted:
                text, removed = debate_text.removed_argument(voice), True
            elif a.user_id in hidden:
                text, removed = words.hidden_argument(say), True
            else:
                text, removed = a.text, False
            arguments.append({"seq": a.seq, "side": a.side, "side_label": voice.side_label(a.side),
                              "author": name(a.user_id), "text": text, "removed": removed,
                              "reply_to": a.reply_to,
                              "answers": words.answers(a.reply_to, say) if a.reply_to else ""})
        tally = (tally_line(Tally.of(state.counted_votes(phase.id).values()), voice)
                 .replace("**", "") if phase.is_vote and not state.is_live else None)
        out.append({"title": voice.phase(state.format, phase).title, "arguments": arguments,
                    "tally": tally})
    return out
