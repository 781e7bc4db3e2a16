"""Extra variables: AWX's JSON-or-YAML text, parsed without ever expanding YAML aliases."""

from __future__ import annotations

import json
import typing as t

import yaml

from ..errors import BadRequest, field_error

__all__ = ["parse_vars", "check_vars_text", "VarsError", "VarsTooLarge", "MAX_EXPANDED"]

# How big a document's aliases may make it once expanded (characters plus one per node);
# AWX stores such text verbatim, but a launch has to write every alias out.
MAX_EXPANDED = 10 * 1024 * 1024


class VarsError(ValueError):
    """The text is neither a JSON nor a YAML mapping; ``str()`` is AWX's message."""


class VarsTooLarge(BadRequest):
    """400 ``{"extra_vars": [...]}``: YAML aliases that would expand past ``MAX_EXPANDED`` (or loop)."""

    def __init__(self) -> None:
        super().__init__({"extra_vars": [
            f"The YAML aliases in these variables expand to more than {MAX_EXPANDED} characters (or refer to themselves); "
            "they cannot be used to launch."
        ]})


def _expanded_size(value: t.Any) -> float:
    """The size of ``value`` with every shared reference written out; ``inf`` for a cycle."""
    sizes: dict[int, float] = {}
    stack: list[tuple[t.Any, bool]] = [(value, False)]
    active: set[int] = set()
    while stack:  # iterative post-order walk: YAML nesting may be deeper than Python's stack
        node, done = stack.pop()
        key = id(node)
        if not isinstance(node, (dict, list)):
            sizes[key] = len(node) if isinstance(node, str) else 1
            continue
        children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
        if done:
            active.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            continue
        if key in active:
            return float("inf")
        if key in sizes:
            continue
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes or not isinstance(child, (dict, list)))
    return sizes[id(value)]


def _yaml_mapping(text: str) -> dict[str, t.Any]:
    loaded = yaml.safe_load(text)
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise VarsError(f"Input type `{type(loaded).__name__}` is not a dictionary")
    return loaded


def parse_vars(text: t.Any) -> dict[str, t.Any]:
    """The mapping in ``text``, ready to be written out in full (a launch); ``VarsTooLarge`` for alias bombs."""
    loaded = _parse(text)
    # only YAML aliases share references, and they need both an anchor and an alias
    if isinstance(text, str) and "&" in text and "*" in text and _expanded_size(loaded) > MAX_EXPANDED:
        raise VarsTooLarge()
    return loaded


def _parse(text: t.Any) -> dict[str, t.Any]:
    """The mapping in ``text`` (``{}`` when blank), aliases kept shared; ``VarsError`` with AWX's message otherwise."""
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
        # YAML nests flow collections the same way and would only fail slower, holding the store
        raise VarsError("Cannot parse as JSON (error: maximum nesting depth exceeded) or YAML "
                        "(error: maximum nesting depth exceeded).") from None
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
        _parse(value)
    except VarsError as exc:
        raise field_error(field, str(exc)) from None
