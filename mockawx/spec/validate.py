"""Check a request body against a write schema the way AWX's serializers do.

AWX coerces before it validates ("true" and 1 are booleans, 5 is a fine name), so each
property is first coerced by its schema type, then the body is checked with jsonschema and
every violation becomes AWX's message for that field.
"""

from __future__ import annotations

import functools
import json
import typing as t

import jsonschema

__all__ = ["compile_validator", "validate_body", "coerce_value"]

Schema = dict[str, t.Any]
Errors = dict[str, list[str]]

TRUE_VALUES = {"t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1", 1, True}
FALSE_VALUES = {"f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0", 0, False}
NULL_TEXTS = {"null", "Null", "NULL", ""}


def types_of(schema: Schema) -> tuple[str, ...]:
    """The JSON types a property allows (``type`` may be a string or a list)."""
    declared = schema.get("type")
    if declared is None:
        for option in schema.get("anyOf", []) + schema.get("oneOf", []):
            if isinstance(option, dict) and "type" in option:
                declared = [*(declared or []), *_listify(option["type"])]
    return tuple(_listify(declared)) if declared is not None else ()


def _listify(value: t.Any) -> list[str]:
    return list(value) if isinstance(value, list) else [value]


NULL_CHARACTERS = "Null characters are not allowed."


def coerce_value(schema: Schema, value: t.Any) -> t.Any:
    """DRF's input coercion for one property; values it cannot coerce come back unchanged."""
    kinds = types_of(schema)
    if value is None or not kinds:
        return value
    if "boolean" in kinds and not isinstance(value, (list, dict)):
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        if "null" in kinds and value in NULL_TEXTS:
            return None
        return value
    if "integer" in kinds and not isinstance(value, bool):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        return value
    if "string" in kinds and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


@functools.lru_cache(maxsize=512)
def _compile(schema_json: str) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_json)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema)


def compile_validator(schema: Schema, *, partial: bool) -> jsonschema.protocols.Validator:
    """A jsonschema validator for the body; PATCH (``partial``) drops ``required``."""
    checked = {k: v for k, v in schema.items() if not (partial and k == "required")}
    checked["properties"] = {
        name: {k: v for k, v in prop.items() if not k.startswith("x-") and k != "default"}
        for name, prop in schema.get("properties", {}).items()
    }
    return _compile(json.dumps(checked, sort_keys=True))


def validate_body(schema: Schema, body: t.Mapping[str, t.Any], *, partial: bool = False) -> tuple[dict[str, t.Any], Errors]:
    """Coerce and check ``body``; returns the known fields (coerced) and AWX field errors."""
    properties: dict[str, Schema] = schema.get("properties", {})
    cleaned = {name: coerce_value(properties[name], value) for name, value in body.items() if name in properties}
    errors: Errors = {}
    for error in compile_validator(schema, partial=partial).iter_errors(cleaned):
        field, message = _message(error, properties, cleaned)
        errors.setdefault(field, [])
        if message not in errors[field]:
            errors[field].append(message)
    for name, value in cleaned.items():
        # DRF's CharField refuses NUL (PostgreSQL cannot store it), after its length checks
        if isinstance(value, str) and "\x00" in value and "string" in types_of(properties[name]):
            errors.setdefault(name, []).append(NULL_CHARACTERS)
    return cleaned, errors


def _message(error: jsonschema.ValidationError, properties: dict[str, Schema], body: dict[str, t.Any]) -> tuple[str, str]:
    if error.validator == "required":
        missing = str(error.message).split("'")[1]
        return missing, "This field is required."
    field = str(error.path[0]) if error.path else "__all__"
    prop = properties.get(field, {})
    value = body.get(field)
    custom = prop.get("x-error-messages", {}).get(error.validator)
    if custom:
        return field, str(custom).format(value=value, limit=error.validator_value)
    if value is None and error.validator in ("type", "enum"):
        return field, "This field may not be null."
    return field, _keyword_message(str(error.validator), error.validator_value, prop, value)


def _keyword_message(keyword: str, limit: t.Any, prop: Schema, value: t.Any) -> str:
    if keyword == "maxLength":
        return f"Ensure this field has no more than {limit} characters."
    if keyword == "minLength":
        return "This field may not be blank." if limit == 1 else f"Ensure this field has at least {limit} characters."
    if keyword == "enum":
        return f'"{value}" is not a valid choice.'
    if keyword == "maximum":
        return f"Ensure this value is less than or equal to {limit}."
    if keyword == "minimum":
        return f"Ensure this value is greater than or equal to {limit}."
    if keyword == "type":
        return _type_message(prop, value)
    return "Invalid value."


def _type_message(prop: Schema, value: t.Any) -> str:
    kinds = types_of(prop)
    if "x-foreign-key" in prop:
        return f"Incorrect type. Expected pk value, received {type(value).__name__}."
    if "boolean" in kinds:
        return "Must be a valid boolean."
    if "integer" in kinds:
        return "A valid integer is required."
    if "number" in kinds:
        return "A valid number is required."
    if "string" in kinds:
        return "Not a valid string."
    if "object" in kinds:
        return f'Expected a dictionary of items but got type "{type(value).__name__}".'
    if "array" in kinds:
        return f'Expected a list of items but got type "{type(value).__name__}".'
    return "Invalid value."
