"""Discord's payload limits, checked the way Discord checks them.

Each ``check_*`` function returns a list of :class:`FieldError`; :func:`invalid_form_body` turns
them into Discord's ``50035 Invalid Form Body`` JSON with errors nested per field. Numbers come from
Discord's API v10 documentation and its OpenAPI description (``RichEmbed``,
``IncomingWebhookRequestPartial``, ``ModalInteractionCallbackRequestData`` ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_TEXT_MAX = 2048
EMBED_AUTHOR_NAME_MAX = 256
EMBED_URL_MAX = 2048
EMBED_TOTAL_MAX = 6000
ACTION_ROWS_MAX = 5
ROW_WIDTH = 5
BUTTON_LABEL_MAX = 80
BUTTON_URL_MAX = 512
CUSTOM_ID_MAX = 100
SELECT_OPTIONS_MAX = 25
SELECT_OPTION_TEXT_MAX = 100
SELECT_PLACEHOLDER_MAX = 150
SELECT_VALUES_MAX = 25
COMPONENTS_V2_TOTAL_MAX = 40
TEXT_DISPLAY_TOTAL_MAX = 4000
MODAL_TITLE_MAX = 45
MODAL_COMPONENTS_MAX = 5
TEXT_INPUT_LABEL_MAX = 45
TEXT_INPUT_PLACEHOLDER_MAX = 100
TEXT_INPUT_LENGTH_MAX = 4000
LABEL_DESCRIPTION_MAX = 100
AUTOCOMPLETE_CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_STRING_VALUE_MAX = 100
ATTACHMENTS_MAX = 10
ALLOWED_MENTIONS_IDS_MAX = 100
COMMAND_NAME_MAX = 32
COMMAND_DESCRIPTION_MAX = 100
COMMAND_OPTIONS_MAX = 25
COMMAND_CHOICES_MAX = 25
GLOBAL_CHAT_COMMANDS_MAX = 100

FLAG_EPHEMERAL = 1 << 6
FLAG_COMPONENTS_V2 = 1 << 15

SELECT_TYPES = (3, 5, 6, 7, 8)
_COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class FieldError:
    """One rejected field: its path in the JSON body, Discord's error code and message."""

    path: Path
    code: str
    message: str

    @property
    def field(self) -> str:
        """Dotted path such as ``data.embeds.0.description``."""
        return ".".join(str(p) for p in self.path)


def invalid_form_body(errors: Iterable[FieldError]) -> dict[str, Any]:
    """Discord's 400 body: ``{"code": 50035, "message": "Invalid Form Body", "errors": {...}}``."""
    tree: dict[str, Any] = {}
    for err in errors:
        node = tree
        for part in err.path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": err.code, "message": err.message})
    return {"code": 50035, "message": "Invalid Form Body", "errors": tree}


class _Checker:
    def __init__(self, base: Path = ()) -> None:
        self.base = base
        self.errors: list[FieldError] = []

    def add(self, path: Path, code: str, message: str) -> None:
        self.errors.append(FieldError(self.base + path, code, message))

    def max_len(self, path: Path, value: Any, limit: int) -> None:
        if isinstance(value, str | list) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def bad_len(self, path: Path, value: Any, low: int, high: int) -> None:
        if isinstance(value, str | list) and not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def required(self, path: Path, value: Any) -> bool:
        if value is None or value == "":
            self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
            return False
        return True

    def int_range(self, path: Path, value: Any, low: int, high: int) -> None:
        if value is None:
            return
        if not isinstance(value, int) or isinstance(value, bool):
            self.add(path, "NUMBER_TYPE_COERCE", f'Value "{value}" is not int.')
        elif value < low:
            self.add(
                path, "NUMBER_TYPE_MIN", f"int value should be greater than or equal to {low}."
            )
        elif value > high:
            self.add(path, "NUMBER_TYPE_MAX", f"int value should be less than or equal to {high}.")


# --------------------------------------------------------------------------- messages


def check_message(
    payload: dict[str, Any],
    *,
    base: Path = (),
    n_files: int = 0,
    creating: bool = True,
    has_existing_content: bool = False,
) -> tuple[list[FieldError], dict[str, Any] | None]:
    """Check a message body (channel message, interaction response data, followup, edit).

    Returns ``(field_errors, other_error)`` where ``other_error`` is a non-form Discord error body
    such as ``50006 Cannot send an empty message``.
    """
    c = _Checker(base)
    flags = payload.get("flags") or 0
    content = payload.get("content")
    if content is not None and not isinstance(content, str):
        c.add(("content",), "BASE_TYPE_STRING", "Must be a string.")
    else:
        c.max_len(("content",), content, CONTENT_MAX)
    embeds = payload.get("embeds")
    if embeds is not None:
        _check_embeds(c, embeds)
    components = payload.get("components")
    if components is not None:
        check_message_components(c, components, v2=bool(flags & FLAG_COMPONENTS_V2))
    attachments = payload.get("attachments")
    if isinstance(attachments, list):
        c.max_len(("attachments",), attachments, ATTACHMENTS_MAX)
    if n_files > ATTACHMENTS_MAX:
        c.add(("files",), "BASE_TYPE_MAX_LENGTH", f"Must be {ATTACHMENTS_MAX} or fewer in length.")
    allowed = payload.get("allowed_mentions")
    if isinstance(allowed, dict):
        _check_allowed_mentions(c, allowed)
    if flags & FLAG_COMPONENTS_V2:
        if content:
            c.add(
                ("content",),
                "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'content' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
            )
        if embeds:
            c.add(
                ("embeds",),
                "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'embeds' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
            )
    other = None
    if creating and not c.errors:
        empty = (
            not content
            and not embeds
            and not components
            and not n_files
            and not payload.get("sticker_ids")
            and not payload.get("poll")
            and not has_existing_content
        )
        if empty:
            other = {"code": 50006, "message": "Cannot send an empty message"}
    return c.errors, other


def _check_embeds(c: _Checker, embeds: Any) -> None:
    if not isinstance(embeds, list):
        c.add(("embeds",), "BASE_TYPE_ARRAY", "Must be an array.")
        return
    c.max_len(("embeds",), embeds, EMBEDS_MAX)
    total = 0
    for i, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            c.add(
                ("embeds", i), "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"
            )
            continue
        p: Path = ("embeds", i)
        c.max_len((*p, "title"), embed.get("title"), EMBED_TITLE_MAX)
        c.max_len((*p, "description"), embed.get("description"), EMBED_DESCRIPTION_MAX)
        c.max_len((*p, "url"), embed.get("url"), EMBED_URL_MAX)
        c.int_range((*p, "color"), embed.get("color"), 0, 0xFFFFFF)
        total += len(embed.get("title") or "") + len(embed.get("description") or "")
        fields = embed.get("fields") or []
        c.max_len((*p, "fields"), fields, EMBED_FIELDS_MAX)
        for j, fld in enumerate(fields):
            fp: Path = (*p, "fields", j)
            if c.required((*fp, "name"), fld.get("name")):
                c.max_len((*fp, "name"), fld["name"], EMBED_FIELD_NAME_MAX)
            if c.required((*fp, "value"), fld.get("value")):
                c.max_len((*fp, "value"), fld["value"], EMBED_FIELD_VALUE_MAX)
            total += len(fld.get("name") or "") + len(fld.get("value") or "")
        footer = embed.get("footer")
        if isinstance(footer, dict):
            if c.required((*p, "footer", "text"), footer.get("text")):
                c.max_len((*p, "footer", "text"), footer["text"], EMBED_FOOTER_TEXT_MAX)
            total += len(footer.get("text") or "")
        author = embed.get("author")
        if isinstance(author, dict):
            if c.required((*p, "author", "name"), author.get("name")):
                c.max_len((*p, "author", "name"), author["name"], EMBED_AUTHOR_NAME_MAX)
            total += len(author.get("name") or "")
    if total > EMBED_TOTAL_MAX:
        c.add(
            ("embeds",),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )


def _check_allowed_mentions(c: _Checker, allowed: dict[str, Any]) -> None:
    parse = allowed.get("parse") or []
    for i, kind in enumerate(parse):
        if kind not in ("users", "roles", "everyone"):
            c.add(
                ("allowed_mentions", "parse", i),
                "BASE_TYPE_CHOICES",
                "Value must be one of {'users', 'roles', 'everyone'}.",
            )
    for key in ("users", "roles"):
        ids = allowed.get(key) or []
        c.max_len(("allowed_mentions", key), ids, ALLOWED_MENTIONS_IDS_MAX)
        if ids and key in parse:
            c.add(
                ("allowed_mentions",),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{key}"] and {key}: [ids...] are mutually exclusive.',
            )


def check_message_components(c: _Checker, components: Any, *, v2: bool) -> None:
    """Action rows, buttons, selects (and a structural pass over Components V2 layouts)."""
    if not isinstance(components, list):
        c.add(("components",), "BASE_TYPE_ARRAY", "Must be an array.")
        return
    seen: set[str] = set()
    if v2:
        total = _count_components(components)
        if total > COMPONENTS_V2_TOTAL_MAX:
            c.add(
                ("components",),
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {COMPONENTS_V2_TOTAL_MAX} or fewer in length.",
            )
        _check_v2_tree(c, ("components",), components, seen)
        return
    c.max_len(("components",), components, ACTION_ROWS_MAX)
    for i, row in enumerate(components):
        p: Path = ("components", i)
        if not isinstance(row, dict) or row.get("type") != 1:
            c.add(
                (*p, "type"),
                "UNION_TYPE_CHOICES",
                'Value of field "type" must be one of (1,).',
            )
            continue
        _check_row(c, p, row, seen)


def _count_components(components: list[Any]) -> int:
    from playground.model import iter_components

    return sum(1 for _ in iter_components(components))


def _check_v2_tree(c: _Checker, path: Path, components: list[Any], seen: set[str]) -> None:
    for i, comp in enumerate(components):
        if not isinstance(comp, dict):
            continue
        p: Path = (*path, i)
        ctype = comp.get("type")
        if ctype == 1:
            _check_row(c, p, comp, seen)
        elif ctype == 2:
            _check_button(c, p, comp, seen)
        elif ctype in SELECT_TYPES:
            _check_select(c, p, comp, seen)
        elif ctype == 10:
            c.max_len((*p, "content"), comp.get("content"), TEXT_DISPLAY_TOTAL_MAX)
        children = comp.get("components")
        if isinstance(children, list) and ctype != 1:
            _check_v2_tree(c, (*p, "components"), children, seen)
        accessory = comp.get("accessory")
        if isinstance(accessory, dict) and accessory.get("type") == 2:
            _check_button(c, (*p, "accessory"), accessory, seen)


def _check_row(c: _Checker, p: Path, row: dict[str, Any], seen: set[str]) -> None:
    children = row.get("components") or []
    if not children:
        c.add(
            (*p, "components"),
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between 1 and {ROW_WIDTH} in length.",
        )
        return
    c.bad_len((*p, "components"), children, 1, ROW_WIDTH)
    has_select = any(isinstance(x, dict) and x.get("type") in SELECT_TYPES for x in children)
    if has_select and len(children) > 1:
        c.add(
            (*p, "components"),
            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            "The specified component exceeds the maximum width",
        )
    for j, comp in enumerate(children):
        cp: Path = (*p, "components", j)
        if not isinstance(comp, dict):
            continue
        if comp.get("type") == 2:
            _check_button(c, cp, comp, seen)
        elif comp.get("type") in SELECT_TYPES:
            _check_select(c, cp, comp, seen)
        else:
            c.add(
                (*cp, "type"),
                "UNION_TYPE_CHOICES",
                'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).',
            )


def _check_custom_id(c: _Checker, p: Path, comp: dict[str, Any], seen: set[str]) -> None:
    custom_id = comp.get("custom_id")
    if not c.required((*p, "custom_id"), custom_id):
        return
    c.max_len((*p, "custom_id"), custom_id, CUSTOM_ID_MAX)
    if custom_id in seen:
        c.add(
            (*p, "custom_id"),
            "COMPONENT_CUSTOM_ID_DUPLICATED",
            "Component custom id cannot be duplicated",
        )
    seen.add(str(custom_id))


def _check_button(c: _Checker, p: Path, comp: dict[str, Any], seen: set[str]) -> None:
    style = comp.get("style")
    if style not in (1, 2, 3, 4, 5, 6):
        c.add((*p, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.")
    c.max_len((*p, "label"), comp.get("label"), BUTTON_LABEL_MAX)
    if style == 5:
        if c.required((*p, "url"), comp.get("url")):
            c.max_len((*p, "url"), comp.get("url"), BUTTON_URL_MAX)
        if comp.get("custom_id"):
            c.add(
                (*p, "custom_id"),
                "BUTTON_COMPONENT_LINK_CUSTOM_ID",
                "A link button cannot have a custom id",
            )
    elif style == 6:
        c.required((*p, "sku_id"), comp.get("sku_id"))
    else:
        _check_custom_id(c, p, comp, seen)
    if style != 6 and not comp.get("label") and not comp.get("emoji"):
        c.add(
            (*p, "label"),
            "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED",
            "A label or emoji is required",
        )


def _check_select(c: _Checker, p: Path, comp: dict[str, Any], seen: set[str]) -> None:
    _check_custom_id(c, p, comp, seen)
    c.max_len((*p, "placeholder"), comp.get("placeholder"), SELECT_PLACEHOLDER_MAX)
    c.int_range((*p, "min_values"), comp.get("min_values"), 0, SELECT_VALUES_MAX)
    c.int_range((*p, "max_values"), comp.get("max_values"), 1, SELECT_VALUES_MAX)
    if comp.get("type") != 3:
        return
    options = comp.get("options") or []
    if not options:
        c.add(
            (*p, "options"),
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between 1 and {SELECT_OPTIONS_MAX} in length.",
        )
        return
    c.bad_len((*p, "options"), options, 1, SELECT_OPTIONS_MAX)
    values: set[str] = set()
    for k, opt in enumerate(options):
        op: Path = (*p, "options", k)
        for key in ("label", "value"):
            if c.required((*op, key), opt.get(key)):
                c.max_len((*op, key), opt.get(key), SELECT_OPTION_TEXT_MAX)
        c.max_len((*op, "description"), opt.get("description"), SELECT_OPTION_TEXT_MAX)
        if opt.get("value") in values:
            c.add(
                (*op, "value"),
                "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                "Select component option values cannot be duplicated",
            )
        values.add(opt.get("value"))
    max_values = comp.get("max_values") or 1
    if isinstance(max_values, int) and max_values > len(options):
        c.add(
            (*p, "max_values"),
            "BASE_TYPE_MAX",
            f"int value should be less than or equal to {len(options)}.",
        )
    min_values = comp.get("min_values")
    if isinstance(min_values, int) and isinstance(max_values, int) and min_values > max_values:
        c.add(
            (*p, "min_values"),
            "BASE_TYPE_MAX",
            f"int value should be less than or equal to {max_values}.",
        )


# --------------------------------------------------------------------------- modals


def check_modal(data: Any, *, base: Path = ("data",)) -> list[FieldError]:
    """A modal (interaction response type 9)."""
    c = _Checker(base)
    if not isinstance(data, dict):
        c.add((), "BASE_TYPE_REQUIRED", "This field is required")
        return c.errors
    if c.required(("title",), data.get("title")):
        c.max_len(("title",), data["title"], MODAL_TITLE_MAX)
    if c.required(("custom_id",), data.get("custom_id")):
        c.max_len(("custom_id",), data["custom_id"], CUSTOM_ID_MAX)
    components = data.get("components") or []
    c.bad_len(("components",), components, 1, MODAL_COMPONENTS_MAX)
    seen: set[str] = set()
    for i, comp in enumerate(components):
        p: Path = ("components", i)
        ctype = comp.get("type") if isinstance(comp, dict) else None
        if ctype == 1:
            children = comp.get("components") or []
            c.bad_len((*p, "components"), children, 1, 1)
            for j, child in enumerate(children):
                _check_modal_input(c, (*p, "components", j), child, seen, in_label=False)
        elif ctype == 18:
            if c.required((*p, "label"), comp.get("label")):
                c.max_len((*p, "label"), comp["label"], TEXT_INPUT_LABEL_MAX)
            c.max_len((*p, "description"), comp.get("description"), LABEL_DESCRIPTION_MAX)
            child = comp.get("component")
            if c.required((*p, "component"), child):
                _check_modal_input(c, (*p, "component"), child, seen, in_label=True)
        elif ctype == 10:
            c.max_len((*p, "content"), comp.get("content"), TEXT_DISPLAY_TOTAL_MAX)
        else:
            c.add(
                (*p, "type"),
                "UNION_TYPE_CHOICES",
                'Value of field "type" must be one of (1, 10, 18).',
            )
    return c.errors


def _check_modal_input(
    c: _Checker, p: Path, comp: dict[str, Any], seen: set[str], *, in_label: bool
) -> None:
    ctype = comp.get("type")
    if ctype in SELECT_TYPES:
        _check_select(c, p, comp, seen)
        return
    if ctype != 4:
        return
    _check_custom_id(c, p, comp, seen)
    if comp.get("style") not in (1, 2):
        c.add((*p, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.")
    if not in_label and c.required((*p, "label"), comp.get("label")):
        c.max_len((*p, "label"), comp["label"], TEXT_INPUT_LABEL_MAX)
    c.max_len((*p, "placeholder"), comp.get("placeholder"), TEXT_INPUT_PLACEHOLDER_MAX)
    c.max_len((*p, "value"), comp.get("value"), TEXT_INPUT_LENGTH_MAX)
    c.int_range((*p, "min_length"), comp.get("min_length"), 0, TEXT_INPUT_LENGTH_MAX)
    c.int_range((*p, "max_length"), comp.get("max_length"), 1, TEXT_INPUT_LENGTH_MAX)


# --------------------------------------------------------------------------- autocomplete


def check_autocomplete(data: Any, *, base: Path = ("data",)) -> list[FieldError]:
    """Autocomplete choices (interaction response type 8)."""
    c = _Checker(base)
    choices = (data or {}).get("choices")
    if choices is None:
        c.add(("choices",), "BASE_TYPE_REQUIRED", "This field is required")
        return c.errors
    c.max_len(("choices",), choices, AUTOCOMPLETE_CHOICES_MAX)
    for i, choice in enumerate(choices):
        _check_choice(c, ("choices", i), choice)
    return c.errors


def _check_choice(c: _Checker, p: Path, choice: dict[str, Any]) -> None:
    name = choice.get("name")
    if c.required((*p, "name"), name):
        c.bad_len((*p, "name"), name, 1, CHOICE_NAME_MAX)
    value = choice.get("value")
    if isinstance(value, str):
        c.max_len((*p, "value"), value, CHOICE_STRING_VALUE_MAX)
    elif value is None:
        c.add((*p, "value"), "BASE_TYPE_REQUIRED", "This field is required")


# --------------------------------------------------------------------------- commands


def check_commands(commands: Any) -> list[FieldError]:
    """A bulk overwrite of application commands."""
    c = _Checker()
    if not isinstance(commands, list):
        c.add((), "BASE_TYPE_ARRAY", "Must be an array.")
        return c.errors
    chat = [x for x in commands if isinstance(x, dict) and x.get("type", 1) == 1]
    if len(chat) > GLOBAL_CHAT_COMMANDS_MAX:
        c.add((), "BASE_TYPE_MAX_LENGTH", f"Must be {GLOBAL_CHAT_COMMANDS_MAX} or fewer in length.")
    names: set[tuple[int, str]] = set()
    for i, cmd in enumerate(commands):
        _check_command(c, (i,), cmd)
        key = (cmd.get("type", 1), cmd.get("name"))
        if key in names:
            c.add(
                (i, "name"),
                "APPLICATION_COMMAND_ALREADY_EXISTS",
                "Application command names must be unique",
            )
        names.add(key)
    return c.errors


def _check_command(c: _Checker, p: Path, cmd: dict[str, Any]) -> None:
    chat = cmd.get("type", 1) == 1
    name = cmd.get("name")
    if c.required((*p, "name"), name):
        name = str(name)
        c.bad_len((*p, "name"), name, 1, COMMAND_NAME_MAX)
        if chat and (not _COMMAND_NAME.match(name) or name != name.lower()):
            c.add((*p, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    if chat:
        if c.required((*p, "description"), cmd.get("description")):
            c.bad_len((*p, "description"), cmd["description"], 1, COMMAND_DESCRIPTION_MAX)
        _check_options(c, (*p, "options"), cmd.get("options") or [], depth=0)


def _check_options(c: _Checker, p: Path, options: list[dict[str, Any]], *, depth: int) -> None:
    c.max_len(p, options, COMMAND_OPTIONS_MAX)
    seen_optional = False
    names: set[str] = set()
    for i, opt in enumerate(options):
        op: Path = (*p, i)
        name = opt.get("name")
        if c.required((*op, "name"), name):
            name = str(name)
            c.bad_len((*op, "name"), name, 1, COMMAND_NAME_MAX)
            if not _COMMAND_NAME.match(name) or name != name.lower():
                c.add((*op, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
            if name in names:
                c.add(
                    (*op, "name"),
                    "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                    "Option names must be unique",
                )
            names.add(name)
        if c.required((*op, "description"), opt.get("description")):
            c.bad_len((*op, "description"), opt["description"], 1, COMMAND_DESCRIPTION_MAX)
        otype = opt.get("type")
        if otype in (1, 2):
            if depth >= (1 if otype == 2 else 2):
                c.add(
                    (*op, "type"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-command nesting is too deep",
                )
            _check_options(c, (*op, "options"), opt.get("options") or [], depth=depth + 1)
            continue
        if opt.get("required"):
            if seen_optional:
                c.add(
                    (*op, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        choices = opt.get("choices") or []
        c.max_len((*op, "choices"), choices, COMMAND_CHOICES_MAX)
        for k, choice in enumerate(choices):
            _check_choice(c, (*op, "choices", k), choice)
        if choices and opt.get("autocomplete"):
            c.add(
                (*op, "autocomplete"),
                "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES",
                "Autocomplete cannot be set for options with choices",
            )
