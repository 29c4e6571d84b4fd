"""The aiohttp application: middleware, body parsing, and the non-channel REST routes.

Routes live under ``/api/v10``. Anything not implemented answers Discord's 404 JSON and is
recorded in :attr:`Emulator.unhandled_routes`.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, cast

from aiohttp import hdrs, web

from playground import (
    channel_routes,
    dms,
    errors,
    faults,
    interactions,
    limits,
    scheduled_events,
)
from playground.http_io import (
    API,
    EMULATOR_KEY,
    RequestRecord,
    emulator_of,
    json_response,
    no_content,
    read_body,
    route_of,
)
from playground.model import Host

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_NO_BOT_AUTH = (f"{API}/webhooks/", f"{API}/interactions/", f"{API}/gateway", "/attachments/")


@web.middleware
async def discord_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    emu = emulator_of(request)
    admission = None
    try:
        needs_auth = request.path.startswith(API) and not request.path.startswith(_NO_BOT_AUTH)
        if needs_auth and request.headers.get(hdrs.AUTHORIZATION) != f"Bot {emu.token}":
            raise errors.unauthorized()
        injected = None
        response: web.StreamResponse
        if request.path.startswith(API):
            admission = emu.rate_limits.admit(route_of(request), dict(request.match_info))
            if admission.refusal is None:
                injected = await emu.faults.before_request(route_of(request))
            else:
                injected = admission.refusal.response()
        if injected is faults.DISCONNECT:
            if request.transport is not None:
                request.transport.abort()
            response = injected
        elif injected is not None:
            response = injected
        else:
            response = await handler(request)
            if request.path.startswith(API):
                response = await emu.faults.after_request(route_of(request), response)
    except errors.DiscordError as exc:
        if exc.record:
            emu._record_rejection(route_of(request), request.path, exc)
        response = json_response(exc.body, status=exc.status)
    if admission is not None and admission.refusal is None and not response.prepared:
        for name, value in admission.headers.items():
            response.headers.setdefault(name, value)
    if request.path.startswith(API):
        emu.rate_limits.answered(response.status, response.headers.get("X-RateLimit-Scope"))
    emu.requests.append(
        RequestRecord(
            method=request.method,
            path=request.path,
            route=route_of(request),
            status=response.status,
            remote=request.remote,
            at=time.time(),
        )
    )
    return response


def _flag(request: web.Request, name: str) -> bool:
    return request.query.get(name, "").lower() in ("1", "true")


# ----------------------------------------------------------------------------- gateway / users


async def get_gateway(request: web.Request) -> web.Response:
    return json_response({"url": emulator_of(request).gateway_url})


async def get_gateway_bot(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    return json_response(
        {
            "url": emu.gateway_url,
            "shards": emu.recommended_shards,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 86_400_000,
                "max_concurrency": 1,
            },
        }
    )


async def get_me(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    return json_response(
        emu.bot_user.to_dict()
        | {"verified": True, "mfa_enabled": False, "email": None, "locale": "en-US"}
    )


async def get_user(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    user = emu.users.get(int(request.match_info["user_id"]))
    if user is None:
        raise errors.unknown_user()
    return json_response(user.to_dict())


async def get_application(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    owner = emu.owner_user
    return json_response(
        {
            "id": str(emu.application_id),
            "name": emu.bot_user.username,
            "icon": None,
            "description": "Rostrum playground application (emulated)",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": emu.application_flags,
            "owner": owner.to_dict(),
            "team": None,
            "bot": emu.bot_user.to_dict(),
            "rpc_origins": [],
            "terms_of_service_url": None,
            "privacy_policy_url": None,
            "custom_install_url": None,
            "install_params": None,
            "integration_types_config": {"0": {}},
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "tags": [],
            "approximate_guild_count": len(emu.guilds),
            "approximate_user_install_count": 0,
            "redirect_uris": [],
            "is_monetized": False,
            "is_verified": False,
            "is_discoverable": False,
            "cover_image": None,
            "primary_sku_id": None,
            "slug": None,
            "guild_id": None,
        }
    )


async def get_application_emojis(request: web.Request) -> web.Response:
    return json_response({"items": []})


# ----------------------------------------------------------------------------- app commands


def _scope(request: web.Request) -> int | None:
    emu = emulator_of(request)
    if int(request.match_info["application_id"]) != emu.application_id:
        raise errors.error(403, 50001, "Missing Access")
    guild_id = request.match_info.get("guild_id")
    if guild_id is None:
        return None
    if int(guild_id) not in emu.guilds:
        raise errors.error(403, 50001, "Missing Access")
    return int(guild_id)


async def list_commands(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    return json_response(emu.command_registry.list(_scope(request)))


async def overwrite_commands(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    scope = _scope(request)
    body, _ = await read_body(request)
    payload = cast(list[dict[str, Any]], body)  # a bulk overwrite's body is a JSON list
    field_errors = limits.check_commands(payload)
    if field_errors:
        raise errors.form_error(field_errors)
    stored = emu.command_registry.overwrite(scope, payload)
    emu._changed()
    return json_response(stored)


async def upsert_command(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    scope = _scope(request)
    payload, _ = await read_body(request)
    field_errors = limits.check_commands([payload])
    if field_errors:
        raise errors.form_error(
            [limits.FieldError(e.path[1:], e.code, e.message) for e in field_errors]
        )
    stored = emu.command_registry.upsert(scope, payload)
    emu._changed()
    return json_response(stored, status=201)


async def get_command(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    cmd = emu.command_registry.get(_scope(request), int(request.match_info["command_id"]))
    if cmd is None:
        raise errors.unknown_command()
    return json_response(cmd)


async def edit_command(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    payload, _ = await read_body(request)
    cmd = emu.command_registry.edit(_scope(request), int(request.match_info["command_id"]), payload)
    if cmd is None:
        raise errors.unknown_command()
    emu._changed()
    return json_response(cmd)


async def delete_command(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    if not emu.command_registry.delete(_scope(request), int(request.match_info["command_id"])):
        raise errors.unknown_command()
    emu._changed()
    return no_content()


async def list_command_permissions(request: web.Request) -> web.Response:
    _scope(request)
    return json_response([])


# ----------------------------------------------------------------------------- interactions


async def interaction_callback(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    payload, files = await read_body(request)
    interaction_id = request.match_info["interaction_id"]
    body = interactions.handle_callback(
        emu,
        int(interaction_id) if interaction_id.isdigit() else -1,
        request.match_info["token"],
        payload,
        files,
        with_response=_flag(request, "with_response"),
    )
    return no_content() if body is None else json_response(body)


async def execute_webhook(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    payload, files = await read_body(request)
    thread_id = request.query.get("thread_id")
    message = interactions.create_followup(
        emu,
        _app_id(request),
        request.match_info["token"],
        payload,
        files,
        thread_id=int(thread_id) if thread_id else None,
    )
    return json_response(message.to_dict()) if _flag(request, "wait") else no_content()


def _app_id(request: web.Request) -> int:
    raw = request.match_info["application_id"]
    return int(raw) if raw.isdigit() else -1


async def get_webhook_message(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    _, message = interactions.webhook_message(
        emu, _app_id(request), request.match_info["token"], request.match_info["message_id"]
    )
    return json_response(message.to_dict())


async def edit_webhook_message(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    payload, files = await read_body(request)
    message = interactions.edit_webhook_message(
        emu,
        _app_id(request),
        request.match_info["token"],
        request.match_info["message_id"],
        payload,
        files,
    )
    return json_response(message.to_dict())


async def delete_webhook_message(request: web.Request) -> web.Response:
    from playground.messages import delete_message

    emu = emulator_of(request)
    _, message = interactions.webhook_message(
        emu, _app_id(request), request.match_info["token"], request.match_info["message_id"]
    )
    delete_message(emu, message)
    return no_content()


# ----------------------------------------------------------------------------- misc


async def get_attachment(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    att = emu.attachments.get(int(request.match_info["attachment_id"]))
    if att is None:
        raise errors.not_found()
    return web.Response(body=att.data, content_type=att.content_type or "application/octet-stream")


async def unhandled(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    emu.unhandled_routes.append(f"{request.method} {request.path.removeprefix(API)}")
    return json_response({"message": "404: Not Found", "code": 0}, status=404)


def build_app(emu: Host) -> web.Application:
    """The aiohttp application serving the REST API, the gateway and attachments."""
    app = web.Application(middlewares=[discord_middleware], client_max_size=64 * 1024 * 1024)
    app[EMULATOR_KEY] = emu
    r = app.router
    r.add_get("/gateway", emu.gateway.handle)
    r.add_get(f"{API}/gateway", get_gateway)
    r.add_get(f"{API}/gateway/bot", get_gateway_bot)
    r.add_get(f"{API}/users/@me", get_me)
    r.add_get(f"{API}/users/{{user_id:\\d+}}", get_user)
    r.add_post(f"{API}/users/@me/channels", dms.open_dm)
    r.add_get(f"{API}/oauth2/applications/@me", get_application)
    r.add_get(f"{API}/applications/@me", get_application)
    r.add_get(f"{API}/applications/{{application_id}}/emojis", get_application_emojis)
    for base in (
        f"{API}/applications/{{application_id}}/commands",
        f"{API}/applications/{{application_id}}/guilds/{{guild_id}}/commands",
    ):
        r.add_get(base, list_commands)
        r.add_put(base, overwrite_commands)
        r.add_post(base, upsert_command)
        r.add_get(f"{base}/permissions", list_command_permissions)
        r.add_get(f"{base}/{{command_id:\\d+}}", get_command)
        r.add_patch(f"{base}/{{command_id:\\d+}}", edit_command)
        r.add_delete(f"{base}/{{command_id:\\d+}}", delete_command)
    r.add_post(f"{API}/interactions/{{interaction_id}}/{{token}}/callback", interaction_callback)
    hook = f"{API}/webhooks/{{application_id}}/{{token}}"
    r.add_post(hook, execute_webhook)
    r.add_get(f"{hook}/messages/{{message_id}}", get_webhook_message)
    r.add_patch(f"{hook}/messages/{{message_id}}", edit_webhook_message)
    r.add_delete(f"{hook}/messages/{{message_id}}", delete_webhook_message)
    r.add_get("/attachments/{channel_id}/{attachment_id:\\d+}/{filename}", get_attachment)
    channel_routes.register(r, API)
    scheduled_events.register(r, API)
    r.add_route("*", "/{tail:.*}", unhandled)
    return app
