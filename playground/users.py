"""Scripted users: what a test makes a guild member do (slash, autocomplete, click, modal, say).

Every action builds the payload real Discord would send and checks first that a Discord client
would let the user do it (synced schema, visible enabled components, modal constraints);
otherwise :class:`InvalidInvocation` is raised before anything reaches the bot.
"""

from __future__ import annotations

import base64
import contextlib
import secrets
import time
from typing import Any

from playground.command_tree import InvalidInvocation, Resolver
from playground.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionFailed,
    InteractionResult,
)
from playground.messages import create_message
from playground.model import (
    Attachment,
    Channel,
    Guild,
    Host,
    Member,
    Message,
    Role,
    User,
    iter_components,
)

BUTTON = 2
USER_MENU, MESSAGE_MENU = 2, 3  # application command types of context menus
STRING_SELECT, USER_SELECT, ROLE_SELECT, MENTIONABLE_SELECT, CHANNEL_SELECT = 3, 5, 6, 7, 8
TEXT_INPUT, TEXT_DISPLAY, LABEL = 4, 10, 18


class _Resolver(Resolver):
    def __init__(self, emu: Host, guild: Guild, member: Member | None = None) -> None:
        self.emu = emu
        self.guild = guild
        self.member = member

    def user(self, who: Member | User) -> tuple[dict[str, Any], dict[str, Any] | None]:
        user = who.user if isinstance(who, Member) else who
        member = who if isinstance(who, Member) else self.guild.members.get(user.id)
        member_data = None
        if member is not None:
            member_data = member.to_dict(with_user=False, with_permissions=True)
        return user.to_dict(), member_data

    def channel(self, channel: Channel) -> dict[str, Any]:
        """As Discord resolves it: with the invoking member's permissions in it."""
        member = self.member
        permissions = member.permissions if member is not None else self.guild.everyone.permissions
        return channel.to_partial(permissions=permissions)

    def role(self, role: Role) -> dict[str, Any]:
        return role.to_dict()

    def attachment(self, filename: str, data: bytes) -> Attachment:
        att = Attachment(id=self.emu.snowflake(), filename=filename, data=data)
        att.url = f"{self.emu.base_url}/attachments/0/{att.id}/{filename}"
        self.emu.attachments[att.id] = att
        return att


class UserActor:
    """A guild member driven by a test. Get one with ``emu.as_user(member)`` or ``member.act()``.

    Option names that clash with keyword parameters (``channel``, ``wait``, ``timeout``,
    ``forged``, ``options``) can be passed in ``options={...}`` instead of as keywords.
    Commands whose ``default_member_permissions`` the member lacks are hidden from them, as
    in Discord (``forge_slash`` sends them anyway).
    """

    def __init__(self, emulator: Host, member: Member, *, locale: str = "en-US") -> None:
        self.emulator = emulator
        self.member = member
        self.locale = locale

    def __repr__(self) -> str:
        return f"<UserActor {self.member.user.username}>"

    # ------------------------------------------------------------------ app commands

    async def slash(
        self,
        command: str,
        /,
        *,
        channel: Channel,
        options: dict[str, Any] | None = None,
        wait: bool = True,
        timeout: float | None = None,  # noqa: ASYNC109 - public test API
        forged: bool = False,
        **kwargs: Any,
    ) -> InteractionResult:
        """Invoke ``/command`` (``"moderate start"`` for subcommands) with options as keywords.

        Values are checked against the synced schema (types, required, choices, min/max);
        members/users, channels, roles become ``resolved`` data; ``(filename, bytes)`` is an
        attachment. With ``wait`` the call returns once the bot sent its initial response and
        raises :class:`InteractionFailed` if it did not within the interaction deadline.
        """
        values = {**(options or {}), **kwargs}
        invocation = self.emulator.command_registry.build(
            command,
            values,
            guild_id=channel.guild.id,
            resolve=_Resolver(self.emulator, channel.guild, self.member),
        )
        if not forged:
            self._check_visible(invocation.command)
        result = self._dispatch(APPLICATION_COMMAND, channel, invocation.data)
        if wait:
            await result.wait_response(timeout)
        return result

    async def message_menu(self, name: str, message: Message | InteractionResult, *,
                           wait: bool = True, forged: bool = False) -> InteractionResult:
        """Right-click ``message`` → Apps → ``name`` (a message context menu)."""
        msg = self._visible_message(message)
        invocation = self.emulator.command_registry.menu(
            name, MESSAGE_MENU, msg.id, {"messages": {str(msg.id): msg.to_dict()}},
            guild_id=msg.channel.guild.id)
        if not forged:
            self._check_visible(invocation.command)
        result = self._dispatch(APPLICATION_COMMAND, msg.channel, invocation.data)
        if wait:
            await result.wait_response(None)
        return result

    async def user_menu(self, name: str, target: Member, *, channel: Channel,
                        wait: bool = True, forged: bool = False) -> InteractionResult:
        """Right-click ``target`` (in ``channel``) → Apps → ``name`` (a user context menu)."""
        user, member = _Resolver(self.emulator, channel.guild, self.member).user(target)
        resolved: dict[str, Any] = {"users": {str(target.id): user}}
        if member is not None:
            resolved["members"] = {str(target.id): member}
        invocation = self.emulator.command_registry.menu(
            name, USER_MENU, target.id, resolved, guild_id=channel.guild.id)
        if not forged:
            self._check_visible(invocation.command)
        result = self._dispatch(APPLICATION_COMMAND, channel, invocation.data)
        if wait:
            await result.wait_response(None)
        return result

    async def forge_slash(
        self,
        command: str,
        /,
        *,
        channel: Channel,
        options: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> InteractionResult:
        """``slash`` as a modified client could send it: a command hidden from this member
        by ``default_member_permissions`` is sent anyway (the bot must check for itself)."""
        return await self.slash(command, channel=channel, options=options, forged=True,
                                **kwargs)

    async def autocomplete(
        self,
        command: str,
        option: str,
        value: str = "",
        /,
        *,
        channel: Channel,
        options: dict[str, Any] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - public test API
        **kwargs: Any,
    ) -> list[dict[str, Any]]:
        """Type ``value`` into ``option`` of ``/command``; returns the bot's choices."""
        values = {**(options or {}), **kwargs, option: value}
        invocation = self.emulator.command_registry.build(
            command,
            values,
            guild_id=channel.guild.id,
            resolve=_Resolver(self.emulator, channel.guild, self.member),
            focused=option,
        )
        self._check_visible(invocation.command)
        result = self._dispatch(AUTOCOMPLETE, channel, invocation.data)
        await result.wait_response(timeout)
        return result.choices or []

    # ------------------------------------------------------------------ components

    async def click(
        self,
        message: Message | InteractionResult,
        custom_id: str,
        *,
        wait: bool = True,
        timeout: float | None = None,  # noqa: ASYNC109 - public test API
    ) -> InteractionResult:
        """Press the button ``custom_id`` on ``message`` (a stored message or a result)."""
        msg = self._visible_message(message)
        component = self._component(msg, custom_id, (BUTTON,))
        if component.get("style") in (5, 6):
            raise InvalidInvocation(
                f"button {custom_id!r} is a link/premium button, not a callback"
            )
        data = {"custom_id": custom_id, "component_type": BUTTON}
        if "id" in component:
            data["id"] = component["id"]
        result = self._dispatch(MESSAGE_COMPONENT, msg.channel, data, message=msg)
        if wait:
            await result.wait_response(timeout)
        return result

    async def select(
        self,
        message: Message | InteractionResult,
        custom_id: str,
        values: list[Any],
        *,
        wait: bool = True,
        timeout: float | None = None,  # noqa: ASYNC109 - public test API
    ) -> InteractionResult:
        """Choose ``values`` in the select ``custom_id`` (option values, or models for
        user/role/channel selects)."""
        msg = self._visible_message(message)
        component = self._component(
            msg,
            custom_id,
            (STRING_SELECT, USER_SELECT, ROLE_SELECT, MENTIONABLE_SELECT, CHANNEL_SELECT),
        )
        wire, resolved = self._select_values(component, values, msg.channel.guild)
        data: dict[str, Any] = {
            "custom_id": custom_id,
            "component_type": component["type"],
            "values": wire,
        }
        if "id" in component:
            data["id"] = component["id"]
        if resolved:
            data["resolved"] = resolved
        result = self._dispatch(MESSAGE_COMPONENT, msg.channel, data, message=msg)
        if wait:
            await result.wait_response(timeout)
        return result

    async def submit_modal(
        self,
        opened: InteractionResult,
        values: dict[str, Any],
        *,
        wait: bool = True,
        timeout: float | None = None,  # noqa: ASYNC109 - public test API
    ) -> InteractionResult:
        """Fill in and submit the modal the bot opened (``opened`` is the type-9 result).

        ``values`` maps text-input custom_ids to text (or select custom_ids to value lists);
        inputs left out keep their prefilled value. Required/min/max lengths are enforced.
        """
        modal = opened.modal
        if modal is None:
            raise InvalidInvocation(f"the bot answered with type {opened.type}, not a modal")
        channel, source = opened.channel, opened.source_message
        tree = modal.get("components", [])
        inputs = {c["custom_id"] for c in iter_components(tree) if "custom_id" in c}
        unknown = set(values) - inputs
        if unknown:
            raise InvalidInvocation(
                f"modal {modal.get('custom_id')!r} has no inputs {sorted(unknown)}"
            )
        components = [self._modal_component(c, values) for c in tree]
        data = {"custom_id": modal["custom_id"], "components": components}
        result = self._dispatch(MODAL_SUBMIT, channel, data, message=source)
        if wait:
            await result.wait_response(timeout)
        return result

    # ------------------------------------------------------------------ forged payloads

    async def forge_component(
        self,
        message: Message,
        custom_id: str,
        *,
        component_type: int = BUTTON,
        values: list[str] | None = None,
        wait: bool = True,
        timeout: float | None = None,  # noqa: ASYNC109 - public test API
        expect_answer: bool = True,
    ) -> InteractionResult:
        """What a modified client could send: a component interaction on ``message`` with any
        ``custom_id`` (and select ``values``), whether or not the message has that component.

        Only ``message``'s channel decides the interaction's guild and channel, as for a real
        click; nothing is checked against the message's components. With ``expect_answer``
        False the call waits out the deadline and returns the result, which is not reported
        in :attr:`Emulator.unanswered` (a bot may rightly ignore a forgery).
        """
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if component_type != BUTTON:
            data["values"] = list(values or [])
        result = self._dispatch(MESSAGE_COMPONENT, message.channel, data, message=message)
        if not expect_answer:
            result.ignored_on_purpose = True
            limit = self.emulator.interaction_deadline + 0.25
            with contextlib.suppress(TimeoutError):
                await self.emulator.wait_for(lambda: result.type is not None, timeout=limit)
            return result
        if wait:
            await result.wait_response(timeout)
        return result

    async def forge_modal(
        self,
        channel: Channel,
        custom_id: str,
        values: dict[str, str],
        *,
        message: Message | None = None,
        wait: bool = True,
        timeout: float | None = None,  # noqa: ASYNC109 - public test API
    ) -> InteractionResult:
        """A modal submission the bot never opened: ``custom_id`` with text inputs ``values``
        (custom_id -> text, any length), sent from ``channel``."""
        rows = [
            {"type": 1, "components": [{"type": TEXT_INPUT, "custom_id": key, "value": text}]}
            for key, text in values.items()
        ]
        data = {"custom_id": custom_id, "components": rows}
        result = self._dispatch(MODAL_SUBMIT, channel, data, message=message)
        if wait:
            await result.wait_response(timeout)
        return result

    # ------------------------------------------------------------------ messages

    async def say(
        self, channel: Channel, content: str, *, reply_to: Message | None = None
    ) -> Message:
        """Post a message as this member (MESSAGE_CREATE reaches the bot)."""
        payload: dict[str, Any] = {"content": content}
        if reply_to is not None:
            payload["message_reference"] = {"message_id": str(reply_to.id)}
        if channel.is_thread:
            channel.thread_member_ids.add(self.member.id)
        return create_message(self.emulator, channel, self.member.user, payload)

    # ------------------------------------------------------------------ internals

    def _dispatch(
        self,
        itype: int,
        channel: Channel,
        data: dict[str, Any],
        *,
        message: Message | None = None,
    ) -> InteractionResult:
        emu = self.emulator
        if not emu.gateway.connected_to(channel.guild.id):
            raise InteractionFailed("no client is connected to the emulator's gateway "
                                    f"for guild {channel.guild.id} (or its shard)")
        interaction_id = emu.snowflake()
        raw = f"interaction:{interaction_id}:{secrets.token_urlsafe(48)}"
        token = "aW50ZXJhY3Rpb246" + base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        guild = channel.guild
        bot_member = guild.bot_member
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(emu.application_id),
            "type": itype,
            "token": token,
            "version": 1,
            "guild_id": str(guild.id),
            "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
            "channel_id": str(channel.id),
            "channel": channel.to_partial(permissions=self.member.permissions),
            "member": self.member.to_dict(with_permissions=True),
            "app_permissions": str(bot_member.permissions),
            "locale": self.locale,
            "guild_locale": guild.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "authorizing_integration_owners": {"0": str(guild.id)},
            "context": 0,
            "attachment_size_limit": emu.attachment_size_limit,
            "data": data,
        }
        if message is not None:
            payload["message"] = message.to_dict()
        result = InteractionResult(
            emulator=emu,
            id=interaction_id,
            token=token,
            interaction_type=itype,
            payload=payload,
            member=self.member,
            channel=channel,
            source_message=message,
            dispatched_at=time.monotonic(),
        )
        emu._register_interaction(result)
        emu._dispatch("INTERACTION_CREATE", payload)
        return result

    def _check_visible(self, command: dict[str, Any]) -> None:
        needed = command.get("default_member_permissions")
        if needed is None:
            return
        needed = int(needed)
        granted = self.member.guild.command_grants.get(command["name"], set())
        if granted & {role.id for role in self.member.roles}:
            return
        if self.member.permissions & needed != needed:
            raise InvalidInvocation(
                f"/{command['name']} needs permissions {needed:#x} (default_member_permissions); "
                f"{self.member.name} has {self.member.permissions:#x} and cannot see it"
            )

    def _visible_message(self, message: Message | InteractionResult) -> Message:
        msg = message.message if isinstance(message, InteractionResult) else message
        if msg is None:
            raise InvalidInvocation("that interaction produced no message to interact with")
        if msg.deleted:
            raise InvalidInvocation(f"message {msg.id} was deleted")
        if msg.ephemeral:
            owner = (msg.interaction_metadata or {}).get("user", {}).get("id")
            if owner != str(self.member.id):
                raise InvalidInvocation(
                    f"message {msg.id} is ephemeral and not visible to this user"
                )
        return msg

    @staticmethod
    def _component(message: Message, custom_id: str, types: tuple[int, ...]) -> dict[str, Any]:
        component = message.component(custom_id)
        if component is None or component.get("type") not in types:
            raise InvalidInvocation(
                f"message {message.id} has no component {custom_id!r} (has {message.custom_ids})"
            )
        if component.get("disabled"):
            raise InvalidInvocation(f"component {custom_id!r} is disabled")
        return component

    def _select_values(
        self, component: dict[str, Any], values: list[Any], guild: Guild
    ) -> tuple[list[str], dict[str, Any]]:
        low = component.get("min_values", 1)
        high = component.get("max_values", 1)
        if not low <= len(values) <= high:
            raise InvalidInvocation(
                f"select {component['custom_id']!r} takes {low}..{high} values, got {len(values)}"
            )
        if component["type"] == STRING_SELECT:
            allowed = [o["value"] for o in component.get("options", [])]
            bad = [v for v in values if v not in allowed]
            if bad:
                raise InvalidInvocation(
                    f"select {component['custom_id']!r}: {bad} not in {allowed}"
                )
            return [str(v) for v in values], {}
        resolver = _Resolver(self.emulator, guild)
        resolved: dict[str, dict[str, Any]] = {}
        wire: list[str] = []
        for value in values:
            if isinstance(value, Member | User):
                user, member = resolver.user(value)
                resolved.setdefault("users", {})[user["id"]] = user
                if member is not None:
                    resolved.setdefault("members", {})[user["id"]] = member
                wire.append(user["id"])
            elif isinstance(value, Role):
                resolved.setdefault("roles", {})[str(value.id)] = resolver.role(value)
                wire.append(str(value.id))
            elif isinstance(value, Channel):
                resolved.setdefault("channels", {})[str(value.id)] = resolver.channel(value)
                wire.append(str(value.id))
            else:
                raise InvalidInvocation(
                    f"select {component['custom_id']!r} needs models, got {value!r}"
                )
        return wire, resolved

    def _modal_component(self, comp: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        ctype = comp.get("type")
        out: dict[str, Any] = {"type": ctype}
        if "id" in comp:
            out["id"] = comp["id"]
        if ctype == 1:
            out["components"] = [self._modal_input(c, values) for c in comp.get("components", [])]
        elif ctype == LABEL:
            out["component"] = self._modal_input(comp["component"], values)
        return out

    def _modal_input(self, comp: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        custom_id = comp.get("custom_id", "")
        out: dict[str, Any] = {"type": comp["type"], "custom_id": custom_id}
        if "id" in comp:
            out["id"] = comp["id"]
        if comp["type"] == TEXT_INPUT:
            text = values.get(custom_id, comp.get("value") or "")
            if not isinstance(text, str):
                raise InvalidInvocation(f"text input {custom_id!r} takes a string, got {text!r}")
            required = comp.get("required", True)
            if required and not text:
                raise InvalidInvocation(f"text input {custom_id!r} is required")
            if text and len(text) < (comp.get("min_length") or 0):
                raise InvalidInvocation(
                    f"text input {custom_id!r} needs at least {comp['min_length']} chars"
                )
            if len(text) > (comp.get("max_length") or 4000):
                raise InvalidInvocation(
                    f"text input {custom_id!r} allows at most {comp.get('max_length')} chars"
                )
            out["value"] = text
        else:
            chosen = list(values.get(custom_id, []))
            out["values"], resolved = self._select_values(comp, chosen, self.member.guild)
            if resolved:
                out["resolved"] = resolved
        return out
