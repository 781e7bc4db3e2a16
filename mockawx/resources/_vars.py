"""Extra variables: AWX's JSON-or-YAML text, parsed without ever expanding YAML aliases."""

from __future__ import annotations

import json
import typing as t

import yaml

from ..errors import field_error

__all__ = ["parse_vars", "check_vars_text", "VarsError"]


class VarsError(ValueError):
    """The text is neither a JSON nor a YAML mapping; ``str()`` is AWX's message."""


def _yaml_mapping(text: str) -> dict[str, t.Any]:
    loaded = yaml.safe_load(text)
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise VarsError(f"Input type `{type(loaded).__name__}` is not a dictionary")
    return loaded


def parse_vars(text: t.Any) -> dict[str, t.Any]:
    """The mapping in ``text`` (``{}`` when blank); ``VarsError`` with AWX's message otherwise."""
    if isinstance(text, dict):
        return text
    if text is None or str(text).strip() == "":
        return {}
    text = str(text)
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as exc:
        json_error = str(exc)
    except RecursionError:
        json_error = "maximum nesting depth exceeded"
    else:
        if isinstance(loaded, dict):
            return loaded
        message = f"Input type `{type(loaded).__name__}` is not a dictionary"
        raise VarsError(f"Cannot parse as JSON (error: {message}) or YAML (error: {message}).")
    try:
        return _yaml_mapping(text)
    except (yaml.YAMLError, VarsError, RecursionError) as exc:
        raise VarsError(f"Cannot parse as JSON (error: {json_error}) or YAML (error: {exc}).") from None


def check_vars_text(field: str, value: t.Any) -> None:
    """400 ``{field: [AWX's parse message]}`` unless ``value`` is blank or a mapping."""
    try:
        parse_vars(value)
    except VarsError as exc:
        raise field_error(field, str(exc)) from None
