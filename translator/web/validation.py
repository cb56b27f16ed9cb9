"""Request bodies: JSON only, within the limits, valid against the OpenAPI request schemas.

The schemas are the ones in ``openapi.yaml`` (validated with jsonschema's
Draft 2020-12 validator, which OpenAPI 3.1 schemas are), so the documented
contract and the checks cannot drift apart. Every failure is an
:class:`~translator.web.errors.ApiError` with one clear message.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Sequence
from typing import Any

from flask import request
from jsonschema import Draft202012Validator, ValidationError
from jsonschema.exceptions import relevance
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ..config import Settings
from ..text.control import describe_control_character, find_control_character
from .errors import ApiError
from .openapi import load_spec

__all__ = ["check_char_limit", "check_text_limits", "json_body", "max_body_bytes", "query_flag",
           "query_positive_int", "schema_validator"]

_SPEC_URI = "urn:translator:openapi"


def max_body_bytes(settings: Settings) -> int:
    """The largest request body accepted, derived from the character and item limits.

    JSON may escape every character as ``\\uXXXX`` (6 bytes); each item adds its
    quotes and separators; 64 KiB leave room for the other fields.
    """
    return 6 * settings.max_chars + 16 * settings.max_texts + 64 * 1024


@functools.cache
def schema_validator(name: str) -> Draft202012Validator:
    """A validator for ``components.schemas.<name>`` of the OpenAPI document.

    Schemas marked ``x-checked-by: glossary`` (glossary terms and flags) are checked for their
    type only: the glossary's own checks, which also read the glossary file, then answer with
    the glossary's messages (the document states the same rule; a test holds them together).
    """
    resource = Resource.from_contents(_checked_spec(), default_specification=DRAFT202012)
    registry = Registry().with_resource(_SPEC_URI, resource)
    return Draft202012Validator({"$ref": f"{_SPEC_URI}#/components/schemas/{name}"}, registry=registry)


@functools.cache
def _checked_spec() -> dict[str, Any]:
    spec = copy.deepcopy(load_spec())
    for name, schema in spec["components"]["schemas"].items():
        if schema.get("x-checked-by") == "glossary":
            kind = schema["type"]
            spec["components"]["schemas"][name] = (
                {"type": "array", "items": {"type": "string"}} if kind == "array"
                else {"type": kind, **({"minLength": 1} if schema.get("minLength") else {})})
    return spec


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))


def json_body(schema: str) -> dict[str, Any]:
    """The request's JSON body, checked: 415 unless JSON, 413 over the byte limit, 400 if invalid."""
    if not _is_json(request.mimetype):
        shown = request.mimetype or "none"
        raise ApiError(415, f"send the body as application/json (Content-Type was {shown})")
    raw = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ApiError(400, f"malformed JSON: {exc}") from None
    _reject_unusable_text(data)
    errors = list(schema_validator(schema).iter_errors(data))
    if errors:
        raise ApiError(400, describe_error(max(errors, key=relevance)))
    return data


def _reject_unusable_text(value: Any, where: tuple = ()) -> None:
    """Every string of the body (keys included) must be text a model and an HTML parser can take: no
    lone surrogate (JSON allows ``"\\ud800"``) and no control character but tab, newline and carriage
    return (:mod:`translator.text.control`): 400 naming the field."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ApiError(400, f"{_location(where)}: invalid Unicode (a lone surrogate escape)") from None
        offset = find_control_character(value)
        if offset is not None:
            raise ApiError(400, f"{_location(where)}: {describe_control_character(value, offset)}; only tab, "
                                "newline and carriage return are allowed")
    elif isinstance(value, dict):
        for key, item in value.items():
            _reject_unusable_text(key, where)
            _reject_unusable_text(item, where + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _reject_unusable_text(item, where + (index,))


def check_text_limits(texts: Sequence[str], settings: Settings) -> None:
    """413 when a request has more items or characters than the service accepts."""
    if len(texts) > settings.max_texts:
        raise ApiError(413, f"too many texts: {len(texts)} (at most {settings.max_texts} per request)")
    check_char_limit(texts, settings)


def check_char_limit(texts: Sequence[str], settings: Settings) -> None:
    """413 when ``texts`` add up to more characters than the service accepts in one request."""
    total = sum(len(t) for t in texts)
    if total > settings.max_chars:
        raise ApiError(413, f"too much text: {total} characters (at most {settings.max_chars} per request)")


def query_flag(name: str, default: bool) -> bool:
    """The boolean query parameter ``name`` (``true``/``false``, ``1``/``0``); 400 for anything else."""
    raw = request.args.get(name)
    if raw is None:
        return default
    value = _FLAGS.get(raw.strip().lower())
    if value is None:
        raise ApiError(400, f"query parameter {name!r} must be true or false, not {raw!r}")
    return value


def query_positive_int(name: str) -> int | None:
    """The positive integer query parameter ``name``, or None when absent; 400 for anything else."""
    raw = request.args.get(name)
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise ApiError(400, f"query parameter {name!r} must be a positive integer, not {raw!r}")
    return int(raw)


_FLAGS = {"true": True, "1": True, "false": False, "0": False}


# -- messages ----------------------------------------------------------------------------------

def _location(path: Sequence) -> str:
    if not path:
        return "request body"
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


_TYPE_PHRASES = {"string": "a string", "boolean": "true or false", "integer": "an integer",
                 "number": "a number", "object": "a JSON object", "array": "a list", "null": "null"}


def _json_type_of_schema(schema: dict) -> str | None:
    """What :func:`_json_type` says of values of a single-type schema."""
    kind = schema.get("type")
    return {"string": "a string", "array": "a list", "object": "an object", "boolean": "a boolean",
            "integer": "a number", "number": "a number", "null": "null"}.get(kind) if isinstance(kind, str) else None


def _schema_phrase(schema: dict) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(_TYPE_PHRASES.get(k, k) for k in kind)
    if kind == "array" and isinstance(schema.get("items"), dict) and "type" in schema["items"]:
        return f"a list of {schema['items']['type']}s"
    return _TYPE_PHRASES.get(kind, "a valid value")


def describe_error(error: ValidationError) -> str:
    """One sentence naming the field and what it should be."""
    where = _location(error.absolute_path)
    if error.validator == "required":
        missing = [p for p in error.validator_value if p not in error.instance]
        return f"missing required field {missing[0]!r}" + (f" in {where}" if error.absolute_path else "")
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(k for k in error.instance if k not in allowed)
        return f"unknown field {unknown[0]!r} in {where}; allowed: {', '.join(allowed)}"
    if error.validator == "type":
        return f"{where}: expected {_schema_phrase(error.schema)}, got {_json_type(error.instance)}"
    if error.validator in ("anyOf", "oneOf"):
        # When one alternative has the value's JSON type, its own error is the useful one
        # ("text[1]: expected a string", not "text: expected a string or a list of strings").
        for index, option in enumerate(error.validator_value):
            if _json_type(error.instance) == _json_type_of_schema(option):
                inner = [e for e in error.context or () if e.relative_schema_path[0] == index]
                if inner:
                    return describe_error(max(inner, key=relevance))
        options = " or ".join(_schema_phrase(s) for s in error.validator_value)
        return f"{where}: expected {options}, got {_json_type(error.instance)}"
    if error.validator == "maxItems" and isinstance(error.instance, list):
        return f"{where}: at most {error.validator_value} items, got {len(error.instance)}"
    if error.validator == "maxLength" and isinstance(error.instance, str):
        return f"{where}: at most {error.validator_value} characters, got {len(error.instance)}"
    if error.validator == "minLength" and error.validator_value == 1:
        return f"{where}: must not be empty"
    if error.validator == "enum":
        allowed = ", ".join(repr(v) for v in error.validator_value)
        return f"{where}: {error.instance!r} is not supported (use {allowed})"
    return f"{where}: {error.message}"
