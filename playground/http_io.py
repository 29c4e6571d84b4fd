"""Reading and answering an emulated Discord HTTP request: the helpers every route uses.

Kept below the route modules (`http_routes`, `channel_routes`), which both import it and never
each other's helpers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, hdrs, web

from playground import errors
from playground.messages import UploadedFile
from playground.model import Host

API = "/api/v10"
EMULATOR_KEY: web.AppKey[Host] = web.AppKey("emulator")


@dataclass
class RequestRecord:
    """One HTTP request the emulator served (``remote`` is the peer address)."""

    method: str
    path: str
    route: str
    status: int
    remote: str | None
    at: float


def emulator_of(request: web.Request) -> Host:
    return request.app[EMULATOR_KEY]


def route_of(request: web.Request) -> str:
    resource = request.match_info.route.resource
    canonical = resource.canonical if resource is not None else request.path
    return f"{request.method} {canonical.removeprefix(API)}"


async def read_body(request: web.Request) -> tuple[dict[str, Any], list[UploadedFile]]:
    """JSON body, or multipart ``payload_json`` + ``files[n]`` parts (bytes kept)."""
    emu = emulator_of(request)
    if request.content_type.startswith("multipart/"):
        payload: dict[str, Any] = {}
        files: list[UploadedFile] = []
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                continue
            raw = await part.read(decode=False)
            name = part.name or ""
            if name == "payload_json":
                payload = json.loads(raw or b"{}")
            elif name.startswith("files[") and name.endswith("]"):
                if len(raw) > emu.attachment_size_limit:
                    raise errors.error(413, 40005, "Request entity too large")
                files.append(
                    UploadedFile(
                        index=int(name[6:-1]),
                        filename=part.filename or f"file{name[6:-1]}",
                        data=bytes(raw),
                        content_type=part.headers.get(hdrs.CONTENT_TYPE),
                    )
                )
        return payload, files
    if not request.body_exists:
        return {}, []
    text = await request.text()
    if not text:
        return {}, []
    try:
        body = json.loads(text)
    except ValueError:
        raise errors.error(400, 50109, "The request body contains invalid JSON.") from None
    return body, []


def json_response(data: Any, status: int = 200) -> web.Response:
    """JSON with exactly ``Content-Type: application/json`` (discord.py compares it verbatim)."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={hdrs.CONTENT_TYPE: "application/json"},
    )


def no_content() -> web.Response:
    return web.Response(status=204)
