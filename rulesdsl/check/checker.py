"""The checker: every problem in a bundle, not just the first.

Passes: structure (`collect`), then names (every field that names something is resolved,
with did-you-mean), then conditions (`typecheck`), then dates (`periods`), then advice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rulesdsl.check.collect import Collected, JurisdictionDecl, collect, field_map, label_text
from rulesdsl.check.countries import iso_country_codes, iso_currency_codes
from rulesdsl.check.frameworks import check_frameworks
from rulesdsl.check.periods import check_periods
from rulesdsl.check.routes import check_routes
from rulesdsl.check.schema import BLOCKS, TYPE_CONSTRUCTORS, TYPE_NAMES, Form
from rulesdsl.check.tiers import check_tiers, tier_condition, tiers_block
from rulesdsl.check.types import ExprChecker, Ty, TypeEnv
from rulesdsl.check.values import check_values
from rulesdsl.errors import Diagnostic, Severity, choices_help, did_you_mean
from rulesdsl.syntax import nodes as n

NAMESPACE_CODES: Mapping[str, str] = {
    "currency": "E305",
    "iso_currency": "E305",
    "activity": "E301",
    "category": "E302",
    "body": "E309",
    "jurisdiction": "E303",
    "licence": "E306",
    "country": "E310",
    "instrument": "E304",
}


@dataclass(frozen=True, slots=True)
class Scope:
    """The names visible from one block: global ones plus its jurisdiction's."""

    jurisdiction: JurisdictionDecl | None


def attribute_type(block: n.Block, activities: Iterable[str]) -> Ty | None:
    """The checker type an `attribute` block declares (None if malformed)."""
    value = field_map(block).get("type")
    name = label_text(block)
    if value is None:
        return None
    if isinstance(value.value, n.Name) and value.value.text in TYPE_NAMES:
        return Ty(value.value.text)
    if isinstance(value.value, n.TypedList) and value.value.kind.text in TYPE_CONSTRUCTORS:
        items = frozenset(item.text for item in value.value.items.items if isinstance(item, n.Name))
        if value.value.kind.text == "enum":
            return Ty("enum", items, name)
        if value.value.kind.text == "persons":  # the domain is the persons' roles
            return Ty("persons", items, name, "enum")
        return Ty("set", items, name, "enum", roles=value.value.kind.text == "roles")
    return None


def type_env(collected: Collected) -> TypeEnv:
    """What names mean inside conditions, built from the vocabulary."""
    countries = frozenset(iso_country_codes() | set(collected.jurisdictions))
    activities = frozenset(collected.activities)
    attributes: dict[str, Ty] = {
        "activity": Ty("enum", activities, "activities"),
        "home": Ty("country", countries, "country code"),
    }
    for name, block in collected.attributes.items():
        ty = attribute_type(block, activities)
        if ty is not None and ty.kind == "country":
            ty = Ty("country", countries, "country code")
        if ty is not None and name not in attributes:  # built-ins cannot be redeclared
            attributes[name] = ty
    return TypeEnv(attributes, frozenset(collected.currencies), countries)


class NameResolver:
    """Resolves every field value that names a declared thing."""

    def __init__(self, collected: Collected, env: TypeEnv) -> None:
        self.collected = collected
        self.env = env
        self.diagnostics: list[Diagnostic] = []
        self.cited: set[tuple[str, str]] = set()

    def namespace(self, name: str, scope: Scope) -> Iterable[str]:
        c = self.collected
        tables: dict[str, Iterable[str]] = {
            "currency": c.currencies,
            "activity": c.activities,
            "category": c.categories,
            "body": c.bodies,
            "jurisdiction": c.jurisdictions,
            "country": self.env.countries,
            # A cited peg may be anchored to a currency outside the vocabulary (BND to SGD):
            # the anchor only links the pegged currency to the ECB's rates.
            "iso_currency": iso_currency_codes(),
            "licence": scope.jurisdiction.licences if scope.jurisdiction else (),
            "instrument": set(c.instruments)
            | set(scope.jurisdiction.instruments if scope.jurisdiction else ()),
        }
        return tables[name]

    def resolve(self, word: n.Name, namespace: str, scope: Scope) -> bool:
        known = self.namespace(namespace, scope)
        if word.text in known:
            return True
        self.diagnostics.append(
            Diagnostic(
                NAMESPACE_CODES[namespace],
                f"unknown {namespace} '{word.text}'",
                word.span,
                help=did_you_mean(word.text, known),
            )
        )
        return False

    def option(self, word: n.Name, key: str, options: tuple[str, ...]) -> None:
        if word.text not in options:
            self.diagnostics.append(
                Diagnostic(
                    "E311",
                    f"'{word.text}' is not an option for '{key}'",
                    word.span,
                    help=choices_help(word.text, options, "options"),
                )
            )

    def block(self, block: n.Block, scope: Scope) -> None:
        spec = BLOCKS[block.kind.text]
        if spec.label_namespace and isinstance(block.label, n.Name):
            self.resolve(block.label, spec.label_namespace, scope)
        for item in block.fields():
            field_spec = spec.fields.get(item.key.text)
            if field_spec is None:
                continue
            words = _names_in(item.value, field_spec.form)
            for word in words:
                if field_spec.options:
                    self.option(word, item.key.text, field_spec.options)
                elif field_spec.namespace:
                    self.resolve(word, field_spec.namespace, scope)
            if isinstance(item.value, n.Citation) and self.resolve(
                item.value.instrument, "instrument", scope
            ):
                name = item.value.instrument.text
                local = scope.jurisdiction is not None and name in scope.jurisdiction.instruments
                owner = scope.jurisdiction.code if scope.jurisdiction and local else ""
                self.cited.add((owner, name))  # a top-level instrument is cited as ("", name)
            if isinstance(item.value, n.Citation) and not item.value.provision.value.strip():
                self.diagnostics.append(_empty_provision(item.value))
            if isinstance(item.value, n.Name | n.TypedList) and field_spec.form is Form.TYPE:
                self.type_value(item.value)

    def type_value(self, value: n.Name | n.TypedList) -> None:
        if isinstance(value, n.Name):
            if value.text not in TYPE_NAMES:
                self.diagnostics.append(
                    Diagnostic(
                        "E311",
                        f"unknown type '{value.text}'",
                        value.span,
                        help=did_you_mean(value.text, TYPE_NAMES + TYPE_CONSTRUCTORS)
                        or f"types: {', '.join(TYPE_NAMES)}, enum [...], set [...], roles [...], "
                        "persons [...]",
                    )
                )
            return
        if value.kind.text not in TYPE_CONSTRUCTORS:
            self.diagnostics.append(
                Diagnostic(
                    "E311",
                    f"unknown type constructor '{value.kind.text}'",
                    value.kind.span,
                    help=did_you_mean(value.kind.text, TYPE_CONSTRUCTORS),
                )
            )
        seen: set[str] = set()
        for item in value.items.items:
            if not isinstance(item, n.Name):
                self.diagnostics.append(Diagnostic("E205", "type values are names", item.span))
            elif item.text in seen:
                self.diagnostics.append(
                    Diagnostic("E207", f"value '{item.text}' listed twice", item.span)
                )
            else:
                seen.add(item.text)


def _names_in(value: n.Value, form: Form) -> tuple[n.Name, ...]:
    if form is Form.SYMBOL and isinstance(value, n.Name):
        return (value,)
    if form is Form.SYMBOLS and isinstance(value, n.ListLit):
        return tuple(item for item in value.items if isinstance(item, n.Name))
    if form is Form.RATE and isinstance(value, n.Rate):
        return (value.price.currency, value.base)
    return ()


def _scoped_blocks(collected: Collected) -> Iterable[tuple[n.Block, Scope]]:
    top = Scope(None)
    for group in (
        collected.currencies,
        collected.activities,
        collected.categories,
        collected.bodies,
        collected.attributes,
        collected.instruments,
        collected.frameworks,
        collected.mous,
    ):
        for block in group.values():
            yield block, top
    for block in (*collected.listings, *collected.fx_tables):
        yield block, top
    for table in collected.fx_tables:
        for peg in table.blocks():  # a cited peg: its rate and citation are resolved too
            yield peg, top
    for decl in collected.jurisdictions.values():
        scope = Scope(decl)
        yield _header_fields(decl), scope  # the header merged from all its files
        for block in (*decl.regimes, *decl.instruments.values(), *decl.licences.values()):
            yield block, scope
        for block in decl.requirements:
            yield block, scope


def _header_fields(decl: JurisdictionDecl) -> n.Block:
    return n.Block(
        decl.first.kind, decl.first.label, tuple(decl.header.values()), span=decl.first.span
    )


def check_conditions(collected: Collected, env: TypeEnv) -> list[Diagnostic]:
    """Type-check every `when` and `require` (written, or stood for by `tiers`)."""
    checker = ExprChecker(env)
    found: list[Diagnostic] = []
    for decl in collected.jurisdictions.values():
        for block in decl.requirements:
            fields = field_map(block)
            checker.requirement = label_text(block)
            for key in ("when", "require"):
                if key in fields and isinstance(fields[key].value, n.Node):
                    checker.in_when = key == "when"
                    checker.condition(fields[key].value)
            found.extend(check_tiers(block))
            tiers = tiers_block(block)
            if tiers is not None and (condition := tier_condition(tiers)) is not None:
                checker.condition(condition)
    return checker.diagnostics + found


def advice(collected: Collected, cited: set[tuple[str, str]]) -> list[Diagnostic]:
    """Warnings: things that are legal but probably not meant."""
    found: list[Diagnostic] = []
    for decl in collected.jurisdictions.values():
        for block in decl.requirements:
            found.extend(_requirement_advice(block))
        for name, block in decl.instruments.items():
            if (decl.code, name) not in cited:
                found.append(_uncited(name, block))
    found.extend(
        _uncited(name, block)
        for name, block in collected.instruments.items()
        if ("", name) not in cited
    )
    return found


def _requirement_advice(block: n.Block) -> Iterable[Diagnostic]:
    """W600 and W602: a requirement whose confidence does not fit what it says."""
    fields = field_map(block)
    confidence = _word(fields.get("confidence"))
    blocking = fields.get("blocking")
    if confidence == "unconfirmed" and blocking and getattr(blocking.value, "value", False):
        yield Diagnostic(
            "W600",
            "an unconfirmed requirement is marked blocking",
            blocking.span,
            Severity.WARNING,
            help="an unconfirmed figure should not decide eligibility on its own",
        )
    conditions = [fields[key].value for key in ("when", "require") if key in fields]
    if confidence == "confirmed" and _mentions_pending(tuple(conditions)):
        yield Diagnostic(
            "W602",
            "a requirement with a pending threshold is marked confirmed",
            fields["confidence"].value.span,
            Severity.WARNING,
            help="a figure the regulator has not published is not confirmed; "
            "write `confidence medium` or `confidence unconfirmed`",
        )


def _mentions_pending(node: object) -> bool:
    """Whether `pending` or `CUR pending` occurs anywhere in an expression."""
    if isinstance(node, n.PendingLit) or (isinstance(node, n.MoneyLit) and node.amount is None):
        return True
    if isinstance(node, tuple):
        return any(_mentions_pending(item) for item in node)
    if isinstance(node, n.Node):  # nesting is bounded by sources.MAX_NESTING
        return any(
            _mentions_pending(getattr(node, f.name))
            for f in dataclasses.fields(node)
            if f.name != "span"
        )
    return False


def _empty_provision(citation: n.Citation) -> Diagnostic:
    return Diagnostic(
        "W604",
        f"the citation of '{citation.instrument.text}' names no provision",
        citation.provision.span,
        Severity.WARNING,
        help='give the provision as the source gives it (`"Art. 65"`), or describe the '
        'place where it has no number (`"DAX chapter (2019)"`)',
    )


def _uncited(name: str, block: n.Block) -> Diagnostic:
    span = block.label.span if block.label else block.kind.span
    return Diagnostic("W601", f"instrument '{name}' is never cited", span, Severity.WARNING)


def _word(item: n.Field | None) -> str | None:
    return item.value.text if item is not None and isinstance(item.value, n.Name) else None


def check_modules(modules: Iterable[n.Module]) -> tuple[Collected, list[Diagnostic]]:
    """Run every pass; returns the declarations and all diagnostics found."""
    module_list = list(modules)
    collected = collect(module_list)
    diagnostics = list(collected.diagnostics)
    if not collected.vocabulary:
        paths = [m.path for m in module_list] or ["<bundle>"]
        where = next((p for p in paths if p.endswith("vocabulary.rules")), paths[0])
        diagnostics.append(
            Diagnostic(
                "E208",
                "no vocabulary block in the bundle",
                n.Span(where, 1, 1, 1, 2),
                help="declare the shared terms in a `vocabulary { … }` block in the "
                "bundle's vocabulary.rules",
            )
        )
    env = type_env(collected)
    resolver = NameResolver(collected, env)
    for block, scope in _scoped_blocks(collected):
        resolver.block(block, scope)
    diagnostics.extend(resolver.diagnostics)
    diagnostics.extend(check_frameworks(collected.frameworks, collected.categories))
    diagnostics.extend(check_conditions(collected, env))
    diagnostics.extend(check_periods(collected))
    diagnostics.extend(check_values(collected))
    diagnostics.extend(check_routes(collected))
    diagnostics.extend(advice(collected, resolver.cited))
    return collected, diagnostics
