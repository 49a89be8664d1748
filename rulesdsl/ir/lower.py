"""Checked declarations → IR. Runs only on a bundle the checker passed, so it does not
re-validate; it converts literals (`1_500_000` → Decimal) and orders everything
canonically so the bundle hash depends on meaning, not layout."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from rulesdsl import ir
from rulesdsl.check.checker import attribute_type, type_env
from rulesdsl.check.collect import (
    Collected,
    JurisdictionDecl,
    field_map,
    fx_rate_fields,
    label_text,
)
from rulesdsl.check.periods import block_period, field_date
from rulesdsl.check.schema import DEFAULT_MODES
from rulesdsl.check.tiers import lower_tiers, tier_condition, tiers_block
from rulesdsl.check.types import ExprChecker, TypeEnv, parse_date, parse_decimal
from rulesdsl.errors import DslError
from rulesdsl.ir.walk import attributes_read, nodes
from rulesdsl.syntax import nodes as n


class FieldReader:
    """Typed access to one block's fields."""

    def __init__(self, block: n.Block) -> None:
        self.block = block
        self.fields = field_map(block)

    def text(self, key: str) -> str | None:
        item = self.fields.get(key)
        return item.value.value if item and isinstance(item.value, n.StringLit) else None

    def word(self, key: str) -> str | None:
        item = self.fields.get(key)
        return item.value.text if item and isinstance(item.value, n.Name) else None

    def words(self, key: str) -> tuple[str, ...]:
        item = self.fields.get(key)
        if item is None or not isinstance(item.value, n.ListLit):
            return ()
        return tuple(v.text for v in item.value.items if isinstance(v, n.Name))

    def texts(self, key: str) -> tuple[str, ...]:
        item = self.fields.get(key)
        if item is None or not isinstance(item.value, n.ListLit):
            return ()
        return tuple(v.value for v in item.value.items if isinstance(v, n.StringLit))

    def citation(self, key: str = "cite") -> ir.Citation | None:
        item = self.fields.get(key)
        if item is None or not isinstance(item.value, n.Citation):
            return None
        return ir.Citation(
            instrument=item.value.instrument.text,
            provision=item.value.provision.value,
            url=self.text(f"{key}_url"),
        )

    def date(self, key: str) -> dt.date | None:
        item = self.fields.get(key)
        return parse_date(item.value.text) if item and isinstance(item.value, n.DateLit) else None

    def precision(self, key: str) -> ir.Precision:
        """`month` for a date written as a month (`2025-09`), else `day`."""
        item = self.fields.get(key)
        return "month" if item and isinstance(item.value, n.MonthLit) else "day"

    def period(self) -> ir.Period:
        start, end = block_period(self.block)
        return ir.Period(start=start, end=end)

    def boolean(self, key: str, default: bool) -> bool:
        item = self.fields.get(key)
        return item.value.value if item and isinstance(item.value, n.BoolLit) else default

    def integer(self, key: str) -> int:
        item = self.fields.get(key)
        return (
            int(item.value.text.replace("_", ""))
            if item and isinstance(item.value, n.NumberLit)
            else 0
        )

    def duration(self, key: str) -> ir.Duration | None:
        item = self.fields.get(key)
        if item is None or not isinstance(item.value, n.Duration):
            return None
        days = int(item.value.amount.text.replace("_", ""))
        return ir.Duration(days=days, unit=item.value.unit)  # type: ignore[arg-type]

    def time_span(self, key: str) -> ir.TimeSpan | None:
        item = self.fields.get(key)
        if item is None or not isinstance(item.value, n.TimeSpan):
            return None
        amount = int(item.value.amount.text.replace("_", ""))
        return ir.TimeSpan(amount=amount, unit=item.value.unit.text)  # type: ignore[arg-type]


def _terms(blocks: dict[str, n.Block]) -> tuple[ir.Term, ...]:
    return tuple(
        ir.Term(id=name, title=FieldReader(b).text("title") or name) for name, b in blocks.items()
    )


def lower_vocabulary(collected: Collected) -> ir.Vocabulary:
    activities = collected.activities
    attributes = []
    for name, block in collected.attributes.items():
        ty = attribute_type(block, activities)
        assert ty is not None  # the checker has vouched for it
        typed = field_map(block)["type"].value
        roles = isinstance(typed, n.TypedList) and typed.kind.text == "roles"
        values = (
            tuple(v.text for v in typed.items.items if isinstance(v, n.Name))
            if isinstance(typed, n.TypedList)
            else ()
        )
        value_type = ir.ValueType(kind=ty.kind, values=values, roles=roles)  # type: ignore[arg-type]
        attributes.append(
            ir.Attribute(
                name=name,
                type=value_type,
                description=FieldReader(block).text("description") or "",
                per_host=FieldReader(block).boolean("per_host", False),
            )
        )
    currencies = tuple(
        ir.Currency(
            code=code,
            name=FieldReader(b).text("name") or code,
            minor_units=FieldReader(b).integer("minor_units"),
        )
        for code, b in collected.currencies.items()
    )
    return ir.Vocabulary(
        currencies=currencies,
        activities=_terms(collected.activities),
        categories=_terms(collected.categories),
        bodies=_terms(collected.bodies),
        attributes=tuple(attributes),
    )


def lower_instrument(name: str, block: n.Block) -> ir.Instrument:
    read = FieldReader(block)
    return ir.Instrument(
        id=name,
        title=read.text("title") or name,
        number=read.text("number"),
        date=read.date("date"),
        url=read.text("url"),
    )


def _condition(checker: ExprChecker, block: n.Block, key: str) -> ir.Expr | None:
    item = field_map(block).get(key)
    if item is None:
        return None
    checker.requirement, checker.in_when = label_text(block), key == "when"
    return checker.condition(item.value)


def _has_pending(expr: ir.Expr | None) -> bool:
    return any(isinstance(node, ir.PendingConst) for node in nodes(expr))


def lower_requirement(block: n.Block, checker: ExprChecker) -> ir.Requirement:
    read = FieldReader(block)
    checker.discretion = None
    require = _condition(checker, block, "require")
    tiers = tiers_block(block)
    if require is None and tiers is not None and (condition := tier_condition(tiers)):
        require = checker.condition(condition)
    discretion = checker.discretion
    when = _condition(checker, block, "when")
    assert require is not None and read.citation() is not None
    return ir.Requirement(
        id=label_text(block),
        title=read.text("title") or "",
        category=read.word("category") or "",
        licences=read.words("licences"),
        when=when,
        require=require,
        tiers=lower_tiers(tiers) if tiers is not None else None,
        period=read.period(),
        deadline=field_date(read.fields.get("by")),
        start_precision=read.precision("from"),
        end_precision=read.precision("until"),
        deadline_precision=read.precision("by"),
        binds_applicants=read.boolean("binds_applicants", False),
        citation=read.citation(),  # type: ignore[arg-type]
        confidence=read.word("confidence"),  # type: ignore[arg-type]
        remedy=read.text("remedy") or "",
        blocking=read.boolean("blocking", False),
        pending=_has_pending(require) or _has_pending(when),
        reads=attributes_read(when, require),
        note=read.text("note"),
        verified=read.date("verified"),
        may_require_more=read.text("may_require_more"),
        discretion=discretion,
    )


def lower_jurisdiction(decl: JurisdictionDecl, checker: ExprChecker) -> ir.Jurisdiction:
    header = FieldReader(n.Block(decl.first.kind, decl.first.label, tuple(decl.header.values())))
    # Comparisons of amounts are recorded in the jurisdiction's currency unless they name
    # one; the copy shares the diagnostics list, so nothing reported is lost.
    checker = dataclasses.replace(checker, currency=header.word("currency"))
    regimes = sorted(
        (
            ir.Regime(
                activity=label_text(b),
                status=FieldReader(b).word("status"),  # type: ignore[arg-type]
                period=FieldReader(b).period(),
                citation=FieldReader(b).citation(),
                confidence=FieldReader(b).word("confidence") or "confirmed",  # type: ignore[arg-type]
                note=FieldReader(b).text("note"),
            )
            for b in decl.regimes
        ),
        key=lambda r: (r.activity, r.period.start or dt.date.min),
    )
    licences = tuple(
        ir.Licence(
            id=name,
            title=FieldReader(b).text("title") or name,
            activities=FieldReader(b).words("activities"),
            citation=FieldReader(b).citation(),
            note=FieldReader(b).text("note"),
            route=FieldReader(b).word("route") or "full",  # type: ignore[arg-type]
            term=FieldReader(b).time_span("for"),
            discretionary=FieldReader(b).boolean("discretionary", False),
            authorised_before=FieldReader(b).date("authorised_before"),
            ends=FieldReader(b).date("ends"),
        )
        for name, b in sorted(decl.licences.items())
    )
    requirements = sorted(
        (lower_requirement(b, checker) for b in decl.requirements), key=_requirement_order
    )
    return ir.Jurisdiction(
        code=decl.code,
        name=header.text("name") or decl.code,
        currency=header.word("currency") or "",
        authorities=header.texts("authorities"),
        memberships=header.words("memberships"),
        regimes=tuple(regimes),
        instruments=tuple(lower_instrument(k, b) for k, b in sorted(decl.instruments.items())),
        licences=licences,
        requirements=tuple(requirements),
        note=header.text("note"),
        verified=header.date("verified"),
    )


def _requirement_order(requirement: ir.Requirement) -> tuple[str, dt.date]:
    """Requirements by id, then start: the IR, and so every answer, is independent of the
    order and the files the rules are written in (the same `rules_hash`, the same answer)."""
    return requirement.id, requirement.period.start or dt.date.min


def lower_framework(name: str, block: n.Block) -> ir.Framework:
    read = FieldReader(block)
    return ir.Framework(
        id=name,
        title=read.text("title") or name,
        status=read.word("status"),  # type: ignore[arg-type]
        members=read.words("members"),
        mechanism=read.word("mechanism"),  # type: ignore[arg-type]
        activities=read.words("activities"),
        home_conditions=read.words("home_conditions"),
        modes=read.words("modes") or DEFAULT_MODES,
        waives=read.words("waives"),
        deems=read.words("deems"),
        keeps=read.words("keeps"),
        notify_within=read.duration("notify_within"),
        starts_at_latest_after=read.duration("starts_at_latest_after"),
        period=read.period(),
        citation=read.citation(),
        note=read.text("note"),
    )


def lower_fx(block: n.Block) -> ir.FxTable:
    rates = []
    for item, peg in fx_rate_fields(block):
        if isinstance(item.value, n.Rate) and item.value.price.amount is not None:
            price = parse_decimal(item.value.price.amount) or Decimal(0)
            rates.append(
                ir.FxRate(
                    base=item.value.base.text,
                    quote=item.value.price.currency.text,
                    price=price,
                    pegged=peg is not None or item.key.text == "peg",
                    citation=FieldReader(peg).citation() if peg is not None else None,
                )
            )
    valid_from = parse_date(label_text(block))
    assert valid_from is not None
    return ir.FxTable(
        valid_from=valid_from, source=FieldReader(block).text("source") or "", rates=tuple(rates)
    )


def lower_listing(block: n.Block) -> ir.FatfListing:
    read = FieldReader(block)
    return ir.FatfListing(
        country=label_text(block),
        list=read.word("list"),  # type: ignore[arg-type]
        period=read.period(),
        citation=read.citation(),  # type: ignore[arg-type]
        note=read.text("note"),
    )


def lower_fatf_lists(fields: dict[str, n.Field]) -> ir.FatfLists:
    """The dates of the `fatf` blocks' fields (each given once, in any of them)."""

    def day(key: str) -> dt.date | None:
        item = fields.get(key)
        return parse_date(item.value.text) if item and isinstance(item.value, n.DateLit) else None

    return ir.FatfLists(
        grey_known_from=day("grey_known_from"),
        black_known_from=day("black_known_from"),
        lists_may_change_after=day("lists_may_change_after"),
    )


def lower_mou(name: str, block: n.Block) -> ir.Mou:
    read = FieldReader(block)
    return ir.Mou(
        id=name,
        parties=tuple(sorted(set(read.words("parties")))),
        scope=read.word("scope"),  # type: ignore[arg-type]
        period=read.period(),
        citation=read.citation(),  # type: ignore[arg-type]
        note=read.text("note"),
    )


def lower(collected: Collected, env: TypeEnv | None = None) -> ir.Bundle:
    """Build the IR of a bundle that checked clean."""
    checker = ExprChecker(env or type_env(collected))
    bundle = ir.Bundle(
        vocabulary=lower_vocabulary(collected),
        instruments=tuple(lower_instrument(k, b) for k, b in sorted(collected.instruments.items())),
        jurisdictions=tuple(
            lower_jurisdiction(d, checker) for _, d in sorted(collected.jurisdictions.items())
        ),
        frameworks=tuple(lower_framework(k, b) for k, b in sorted(collected.frameworks.items())),
        fatf=tuple(
            sorted(
                (lower_listing(b) for b in collected.listings),
                key=lambda listing: (listing.country, str(listing.period.start)),
            )
        ),
        fatf_lists=lower_fatf_lists(collected.fatf),
        mous=tuple(lower_mou(k, b) for k, b in sorted(collected.mous.items())),
        fx=tuple(sorted((lower_fx(b) for b in collected.fx_tables), key=lambda t: t.valid_from)),
    )
    if checker.diagnostics:  # unreachable after a clean check; guards against drift
        raise DslError(checker.diagnostics)
    return bundle
