"""Parse → AST nodes. Builds nodes only; every judgement is the checker's.

The builder runs inside the LALR parser (Lark's inline transformer), so no parse tree is
built and each node is made once, at its reduction. Spans come from the tokens themselves
(brackets and braces are kept as named tokens for that), which is cheaper than Lark's
position propagation. The file name for spans is read from a context variable that
`parser.parse_module` sets for the duration of one parse.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from lark import Token, Transformer

from rulesdsl.syntax import nodes as n

CURRENT_PATH: ContextVar[str] = ContextVar("jawaz_current_path", default="<text>")


def _unquote(token: str) -> str:
    body = token[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    chars = iter(body)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        escaped = next(chars, "")
        out.append({"n": "\n", "t": "\t"}.get(escaped, escaped))
    return "".join(out)


def token_span(token: Token) -> n.Span:
    """The span of one token in the file being parsed."""
    line = token.line or 1
    column = token.column or 1
    return n.Span(
        CURRENT_PATH.get(),
        line,
        column,
        token.end_line or line,
        token.end_column or column + len(token),
    )


def span_of(first: Any, last: Any) -> n.Span:
    """From the start of `first` to the end of `last` (tokens or nodes)."""
    start = first.span if isinstance(first, n.Node) else token_span(first)
    end = last.span if isinstance(last, n.Node) else token_span(last)
    return start.to(end)


def _name(token: Token) -> n.Name:
    return n.Name(str(token), span=token_span(token))


class AstBuilder(Transformer[Token, n.Module]):
    """Callbacks named after the grammar's rules and aliases; each returns a node."""

    # ---- structure ------------------------------------------------------------------------

    def start(self, items: list[n.Item]) -> n.Module:
        span = span_of(items[0], items[-1]) if items else n.Span(CURRENT_PATH.get(), 1, 1, 1, 1)
        return n.Module(CURRENT_PATH.get(), tuple(items), span=span)

    def block(self, children: list[Any]) -> n.Block:
        kind = _name(children[0])
        label = children[1] if isinstance(children[1], n.Name | n.DateLit) else None
        items = tuple(c for c in children[2 if label is None else 3 : -1])
        return n.Block(kind, label, items, span=span_of(children[0], children[-1]))

    def field(self, children: list[Any]) -> n.Field:
        return n.Field(_name(children[0]), children[1], span=span_of(children[0], children[1]))

    # ---- non-expression values ------------------------------------------------------------

    def citation(self, children: list[Token]) -> n.Citation:
        instrument, provision = children
        text = n.StringLit(_unquote(provision), span=token_span(provision))
        return n.Citation(_name(instrument), text, span=span_of(instrument, provision))

    def typed_list(self, children: list[Any]) -> n.TypedList:
        return n.TypedList(_name(children[0]), children[1], span=span_of(children[0], children[1]))

    def rate(self, children: list[Any]) -> n.Rate:
        return n.Rate(children[0], _name(children[2]), span=span_of(children[0], children[2]))

    def tier(self, children: list[Any]) -> n.Tier:
        return n.Tier(children[0], children[2], span=span_of(children[0], children[2]))

    def working_days(self, children: list[Token]) -> n.Duration:
        amount = n.NumberLit(str(children[0]), span=token_span(children[0]))
        return n.Duration(amount, "working", span=span_of(children[0], children[-1]))

    def calendar_days(self, children: list[Token]) -> n.Duration:
        amount = n.NumberLit(str(children[0]), span=token_span(children[0]))
        return n.Duration(amount, "calendar", span=span_of(children[0], children[-1]))

    def time_span(self, children: list[Token]) -> n.TimeSpan:
        amount = n.NumberLit(str(children[0]), span=token_span(children[0]))
        return n.TimeSpan(amount, _name(children[1]), span=span_of(children[0], children[1]))

    # ---- expressions ----------------------------------------------------------------------

    # `(a and b) and c` is `a and b and c`: nested chains of the same operator are merged,
    # so the AST (and the formatter's output) does not depend on redundant parentheses.

    def or_expr(self, children: list[n.Expr]) -> n.Or:
        operands = tuple(o for c in children for o in (c.operands if isinstance(c, n.Or) else (c,)))
        return n.Or(operands, span=span_of(children[0], children[-1]))

    def and_expr(self, children: list[n.Expr]) -> n.And:
        operands = tuple(
            o for c in children for o in (c.operands if isinstance(c, n.And) else (c,))
        )
        return n.And(operands, span=span_of(children[0], children[-1]))

    def not_(self, children: list[Any]) -> n.Not:
        return n.Not(children[1], span=span_of(children[0], children[1]))

    def compare(self, children: list[Any]) -> n.Compare:
        left, op, right = children
        return n.Compare(str(op), left, right, span=span_of(left, right))

    def member(self, children: list[n.Expr]) -> n.Member:
        return n.Member(children[0], children[1], span=span_of(children[0], children[1]))

    def subset(self, children: list[n.Expr]) -> n.Subset:
        return n.Subset(children[0], children[1], span=span_of(children[0], children[1]))

    def contains(self, children: list[n.Expr]) -> n.Contains:
        return n.Contains(children[0], children[1], span=span_of(children[0], children[1]))

    def percent_of(self, children: list[Any]) -> n.PercentOf:
        token, base = children
        percent = n.PercentLit(str(token)[:-1], span=token_span(token))
        return n.PercentOf(percent, base, span=span_of(token, base))

    def months_of(self, children: list[Any]) -> n.MonthsOf:
        token, _months, base = children
        count = n.NumberLit(str(token), span=token_span(token))
        return n.MonthsOf(count, base, span=span_of(token, base))

    def times(self, children: list[Any]) -> n.Times:
        base, token = children
        text = str(token)
        factor: n.NumberLit | n.PercentLit = (
            n.PercentLit(text[:-1], span=token_span(token))
            if text.endswith("%")
            else n.NumberLit(text, span=token_span(token))
        )
        return n.Times(base, factor, span=span_of(base, token))

    def paren(self, children: list[Any]) -> n.Expr:
        return children[1]  # type: ignore[no-any-return]

    def name(self, children: list[Token]) -> n.Name:
        return _name(children[0])

    def number(self, children: list[Token]) -> n.NumberLit:
        return n.NumberLit(str(children[0]), span=token_span(children[0]))

    def percent(self, children: list[Token]) -> n.PercentLit:
        return n.PercentLit(str(children[0])[:-1], span=token_span(children[0]))

    def date(self, children: list[Token]) -> n.DateLit:
        return n.DateLit(str(children[0]), span=token_span(children[0]))

    def month(self, children: list[Token]) -> n.MonthLit:
        return n.MonthLit(str(children[0]), span=token_span(children[0]))

    def unstated(self, children: list[Token]) -> n.Unstated:
        word, text = children
        literal = n.StringLit(_unquote(text), span=token_span(text))
        return n.Unstated(literal, span=span_of(word, text))

    def string(self, children: list[Token]) -> n.StringLit:
        return n.StringLit(_unquote(children[0]), span=token_span(children[0]))

    def true(self, children: list[Token]) -> n.BoolLit:
        return n.BoolLit(True, span=token_span(children[0]))

    def false(self, children: list[Token]) -> n.BoolLit:
        return n.BoolLit(False, span=token_span(children[0]))

    def pending(self, children: list[Token]) -> n.PendingLit:
        return n.PendingLit(span=token_span(children[0]))

    def discretionary(self, children: list[Token]) -> n.DiscretionaryLit:
        text = children[1]
        return n.DiscretionaryLit(_unquote(text), span=span_of(children[0], text))

    def list_lit(self, children: list[Any]) -> n.ListLit:
        items = tuple(c for c in children[1:-1] if c is not None)
        return n.ListLit(items, span=span_of(children[0], children[-1]))

    def call(self, children: list[Any]) -> n.Call:
        args = tuple(c for c in children[2:-1] if c is not None)
        return n.Call(_name(children[0]), args, span=span_of(children[0], children[-1]))

    def call_where(self, children: list[Any]) -> n.CallWhere:
        function, _, subject, where, closing = children
        return n.CallWhere(_name(function), subject, where, span=span_of(function, closing))

    def money(self, children: list[Token]) -> n.MoneyLit:
        currency, amount = children
        return n.MoneyLit(_name(currency), str(amount), span=span_of(currency, amount))

    def money_percent(self, children: list[Token]) -> n.MoneyLit:
        currency, amount = children
        value = str(amount)[:-1]
        return n.MoneyLit(_name(currency), value, True, span=span_of(currency, amount))

    def money_pending(self, children: list[Token]) -> n.MoneyLit:
        currency, word = children
        return n.MoneyLit(_name(currency), None, span=span_of(currency, word))
