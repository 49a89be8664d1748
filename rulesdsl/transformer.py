"""Lark parse tree → AST nodes. Builds nodes only; every judgement is the checker's."""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer, Tree, v_args

from rulesdsl import nodes as n


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


class AstBuilder(Transformer[Token, n.Module]):
    """Turns the tree of one file into a `Module`; `path` names the file in every span."""

    def __init__(self, path: str) -> None:
        super().__init__(visit_tokens=False)
        self.path = path

    # ---- spans ----------------------------------------------------------------------------

    def _tok(self, token: Token) -> n.Span:
        return n.Span(
            self.path,
            token.line or 1,
            token.column or 1,
            token.end_line or token.line or 1,
            token.end_column or (token.column or 1) + len(token),
        )

    def _meta(self, meta: Any) -> n.Span:
        if getattr(meta, "empty", True):
            return n.NO_SPAN
        return n.Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def _name(self, token: Token) -> n.Name:
        return n.Name(str(token), span=self._tok(token))

    # ---- structure ------------------------------------------------------------------------

    @v_args(meta=True)
    def start(self, meta: Any, items: list[n.Item]) -> n.Module:
        return n.Module(self.path, tuple(items), span=self._meta(meta))

    @v_args(meta=True)
    def block(self, meta: Any, children: list[Any]) -> n.Block:
        kind = self._name(children[0])
        rest = children[1:]
        label = None
        if rest and isinstance(rest[0], n.Name | n.DateLit):
            label, rest = rest[0], rest[1:]
        return n.Block(kind, label, tuple(rest), span=self._meta(meta))

    @v_args(meta=True)
    def field(self, meta: Any, children: list[Any]) -> n.Field:
        return n.Field(self._name(children[0]), children[1], span=self._meta(meta))

    # ---- non-expression values ------------------------------------------------------------

    @v_args(meta=True)
    def citation(self, meta: Any, children: list[Token]) -> n.Citation:
        instrument, provision = children
        return n.Citation(
            self._name(instrument),
            n.StringLit(_unquote(provision), span=self._tok(provision)),
            span=self._meta(meta),
        )

    @v_args(meta=True)
    def typed_list(self, meta: Any, children: list[Any]) -> n.TypedList:
        return n.TypedList(self._name(children[0]), children[1], span=self._meta(meta))

    @v_args(meta=True)
    def rate(self, meta: Any, children: list[Any]) -> n.Rate:
        return n.Rate(children[0], self._name(children[2]), span=self._meta(meta))

    @v_args(meta=True)
    def working_days(self, meta: Any, children: list[Token]) -> n.Duration:
        amount = n.NumberLit(str(children[0]), span=self._tok(children[0]))
        return n.Duration(amount, "working", span=self._meta(meta))

    @v_args(meta=True)
    def calendar_days(self, meta: Any, children: list[Token]) -> n.Duration:
        amount = n.NumberLit(str(children[0]), span=self._tok(children[0]))
        return n.Duration(amount, "calendar", span=self._meta(meta))

    # ---- expressions ----------------------------------------------------------------------

    @v_args(meta=True)
    def or_(self, meta: Any, children: list[n.Expr]) -> n.Or:
        left, right = children
        operands = (*left.operands, right) if isinstance(left, n.Or) else (left, right)
        return n.Or(operands, span=self._meta(meta))

    @v_args(meta=True)
    def and_(self, meta: Any, children: list[n.Expr]) -> n.And:
        left, right = children
        operands = (*left.operands, right) if isinstance(left, n.And) else (left, right)
        return n.And(operands, span=self._meta(meta))

    @v_args(meta=True)
    def not_(self, meta: Any, children: list[Any]) -> n.Not:
        return n.Not(children[1], span=self._meta(meta))

    @v_args(meta=True)
    def compare(self, meta: Any, children: list[Any]) -> n.Compare:
        left, op, right = children
        return n.Compare(str(op), left, right, span=self._meta(meta))

    @v_args(meta=True)
    def member(self, meta: Any, children: list[n.Expr]) -> n.Member:
        return n.Member(children[0], children[1], span=self._meta(meta))

    @v_args(meta=True)
    def subset(self, meta: Any, children: list[n.Expr]) -> n.Subset:
        return n.Subset(children[0], children[1], span=self._meta(meta))

    @v_args(meta=True)
    def contains(self, meta: Any, children: list[n.Expr]) -> n.Contains:
        return n.Contains(children[0], children[1], span=self._meta(meta))

    @v_args(meta=True)
    def percent_of(self, meta: Any, children: list[Any]) -> n.PercentOf:
        token, base = children
        percent = n.PercentLit(str(token)[:-1], span=self._tok(token))
        return n.PercentOf(percent, base, span=self._meta(meta))

    def name(self, children: list[Token]) -> n.Name:
        return self._name(children[0])

    def number(self, children: list[Token]) -> n.NumberLit:
        return n.NumberLit(str(children[0]), span=self._tok(children[0]))

    def percent(self, children: list[Token]) -> n.PercentLit:
        return n.PercentLit(str(children[0])[:-1], span=self._tok(children[0]))

    def date(self, children: list[Token]) -> n.DateLit:
        return n.DateLit(str(children[0]), span=self._tok(children[0]))

    def string(self, children: list[Token]) -> n.StringLit:
        return n.StringLit(_unquote(children[0]), span=self._tok(children[0]))

    def true(self, children: list[Token]) -> n.BoolLit:
        return n.BoolLit(True, span=self._tok(children[0]))

    def false(self, children: list[Token]) -> n.BoolLit:
        return n.BoolLit(False, span=self._tok(children[0]))

    def pending(self, children: list[Token]) -> n.PendingLit:
        return n.PendingLit(span=self._tok(children[0]))

    @v_args(meta=True)
    def list_lit(self, meta: Any, children: list[Any]) -> n.ListLit:
        items = tuple(child for child in children if child is not None)
        return n.ListLit(items, span=self._meta(meta))

    @v_args(meta=True)
    def call(self, meta: Any, children: list[Any]) -> n.Call:
        args = tuple(child for child in children[1:] if child is not None)
        return n.Call(self._name(children[0]), args, span=self._meta(meta))

    @v_args(meta=True)
    def money(self, meta: Any, children: list[Token]) -> n.MoneyLit:
        return n.MoneyLit(self._name(children[0]), str(children[1]), span=self._meta(meta))

    @v_args(meta=True)
    def money_percent(self, meta: Any, children: list[Token]) -> n.MoneyLit:
        amount = str(children[1])[:-1]
        return n.MoneyLit(self._name(children[0]), amount, True, span=self._meta(meta))

    @v_args(meta=True)
    def money_pending(self, meta: Any, children: list[Token]) -> n.MoneyLit:
        return n.MoneyLit(self._name(children[0]), None, span=self._meta(meta))


def build_module(tree: Tree[Token], path: str) -> n.Module:
    """Transform a parse tree into the AST of file `path`."""
    return AstBuilder(path).transform(tree)
