"""First checker pass: walk every block, hold it to the schema, and file declarations.

The result, `Collected`, is the bundle's table of contents: every declared name with the
block that declares it. Later passes resolve references against it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import get_args

from rulesdsl.check.examples import Local, example_value
from rulesdsl.check.schema import BLOCKS, BlockSpec, FieldSpec, Form, Label
from rulesdsl.check.urls import url_problem
from rulesdsl.errors import Diagnostic, did_you_mean
from rulesdsl.syntax import nodes as n

# Every expression node of the AST (one source: the `Expr` union in `nodes`).
_EXPRESSION_TYPES: tuple[type, ...] = get_args(n.Expr)


def _is_list_of(value: n.Value, kind: type) -> bool:
    return isinstance(value, n.ListLit) and all(isinstance(item, kind) for item in value.items)


FORM_CHECKS: Mapping[Form, Callable[[n.Value], bool]] = {
    Form.STRING: lambda v: isinstance(v, n.StringLit),
    Form.SYMBOL: lambda v: isinstance(v, n.Name),
    Form.SYMBOLS: lambda v: _is_list_of(v, n.Name),
    Form.STRINGS: lambda v: _is_list_of(v, n.StringLit),
    Form.DATE: lambda v: isinstance(v, n.DateLit),
    Form.DATE_OR_MONTH: lambda v: isinstance(v, n.DateLit | n.MonthLit),
    Form.BOOLEAN: lambda v: isinstance(v, n.BoolLit),
    Form.INTEGER: lambda v: isinstance(v, n.NumberLit) and "." not in v.text,
    Form.CONDITION: lambda v: isinstance(v, _EXPRESSION_TYPES),
    Form.CITATION: lambda v: isinstance(v, n.Citation),
    Form.URL: lambda v: isinstance(v, n.StringLit),
    Form.TYPE: lambda v: isinstance(v, n.Name | n.TypedList),
    Form.RATE: lambda v: isinstance(v, n.Rate),
    Form.TIER: lambda v: isinstance(v, n.Tier),
    Form.DURATION: lambda v: isinstance(v, n.Duration),
    Form.TERM: lambda v: isinstance(v, n.TimeSpan | n.PendingLit),
    Form.DATE_OR_PENDING: lambda v: isinstance(v, n.DateLit | n.PendingLit),
}


@dataclass
class JurisdictionDecl:
    """A jurisdiction gathered from every `jurisdiction CODE { … }` block in the bundle."""

    code: str
    first: n.Block
    header: dict[str, n.Field] = field(default_factory=dict)
    regimes: list[n.Block] = field(default_factory=list)
    instruments: dict[str, n.Block] = field(default_factory=dict)
    licences: dict[str, n.Block] = field(default_factory=dict)
    requirements: list[n.Block] = field(default_factory=list)


@dataclass
class Collected:
    """Every declaration in a bundle, by kind and name."""

    vocabulary: list[n.Block] = field(default_factory=list)
    currencies: dict[str, n.Block] = field(default_factory=dict)
    activities: dict[str, n.Block] = field(default_factory=dict)
    categories: dict[str, n.Block] = field(default_factory=dict)
    bodies: dict[str, n.Block] = field(default_factory=dict)
    attributes: dict[str, n.Block] = field(default_factory=dict)
    instruments: dict[str, n.Block] = field(default_factory=dict)
    jurisdictions: dict[str, JurisdictionDecl] = field(default_factory=dict)
    frameworks: dict[str, n.Block] = field(default_factory=dict)
    listings: list[n.Block] = field(default_factory=list)
    fatf_blocks: list[n.Block] = field(default_factory=list)
    fatf: dict[str, n.Field] = field(default_factory=dict)  # their fields, each given once
    mous: dict[str, n.Block] = field(default_factory=dict)
    fx_tables: list[n.Block] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def field_map(block: n.Block) -> dict[str, n.Field]:
    """A block's fields by key (the first of each; repeats are reported elsewhere)."""
    found: dict[str, n.Field] = {}
    for item in block.fields():
        found.setdefault(item.key.text, item)
    return found


def fx_rate_fields(table: n.Block) -> tuple[tuple[n.Field, n.Block | None], ...]:
    """An `fx` table's rates in source order, each with the `peg` block citing it (None for
    a `rate` or `peg` field): the checker and the lowering read a table's rates alike."""
    found: list[tuple[n.Field, n.Block | None]] = []
    for item in table.items:
        if isinstance(item, n.Field) and item.key.text in ("rate", "peg"):
            found.append((item, None))
        elif isinstance(item, n.Block) and item.kind.text == "peg":
            found.extend((f, item) for f in item.fields() if f.key.text == "rate")
    return tuple(found)


def label_text(block: n.Block) -> str:
    """The block's label as written, or '' when it has none."""
    if isinstance(block.label, n.Name):
        return block.label.text
    if isinstance(block.label, n.DateLit):
        return block.label.text
    return ""


class Collector:
    """Walks modules and fills a `Collected`."""

    def __init__(self) -> None:
        self.out = Collected()
        self.here: str | None = None  # the jurisdiction of the block being checked
        # (index in out.diagnostics, help with `{example}`, field, jurisdiction): help lines
        # whose example is drawn from names that may be declared further on
        self.examples: list[tuple[int, str, FieldSpec, str | None]] = []

    def report_example(
        self, code: str, message: str, span: n.Span, help: str, spec: FieldSpec
    ) -> None:
        """Report with a help line whose `{example}` is filled in once all is declared."""
        self.examples.append((len(self.out.diagnostics), help, spec, self.here))
        self.report(code, message, span)

    def fill_examples(self) -> None:
        """Give the deferred help lines examples from their jurisdiction's own names."""
        top = tuple(self.out.instruments)
        for index, text, spec, code in self.examples:
            decl = self.out.jurisdictions.get(code) if code else None
            local = None
            if decl is not None:
                currency = decl.header.get("currency")
                value = currency.value if currency is not None else None
                local = Local(
                    (*decl.instruments, *top),
                    tuple(decl.licences),
                    value.text if isinstance(value, n.Name) else None,
                )
            found = self.out.diagnostics[index]
            example = example_value(spec, local)
            self.out.diagnostics[index] = replace(found, help=text.format(example=example))

    def report(self, code: str, message: str, span: n.Span, help: str | None = None) -> None:
        self.out.diagnostics.append(Diagnostic(code, message, span, help=help))

    # ---- structure ------------------------------------------------------------------------

    def walk(self, items: Iterable[n.Item], parent: n.Block | None) -> None:
        parent_kind = parent.kind.text if parent else None
        for item in items:
            if isinstance(item, n.Field):
                if parent is None:
                    self.report(
                        "E201",
                        f"field '{item.key.text}' outside any block",
                        item.key.span,
                        help="fields belong inside a block such as `requirement ID { … }`",
                    )
                continue
            spec = BLOCKS.get(item.kind.text)
            if spec is None:
                self.report(
                    "E200",
                    f"unknown block kind '{item.kind.text}'",
                    item.kind.span,
                    help=did_you_mean(item.kind.text, BLOCKS),
                )
                continue
            if parent_kind not in spec.parents:
                where = " or ".join(
                    "the top level of a file" if p is None else f"a '{p}' block"
                    for p in spec.parents
                )
                self.report(
                    "E201",
                    f"'{spec.kind}' block not allowed here",
                    item.kind.span,
                    help=f"put it in {where}",
                )
                continue
            if parent is not None and parent_kind == "jurisdiction":
                self.here = label_text(parent)
            elif parent is None:
                self.here = label_text(item) if item.kind.text == "jurisdiction" else None
            if self.check_block(item, spec):
                self.declare(item, parent)
                self.walk(item.items, item)

    def check_block(self, block: n.Block, spec: BlockSpec) -> bool:
        """Label and fields; returns False when the block cannot be declared at all."""
        if not self.check_label(block, spec):
            return False
        seen: set[str] = set()
        for item in block.fields():
            self.check_field(block, spec, item, seen)
        if spec.kind != "jurisdiction":  # a jurisdiction's header may sit in another file
            present = {item.key.text for item in block.fields()}
            self.require_fields(block, spec, present)
        return True

    def check_label(self, block: n.Block, spec: BlockSpec) -> bool:
        fits = {
            Label.NONE: block.label is None,
            Label.NAME: isinstance(block.label, n.Name),
            Label.DATE: isinstance(block.label, n.DateLit),
        }[spec.label]
        if fits:
            return True
        message = {
            Label.NONE: f"'{spec.kind}' takes no name",
            Label.NAME: f"'{spec.kind}' needs a name, e.g. `{spec.kind} example {{`",
            Label.DATE: f"'{spec.kind}' needs a date, e.g. `{spec.kind} 2026-05-29 {{`",
        }[spec.label]
        self.report("E206", message, block.label.span if block.label else block.kind.span)
        return False

    def check_field(self, block: n.Block, spec: BlockSpec, item: n.Field, seen: set[str]) -> None:
        key = item.key.text
        field_spec: FieldSpec | None = spec.fields.get(key)
        if field_spec is None:
            self.report(
                "E202",
                f"'{spec.kind}' has no field '{key}'",
                item.key.span,
                help=did_you_mean(key, spec.fields)
                or f"fields: {', '.join(spec.fields) or 'none'}",
            )
            return
        if key in seen and not field_spec.repeatable:
            self.report("E204", f"field '{key}' given twice", item.key.span)
        seen.add(key)
        if isinstance(item.value, n.MonthLit) and field_spec.form is Form.DATE:
            self.report(
                "E231",
                f"'{key}' takes a full date here, not a month",
                item.value.span,
                help=f"give the day, e.g. `{key} {item.value.text}-01`; only a requirement's "
                "`from`, `until` and `by` may be known only to the month",
            )
        elif not FORM_CHECKS[field_spec.form](item.value):
            self.report_example(
                "E205",
                f"'{key}' takes a {field_spec.form.value}",
                item.value.span,
                f"e.g. `{key} {{example}}`",
                field_spec,
            )
        elif field_spec.form is Form.URL and (problem := url_problem(item.value)) is not None:
            message = f"'{key}' is not a web address: {problem}"
            example = f"e.g. `{key} {{example}}`"
            self.report_example("E210", message, item.value.span, example, field_spec)

    def require_fields(self, block: n.Block, spec: BlockSpec, present: set[str]) -> None:
        for key, field_spec in spec.fields.items():
            if field_spec.required and key not in present:
                self.report_example(
                    "E203",
                    f"'{spec.kind} {label_text(block)}' has no '{key}'",
                    block.kind.span.to(block.label.span) if block.label else block.kind.span,
                    f"add `{key} {{example}}`",
                    field_spec,
                )

    # ---- declarations ---------------------------------------------------------------------

    def declare(self, block: n.Block, parent: n.Block | None) -> None:
        kind = block.kind.text
        name = label_text(block)
        tables: dict[str, dict[str, n.Block]] = {
            "currency": self.out.currencies,
            "activity": self.out.activities,
            "category": self.out.categories,
            "body": self.out.bodies,
            "attribute": self.out.attributes,
            "framework": self.out.frameworks,
            "mou": self.out.mous,
        }
        if kind in tables:
            self.unique(tables[kind], name, block)
            if kind == "mou":
                self.check_parties(block)
        elif kind == "vocabulary":
            self.out.vocabulary.append(block)
        elif kind == "jurisdiction":
            self.declare_jurisdiction(block)
        elif kind == "instrument":
            owner = self.owner(parent)
            self.unique(owner.instruments if owner else self.out.instruments, name, block)
        elif kind == "fatf":
            self.declare_fatf(block)  # its listings are declared one by one
        else:
            self.declare_member(kind, name, block, parent)

    def declare_member(self, kind: str, name: str, block: n.Block, parent: n.Block | None) -> None:
        owner = self.owner(parent)
        if kind == "listing":
            self.out.listings.append(block)
        elif kind == "fx":
            self.out.fx_tables.append(block)
        elif owner is not None and kind == "regime":
            owner.regimes.append(block)
        elif owner is not None and kind == "licence":
            self.unique(owner.licences, name, block)
        elif owner is not None and kind == "requirement":
            owner.requirements.append(block)  # one id may have several dated versions

    def declare_fatf(self, block: n.Block) -> None:
        """The dates of the FATF lists: each given once, in any of the `fatf` blocks."""
        self.out.fatf_blocks.append(block)
        for key, item in field_map(block).items():
            first = self.out.fatf.setdefault(key, item)
            if first is not item:
                self.report(
                    "E204",
                    f"fatf: '{key}' is already given",
                    item.key.span,
                    help=f"first given at {_where(first.span)}",
                )

    def check_parties(self, block: n.Block) -> None:
        """An MoU binds at least two supervisors: two distinct parties."""
        item = field_map(block).get("parties")
        if item is None or not isinstance(item.value, n.ListLit):
            return  # missing or malformed: E203 or E205
        names = {v.text for v in item.value.items if isinstance(v, n.Name)}
        if len(names) < 2:
            self.report(
                "E209",
                f"mou '{label_text(block)}' has {len(names)} distinct part"
                f"{'y' if len(names) == 1 else 'ies'}; an MoU is between at least two",
                item.value.span,
                help="name every signatory's jurisdiction, e.g. `parties [AE, KZ]`",
            )

    def owner(self, parent: n.Block | None) -> JurisdictionDecl | None:
        if parent is None or parent.kind.text != "jurisdiction":
            return None
        return self.out.jurisdictions.get(label_text(parent))

    def declare_jurisdiction(self, block: n.Block) -> None:
        code = label_text(block)
        decl = self.out.jurisdictions.setdefault(code, JurisdictionDecl(code, block))
        for key, item in field_map(block).items():
            if key in decl.header and decl.header[key] is not item:
                self.report(
                    "E204",
                    f"jurisdiction {code}: '{key}' is already given",
                    item.key.span,
                    help=f"first given at {_where(decl.header[key].span)}",
                )
            else:
                decl.header[key] = item

    def unique(self, table: dict[str, n.Block], name: str, block: n.Block) -> None:
        if name in table:
            self.report(
                "E207",
                f"{block.kind.text} '{name}' is declared twice",
                block.label.span if block.label else block.kind.span,
                help=f"first declared at {_where(table[name].span)}",
            )
            return
        table[name] = block


def _where(span: n.Span) -> str:
    return f"{span.file}:{span.line}:{span.column}"


def collect(modules: Iterable[n.Module]) -> Collected:
    """Run the structural pass over every module of a bundle."""
    collector = Collector()
    for module in modules:
        collector.walk(module.items, None)
    collector.fill_examples()
    for decl in collector.out.jurisdictions.values():
        spec = BLOCKS["jurisdiction"]
        for key in ("name", "currency", "authorities"):
            if key not in decl.header:
                collector.report(
                    "E203",
                    f"jurisdiction {decl.code} has no '{key}'",
                    decl.first.label.span if decl.first.label else decl.first.kind.span,
                    help=f"add `{key} {example_value(spec.fields[key])}` to its header",
                )
    return collector.out
