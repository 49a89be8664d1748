"""Abstract syntax tree of the rule language.

Nodes are frozen, slotted dataclasses. Every node carries a `Span` that is excluded from
equality, so two trees that say the same thing compare equal wherever they were written;
the formatter's round-trip test relies on that.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file; lines and columns are 1-based, the end is exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def to(self, other: Span) -> Span:
        """The span from the start of this one to the end of `other`."""
        return Span(self.file, self.line, self.column, other.end_line, other.end_column)


NO_SPAN = Span("<none>", 1, 1, 1, 1)


@dataclass(frozen=True, slots=True)
class Node:
    """Base of every syntax node."""

    span: Span = field(default=NO_SPAN, compare=False, repr=False, kw_only=True)


# ---- expressions -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Name(Node):
    """An identifier: an attribute, a symbol (enum value, country, activity) or a block id."""

    text: str


@dataclass(frozen=True, slots=True)
class NumberLit(Node):
    """A plain number as written, e.g. `1_500_000` or `0.25`."""

    text: str


@dataclass(frozen=True, slots=True)
class PercentLit(Node):
    """A percentage as written, e.g. `90%`."""

    text: str


@dataclass(frozen=True, slots=True)
class MoneyLit(Node):
    """An amount with its currency, e.g. `BHD 300_000`; `amount` is None for `BHD pending`.

    `is_percent` records the malformed `MYR 5%`, which the checker reports.
    """

    currency: Name
    amount: str | None
    is_percent: bool = False


@dataclass(frozen=True, slots=True)
class DateLit(Node):
    """A calendar date, ISO 8601 (`2027-06-30`)."""

    text: str


@dataclass(frozen=True, slots=True)
class MonthLit(Node):
    """A date known only to the month (`2025-09`): a field value, never an operand."""

    text: str


@dataclass(frozen=True, slots=True)
class StringLit(Node):
    """A double-quoted string; `value` is unescaped."""

    value: str


@dataclass(frozen=True, slots=True)
class BoolLit(Node):
    """`true` or `false`."""

    value: bool


@dataclass(frozen=True, slots=True)
class PendingLit(Node):
    """`pending`: a threshold the regulator has not yet published."""


@dataclass(frozen=True, slots=True)
class Unstated(Node):
    """`unstated "…"`: a condition the source leaves open, whose truth is unknown."""

    text: StringLit


@dataclass(frozen=True, slots=True)
class DiscretionaryLit(Node):
    """`discretionary "what the regulator decides"`: a figure or condition the regulator
    sets case by case with each firm. Unlike `pending` it is not unpublished law but an
    agreement to reach, so it is a remediable gap until the firm records it."""

    text: str


@dataclass(frozen=True, slots=True)
class ListLit(Node):
    """`[a, b, c]`."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Call(Node):
    """`max(a, b)` or `min(a, b)`."""

    function: Name
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class CallWhere(Node):
    """`count(key_persons where residence == AE)`: a function of a list, with a filter."""

    function: Name
    subject: Expr
    where: Expr


@dataclass(frozen=True, slots=True)
class PercentOf(Node):
    """`25% of fixed_overheads`."""

    percent: PercentLit
    base: Expr


@dataclass(frozen=True, slots=True)
class MonthsOf(Node):
    """`18 months of monthly_expenditure`: a monthly amount times a number of months."""

    count: NumberLit
    base: Expr


@dataclass(frozen=True, slots=True)
class Times(Node):
    """`client_money * 1.5` or `client_money * 150%`: an amount times a constant factor."""

    base: Expr
    factor: NumberLit | PercentLit


@dataclass(frozen=True, slots=True)
class Compare(Node):
    """`left OP right` with OP one of `>= <= > < == !=`."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Member(Node):
    """`item in collection`."""

    item: Expr
    collection: Expr


@dataclass(frozen=True, slots=True)
class Subset(Node):
    """`left subset right`: every element of left is in right."""

    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Contains(Node):
    """`collection contains item`."""

    collection: Expr
    item: Expr


@dataclass(frozen=True, slots=True)
class Not(Node):
    """`not operand`."""

    operand: Expr


@dataclass(frozen=True, slots=True)
class And(Node):
    """`a and b and …` (flattened)."""

    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or(Node):
    """`a or b or …` (flattened)."""

    operands: tuple[Expr, ...]


Expr = (
    Name
    | NumberLit
    | PercentLit
    | MoneyLit
    | DateLit
    | StringLit
    | BoolLit
    | PendingLit
    | Unstated
    | DiscretionaryLit
    | ListLit
    | Call
    | CallWhere
    | PercentOf
    | MonthsOf
    | Times
    | Compare
    | Member
    | Subset
    | Contains
    | Not
    | And
    | Or
)

# ---- field values that are not expressions --------------------------------------------


@dataclass(frozen=True, slots=True)
class Citation(Node):
    """`CRA "CRA-3.1.2"`: an instrument and a provision in it."""

    instrument: Name
    provision: StringLit


@dataclass(frozen=True, slots=True)
class TypedList(Node):
    """`enum [a, b]`: a type constructor applied to a list of symbols."""

    kind: Name
    items: ListLit


@dataclass(frozen=True, slots=True)
class Rate(Node):
    """`MYR 4.2150 per USD`: the price of one unit of `base` in `price.currency`."""

    price: MoneyLit
    base: Name


@dataclass(frozen=True, slots=True)
class Tier(Node):
    """`AED 3_500 demands [a, b]`: a band's boundary and what the band demands; the field's
    key (`below`, `up_to`, `over`, `at_or_above`) says which side of the boundary."""

    boundary: MoneyLit
    demands: ListLit


@dataclass(frozen=True, slots=True)
class Duration(Node):
    """`10 working days` or `15 calendar days`."""

    amount: NumberLit
    unit: str  # "working" | "calendar"


@dataclass(frozen=True, slots=True)
class TimeSpan(Node):
    """`2 years` or `6 months`: how long an alternative route lasts."""

    amount: NumberLit
    unit: Name  # the checker accepts `years` and `months`


Value = Expr | MonthLit | Citation | TypedList | Rate | Tier | Duration | TimeSpan

# ---- structure ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field(Node):
    """`key value` inside a block."""

    key: Name
    value: Value


@dataclass(frozen=True, slots=True)
class Block(Node):
    """`kind label { items }`; the label is a name or a date, or absent."""

    kind: Name
    label: Name | DateLit | None
    items: tuple[Item, ...]

    def fields(self) -> tuple[Field, ...]:
        """The block's fields, in source order."""
        return tuple(item for item in self.items if isinstance(item, Field))

    def blocks(self) -> tuple[Block, ...]:
        """The block's nested blocks, in source order."""
        return tuple(item for item in self.items if isinstance(item, Block))


Item = Block | Field


@dataclass(frozen=True, slots=True)
class Comment(Node):
    """A `#` comment, kept so the formatter can put it back."""

    text: str


@dataclass(frozen=True, slots=True)
class Module(Node):
    """One parsed file."""

    path: str
    items: tuple[Item, ...]
    comments: tuple[Comment, ...] = ()
