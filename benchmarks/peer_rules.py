"""The peer workload in Jawaz's own terms: a vocabulary and a host's 40 requirements written
in the rule language (generated from the neutral AST), and records turned into typed facts.

Mapping: `*_usd` fields are money in USD; the three ratio fields are percentages (0.9 →
90%); other numbers are integers; strings are enums (the home jurisdiction a country);
lists are sets; `a implies b` is written `not a or b`; "no item in S" is a conjunction of
`not (... contains s)`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import workload as w

from engine.inputs.money import Money
from engine.inputs.profiles import Value

RATIO_FIELDS = {"liquid_assets_ratio", "cold_storage_share", "reserve_ratio"}
ENUMS = {
    "licence_status": ["active", "suspended", "revoked"],
    "licence_type": ["VASP", "EMI", "BROKER", "BANK"],
    "audit_opinion": ["unqualified", "qualified", "adverse"],
    "primary_activity": w.ALL_ACTIVITIES,
}
SETS = {"activities": w.ALL_ACTIVITIES, "client_types": ["retail", "professional", "institutional"]}
OPS = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def field_type(name: str, sample: Any) -> str:
    """The vocabulary type of a record field."""
    if name.endswith("_usd"):
        return "money"
    if name in RATIO_FIELDS:
        return "percentage"
    if name in ENUMS:
        return f"enum [{', '.join(ENUMS[name])}]"
    if name in SETS:
        return f"set [{', '.join(SETS[name])}]"
    if name == "home_jurisdiction":
        return "country"
    if isinstance(sample, bool):
        return "boolean"
    return "integer"


def literal(field: str, value: Any) -> str:
    """A literal of the field's type in the rule language."""
    if field.endswith("_usd"):
        return f"USD {value}"
    if field in RATIO_FIELDS:
        return f"{Decimal(str(value)) * 100}%"
    return str(value)


def condition(node: Any) -> str:
    """The rule-language text of one neutral AST node."""
    kind = node[0]
    if kind == "bool":
        return node[1]
    if kind == "cmp":
        _, op, field, value = node
        return f"{field} {OPS[op]} {literal(field, value)}"
    if kind == "in":
        return f"{node[1]} in [{', '.join(node[2])}]"
    if kind == "subset":
        return f"{node[1]} subset [{', '.join(node[2])}]"
    if kind == "disjoint":
        return " and ".join(f"not ({node[1]} contains {v})" for v in node[2])
    if kind == "has":
        return f"{node[1]} contains {node[2]}"
    if kind == "and":
        return " and ".join(f"({condition(x)})" for x in node[1])
    if kind == "or":
        return " or ".join(f"({condition(x)})" for x in node[1])
    if kind == "not":
        return f"not ({condition(node[1])})"
    if kind == "implies":
        return f"not ({condition(node[1])}) or ({condition(node[2])})"
    raise ValueError(node)


def rules_text(sample: dict[str, Any]) -> str:
    """A self-contained bundle: vocabulary and host XA with the 40 requirements."""
    attributes = "\n".join(
        f'  attribute {name} {{\n    type {field_type(name, value)}\n    description "{name}"\n  }}'
        for name, value in sample.items()
        if name != "licence_id"
    )
    requirements = "\n".join(
        f"""  requirement {rid} {{
    title "{rid}"
    category licensing
    require {condition(node)}
    cite PEER "{rid}"
    confidence confirmed
    remedy "fix {rid}"
  }}"""
        for rid, node in w.REQS
    )
    return f"""vocabulary {{
  currency USD {{
    name "US dollar"
    minor_units 2
  }}
  activity exchange {{
    title "exchange"
  }}
  category licensing {{
    title "licensing"
  }}
{attributes}
}}

jurisdiction XA {{
  name "Peer benchmark host"
  currency USD
  authorities ["benchmark"]
  instrument PEER {{
    title "Peer benchmark workload"
  }}
  regime exchange {{
    status licensed
    cite PEER "workload"
  }}
  licence host {{
    title "host licence"
    activities [exchange]
  }}
{requirements}
}}
"""


def facts(record: dict[str, Any]) -> dict[str, Value]:
    """A record as typed facts: Money, Decimal percentages, frozensets."""
    out: dict[str, Value] = {}
    for name, value in record.items():
        if name == "licence_id":
            continue
        if name.endswith("_usd"):
            out[name] = Money("USD", Decimal(value))
        elif name in RATIO_FIELDS:
            out[name] = Decimal(str(value)) * 100
        elif isinstance(value, list):
            out[name] = frozenset(value)
        else:
            out[name] = value
    return out
