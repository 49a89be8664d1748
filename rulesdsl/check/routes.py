"""Checks on alternative routes: a sandbox states its duration, a transitional route the
date its firms were authorised before and the day it ends, and no route field stands on a
licence of another route."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rulesdsl.check.collect import Collected, field_map
from rulesdsl.check.schema import TIME_UNITS
from rulesdsl.errors import Diagnostic
from rulesdsl.syntax import nodes as n

# The fields each route needs, with the code reported when one is missing.
_NEEDS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "sandbox": (("for", "E270"),),
    "transitional": (("authorised_before", "E271"), ("ends", "E272")),
}
# The route each route-only field belongs to.
_OWNER: Mapping[str, str] = {
    "for": "sandbox",
    "authorised_before": "transitional",
    "ends": "transitional",
}
_EXAMPLES: Mapping[str, str] = {
    "for": "`for 2 years`, or `for pending` where the source gives none",
    "authorised_before": "`authorised_before 2024-12-30`",
    "ends": "`ends 2026-07-01`, or `ends pending` where the source gives none",
}


def _route_of(fields: Mapping[str, n.Field]) -> str:
    item = fields.get("route")
    return item.value.text if item is not None and isinstance(item.value, n.Name) else "full"


def _licence(block: n.Block) -> Iterable[Diagnostic]:
    fields = field_map(block)
    route = _route_of(fields)
    anchor = block.label.span if block.label else block.kind.span
    for key, code in _NEEDS.get(route, ()):
        if key not in fields:
            yield Diagnostic(
                code,
                f"{route} route '{block.label.text if block.label else ''}' has no '{key}'",
                anchor,
                help=f"add {_EXAMPLES[key]}",
            )
    for key, owner in _OWNER.items():
        item = fields.get(key)
        if item is not None and owner != route:
            yield Diagnostic(
                "E273",
                f"'{key}' belongs to a {owner} route, not to this licence",
                item.key.span,
                help=f"add `route {owner}`, or remove '{key}'",
            )
    term = fields.get("for")
    if term is not None and isinstance(term.value, n.TimeSpan):
        span = term.value
        if span.unit.text not in TIME_UNITS or not span.amount.text.replace("_", "").isdigit():
            yield Diagnostic(
                "E274",
                f"'{span.amount.text} {span.unit.text}' is not a whole number of years or months",
                span.span,
                help="write e.g. `for 2 years` or `for 6 months`",
            )


def check_routes(collected: Collected) -> list[Diagnostic]:
    """Every problem with the alternative routes of the bundle's licences."""
    found: list[Diagnostic] = []
    for decl in collected.jurisdictions.values():
        for block in decl.licences.values():
            found.extend(_licence(block))
    return found
