"""The browser playground: a local web page drawing the emulator's server as Discord would,
live, where you act as any member.

Served on 127.0.0.1 only. Pages are drawn on the server (Jinja2, everything escaped); a small
script (``static/app.js``, no build step) sends what you do and redraws when the server-sent
event stream says something changed. Writes need the page's token in a header, which other
sites cannot send (no CORS here), and requests for any other host name are refused, so a web
page elsewhere cannot drive the playground.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from importlib import resources
from typing import Any

import jinja2
from aiohttp import web

from bot.web.server import harden
from playground import render
from playground.console import LOCALES, modal_inputs
from playground.emulator import InteractionResult
from playground.model import Channel, Member
from playground.runner import Playground
from playground.web import views
from playground.web.session import BrowserSession

log = logging.getLogger(__name__)

HERE = resources.files("playground.web")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css"}
EVENT_POLL, HEARTBEAT = 0.2, 15.0
MAX_LINE = 4000
#: The latest payloads Discord would have refused, shown above the messages.
PROBLEMS_SHOWN = 3
MODAL_TEXT = 4000


@web.middleware
async def local_only(request: web.Request, handler: Any) -> web.StreamResponse:
    """Only this machine's own names for the server (a guard against DNS rebinding), and the
    same security headers on every answer."""
    host = (request.host or "").rsplit(":", 1)[0].strip("[]")
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise web.HTTPForbidden(text="The playground answers on 127.0.0.1 only.")
    response = await handler(request)
    harden(response, CSP)
    response.headers["Cache-Control"] = "no-store"
    return response


class BrowserPlayground:
    def __init__(self, pg: Playground, *, pages_url: str | None = None) -> None:
        self.pg = pg
        self.pages_url = pages_url
        self.token = secrets.token_urlsafe(24)
        self.locales: dict[int, str] = {}
        self.modals: dict[str, InteractionResult] = {}
        self.templates = jinja2.Environment(
            loader=jinja2.FunctionLoader(
                lambda name: (HERE / "templates" / name).read_text(encoding="utf-8")),
            autoescape=True, undefined=jinja2.StrictUndefined)
        self.names = render.guild_names(pg.emu, pg.guild)
        self._runner: web.AppRunner | None = None
        self.url = ""

    # ------------------------------------------------------------------ lifecycle

    def app(self) -> web.Application:
        app = web.Application(middlewares=[local_only], client_max_size=64 * 1024)
        app.router.add_get("/", self.page)
        app.router.add_get("/static/{name}", self.static)
        app.router.add_get("/view", self.view)
        app.router.add_get("/events", self.events)
        app.router.add_get("/complete", self.complete)
        app.router.add_get("/files/{message_id:\\d+}/{index:\\d+}", self.file)
        app.router.add_post("/act", self.act)
        return app

    async def start(self, port: int = 0) -> str:
        """Listen on 127.0.0.1 (`port`, or any free one if taken or 0); returns the address."""
        self._runner = web.AppRunner(self.app(), shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        try:
            await site.start()
        except OSError:
            if port == 0:
                raise
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        bound = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{bound}/"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------------ who and where

    def _member(self, name: str | None) -> Member:
        member = self.pg.members.get((name or "you").lower())
        if member is None:
            raise web.HTTPBadRequest(text=f"No member {name!r}.")
        return member

    def _channel(self, raw: str | None) -> Channel:
        if raw and raw.isdigit():
            channel = self.pg.emu.channels.get(int(raw))
            if channel is not None and channel.guild is self.pg.guild:
                return channel
        return self.pg.channel

    def _session(self, member: Member, channel: Channel) -> BrowserSession:
        return BrowserSession(self.pg, member, channel, self.locales)

    # ------------------------------------------------------------------ pages

    async def page(self, request: web.Request) -> web.Response:
        html = self.templates.get_template("page.html").render(
            token=self.token, guild=self.pg.guild.name, members=list(self.pg.members),
            locales=LOCALES, pages_url=self.pages_url, home=self.pg.channel.id)
        return web.Response(text=html, content_type="text/html")

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        kind = next((t for ext, t in STATIC_TYPES.items() if name.endswith(ext)), None)
        path = HERE / "static" / name
        if kind is None or "/" in name or not path.is_file():
            raise web.HTTPNotFound()
        return web.Response(body=path.read_bytes(), content_type=kind)

    async def view(self, request: web.Request) -> web.Response:
        member = self._member(request.query.get("member"))
        channel = self._channel(request.query.get("channel"))
        return web.json_response(self.view_of(member, channel))

    def view_of(self, member: Member, channel: Channel) -> dict[str, Any]:
        emu = self.pg.emu
        channels = views.channel_list(render.channel_order(self.pg.guild, emu.threads), channel)
        messages = views.message_views(emu.messages(channel, include_users=True), member,
                                       self.names)
        return {
            "channel": str(channel.id),
            "title": render.channel_label(channel),
            "topic": getattr(channel, "topic", None) or "",
            "writable": not (channel.archived or channel.locked),
            "moderator": self.pg.mod_role in member.roles,
            "locale": self.locales.get(member.id, "en-US"),
            "server_locale": self.pg.guild.locale,
            "problems": [" ".join(filter(None, (v.route, v.field, v.message)))
                         for v in emu.violations[-PROBLEMS_SHOWN:]],
            "problem_count": len(emu.violations),
            "channels": self.templates.get_template("channels.html").render(channels=channels),
            "messages": self.templates.get_template("messages.html").render(
                messages=messages, member=member.name, people=list(self.pg.members)),
        }

    async def file(self, request: web.Request) -> web.Response:
        message = self.pg.emu.messages_by_id.get(int(request.match_info["message_id"]))
        index = int(request.match_info["index"])
        member = self._member(request.query.get("member"))
        if message is None or not render.visible(message, member.id) or not (
                0 <= index < len(message.attachments)):
            raise web.HTTPNotFound()
        attachment = message.attachments[index]
        kind = attachment.content_type or "application/octet-stream"
        if kind.startswith("image/svg"):
            kind = "application/octet-stream"  # never run a file's script in our origin
        return web.Response(body=attachment.data, content_type=kind, headers={
            "Content-Disposition": f'inline; filename="{attachment.filename}"'})

    # ------------------------------------------------------------------ live updates

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: one `change` whenever the emulator's state moves."""
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                               "Cache-Control": "no-store"})
        await response.prepare(request)
        last, version, quiet = None, 0, 0.0
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            while True:
                signature = self.pg.signature()
                if signature != last:
                    last, version, quiet = signature, version + 1, 0.0
                    await response.write(f"event: change\ndata: {version}\n\n".encode())
                elif quiet >= HEARTBEAT:
                    quiet = 0.0
                    await response.write(b": still here\n\n")
                await asyncio.sleep(EVENT_POLL)
                quiet += EVENT_POLL
        return response

    # ------------------------------------------------------------------ typing

    async def complete(self, request: web.Request) -> web.Response:
        session = self._session(self._member(request.query.get("member")),
                                self._channel(request.query.get("channel")))
        text = request.query.get("text", "")[:MAX_LINE]
        found = await session.completions(text) if text.lstrip().startswith("/") else []
        return web.json_response([
            {"text": c.text, "start": c.start_position, "label": c.display_text,
             "meta": c.display_meta_text} for c in found[:25]])

    # ------------------------------------------------------------------ acting

    async def act(self, request: web.Request) -> web.Response:
        if request.headers.get("X-Playground-Token") != self.token:
            raise web.HTTPForbidden(text="Reload the playground page.")
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise web.HTTPBadRequest(text="Expected JSON.") from error
        if not isinstance(body, dict):
            raise web.HTTPBadRequest(text="Expected a JSON object.")
        member = self._member(str(body.get("member") or "you"))
        session = self._session(member, self._channel(str(body.get("channel") or "")))
        await self._perform(session, str(body.get("action") or ""), body)
        answer: dict[str, Any] = {"notes": session.notes(), "failed": session.failed,
                                  "channel": str(session.channel.id)}
        if session.opened_modal is not None:
            key = secrets.token_urlsafe(12)
            self.modals[key] = session.opened_modal
            answer["modal"] = modal_form(key, session.opened_modal.modal or {})
        return web.json_response(answer)

    async def _perform(self, session: BrowserSession, action: str,
                       body: dict[str, Any]) -> None:
        member = session.member
        if action == "line":
            line = str(body.get("line") or "")[:MAX_LINE].strip()
            if line.startswith("/"):
                await session.handle(line)
            elif line:
                await session.guarded(session.say(line), "say")
        elif action == "click":
            await session.press(_id(body.get("message")), str(body.get("custom_id") or ""))
        elif action == "select":
            values = [str(v) for v in body.get("values") or []][:25]
            await session.choose(_id(body.get("message")), str(body.get("custom_id") or ""),
                                 values)
        elif action == "modal":
            opened = self.modals.pop(str(body.get("modal") or ""), None)
            if opened is None:
                session.error("That form has expired; run the command again.")
                return
            fields = body.get("fields") or {}
            answers = {str(k): str(v)[:MODAL_TEXT] for k, v in fields.items()} if isinstance(
                fields, dict) else {}
            await session.submit(opened, answers)
        elif action == "language":
            await session.guarded(session.set_language(str(body.get("value") or "")), action)
        elif action == "server-language":
            await session.guarded(session.set_server_language(str(body.get("value") or "")),
                                  action)
        elif action == "moderator":
            if body.get("value"):
                member.add_role(self.pg.mod_role)
            else:
                member.remove_role(self.pg.mod_role)
        else:
            raise web.HTTPBadRequest(text=f"Unknown action {action!r}.")


def _id(raw: Any) -> int:
    text = str(raw or "")
    if not text.isdigit():
        raise web.HTTPBadRequest(text="Expected a message id.")
    return int(text)


def modal_form(key: str, modal: dict[str, Any]) -> dict[str, Any]:
    """A modal as the page's form needs it: its title and each text input."""
    return {"id": key, "title": str(modal.get("title") or ""), "inputs": [
        {"id": str(c.get("custom_id") or ""), "label": label,
         "paragraph": c.get("style") == 2, "placeholder": str(c.get("placeholder") or ""),
         "required": bool(c.get("required", True)), "value": str(c.get("value") or ""),
         "min": int(c.get("min_length") or 0), "max": int(c.get("max_length") or 4000)}
        for label, c in modal_inputs(modal.get("components") or [])]}
