"""The firm profile as a JSON Schema, generated from the bundle's vocabulary.

What `ProfileSchema` accepts, written down for clients: one property per vocabulary
attribute with its type, its allowed values, the money shape and the attribute's own
description. The HTTP API puts it in its OpenAPI document (`Profile`, `ProfileAttributes`),
so a client generated from that document has a typed profile, and a new attribute in
`vocabulary.rules` reaches the schema as it reaches validation: from the one vocabulary.
"""

from __future__ import annotations

from typing import Any, assert_never

from engine.inputs.money import AMOUNT_FORM, AMOUNT_HINT
from engine.inputs.persons import MAX_NAME, MAX_PERSONS
from engine.inputs.profiles import OPERATING_MODES
from rulesdsl import ir

JsonSchema = dict[str, Any]

# A bundled or ISO 3166-1 alpha-2 code; a sub-national regulator adds a local tag (AE-DU).
COUNTRY_PATTERN = "^[A-Z]{2}(-[A-Z]{2,4})?$"
AMOUNT_PATTERN = f"^{AMOUNT_FORM.pattern}$"
# The schema names the API's OpenAPI document gives them (`#/components/schemas/…`).
PROFILE = "Profile"
ATTRIBUTES = "ProfileAttributes"


def _amount(description: str) -> JsonSchema:
    return {
        "anyOf": [
            {"type": "string", "pattern": AMOUNT_PATTERN},
            {"type": "integer"},
        ],
        "description": f"{description}: {AMOUNT_HINT}, or a whole number",
    }


def _money(currencies: list[str]) -> JsonSchema:
    return {
        "anyOf": [
            {
                "type": "object",
                "properties": {
                    "amount": _amount("The amount"),
                    "currency": {"type": "string", "enum": currencies},
                },
                "required": ["amount", "currency"],
                "additionalProperties": False,
            },
            {
                "type": "string",
                "pattern": r"^[A-Z]{3} [0-9]+(\.[0-9]+)?$",
                "description": "'CUR amount', e.g. 'MYR 5000000'",
            },
        ]
    }


def _person(roles: list[str]) -> JsonSchema:
    country = {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2"}
    return {
        "type": "object",
        "properties": {
            "role": {"type": "string", "enum": roles},
            "residence": country,
            "nationality": country,
            "full_time": {"type": "boolean"},
            "name": {"type": "string", "minLength": 1, "maxLength": MAX_NAME},
        },
        "required": ["role", "residence", "nationality", "full_time"],
        "additionalProperties": False,
    }


def attribute_schema(attribute: ir.Attribute, currencies: list[str]) -> JsonSchema:
    """The JSON Schema of one attribute's values, as `attribute_annotation` checks them."""
    values = list(attribute.type.values)
    kind = attribute.type.kind
    schema: JsonSchema
    match kind:
        case "money":
            schema = _money(currencies)
        case "percentage":
            schema = {
                "anyOf": [
                    {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?%?$"},
                    {"type": "number", "minimum": 0, "maximum": 100},
                ]
            }
        case "integer":
            schema = {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^-?[0-9]+$"}]}
        case "boolean":
            schema = {"type": "boolean"}
        case "date":
            schema = {"type": "string", "format": "date"}
        case "country":
            schema = {"type": "string", "pattern": COUNTRY_PATTERN}
        case "enum":
            schema = {"type": "string", "enum": values}
        case "set":
            schema = {"type": "array", "items": {"type": "string", "enum": values}}
        case "persons":
            schema = {"type": "array", "items": _person(values), "maxItems": MAX_PERSONS}
        case unreachable:
            assert_never(unreachable)
    per_host = " Per host: give it under in_host." if attribute.per_host else ""
    return schema | {
        "title": attribute.name,
        "description": f"{attribute.description} ({kind}).{per_host}",
        "x-jawaz-type": kind,
    }


def profile_schemas(vocabulary: ir.Vocabulary, ref_prefix: str) -> dict[str, JsonSchema]:
    """`Profile` and `ProfileAttributes`, the second referred to as `ref_prefix` + its name."""
    currencies = sorted(c.code for c in vocabulary.currencies)
    attributes_ref = {"$ref": f"{ref_prefix}{ATTRIBUTES}"}
    attributes: JsonSchema = {
        "type": "object",
        "title": ATTRIBUTES,
        "description": "The firm's facts, one property per vocabulary attribute; all optional "
        "(a rule that reads one not given is `unknown`, with an `attribute` reason).",
        "properties": {a.name: attribute_schema(a, currencies) for a in vocabulary.attributes},
        "additionalProperties": False,
    }
    text = {"type": "string", "maxLength": 1000}
    profile: JsonSchema = {
        "type": "object",
        "title": PROFILE,
        "description": "A firm profile, as in examples/*.yaml.",
        "properties": {
            "name": text | {"description": "The firm's name (default: HOME LICENCE licensee)."},
            "home": {
                "type": "string",
                "pattern": COUNTRY_PATTERN,
                "description": "The jurisdiction whose licence the firm holds.",
            },
            "licence": text | {"description": "The licence held at home (its id)."},
            "operating_mode": {"type": "string", "enum": list(OPERATING_MODES)},
            "activities": {
                "type": "array",
                "items": {"type": "string", "enum": [a.id for a in vocabulary.activities]},
            },
            "attributes": attributes_ref,
            "in_host": {
                "type": "object",
                "description": "Host code → the attributes as they stand for that host.",
                "additionalProperties": attributes_ref,
            },
            "agreed_with_regulator": {
                "type": "array",
                "items": text,
                "description": "Requirement ids whose discretionary terms are agreed.",
            },
        },
        "required": ["home", "licence"],
        "additionalProperties": False,
    }
    return {PROFILE: profile, ATTRIBUTES: attributes}
