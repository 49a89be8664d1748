"""A condition step by step: the reference evaluator's truth for each part of it and the
value of each operand it reads, for `jawaz explain`.

Nothing here evaluates in a way of its own: each part's truth is `reference.evaluate` of
that part and each operand's value is `reference.value`, in the context the passport
decision builds, so the steps add up to the line the passport gives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import assert_never

from engine.decisions.answers import gap_out, money_out, reasons_of
from engine.evaluation import reference
from engine.evaluation.backend import Context
from engine.evaluation.explanations import CONSTANTS, Missing, show
from engine.inputs.fx import RateUsed
from engine.inputs.money import Money
from engine.inputs.profiles import Value
from engine.presentation.describe import describe
from engine.results import RateOut
from engine.results.explanation import ConditionStep, OperandOut, OperandSource, Truth
from rulesdsl import ir
from rulesdsl.ir.semantics import expand_extremum

_TRUTH: Mapping[bool | None, Truth] = {True: "true", False: "false", None: "unknown"}


class Tracer:
    """Traces conditions for one firm: `given` are the facts its profile states (the rest
    of the context's facts the engine derived), `rate_out` reports an FX rate."""

    def __init__(
        self, ctx: Context, given: Mapping[str, Value], rate_out: Callable[[RateUsed], RateOut]
    ) -> None:
        self.ctx = ctx
        self.given = given
        self.rate_out = rate_out

    def step(self, expr: ir.Expr) -> ConditionStep:
        """The truth of `expr` and of each of its parts, with their operands."""
        outcome = reference.evaluate(expr, self.ctx)
        parts: list[ConditionStep] = []
        operands: list[OperandOut] = []
        currency: str | None = None
        match expr:
            case ir.AllOf(operands=listed) | ir.AnyOf(operands=listed):
                parts = [self.step(part) for part in listed]
            case ir.NotExpr(operand=operand):
                parts = [self.step(operand)]
            case ir.Comparison(left=left, right=right):
                currency = expr.currency
                within = expr.currency_or(self.ctx.currency)
                operands = [self.operand(left, within), self.operand(right, within)]
                expanded = expand_extremum(expr)  # `x >= max(a, b)`: one test per bound
                if expanded is not None:
                    parts = [self.step(part) for part in expanded.operands]
            case (
                ir.Membership(item=first, collection=second)
                | ir.ContainsItem(collection=first, item=second)
            ):
                operands = [self.operand(first), self.operand(second)]
            case ir.SubsetOf(left=first, right=second):
                operands = [self.operand(first), self.operand(second)]
            case ir.Unstated():
                pass  # what the source leaves open reads no operand: its reason says what
            case (
                ir.AttrRef()
                | ir.MoneyConst()
                | ir.PercentConst()
                | ir.IntConst()
                | ir.BoolConst()
                | ir.DateConst()
                | ir.SymbolConst()
                | ir.SetConst()
                | ir.PendingConst()
                | ir.Extremum()
                | ir.PercentOf()
                | ir.MonthsOf()
                | ir.Count()
                | ir.PersonField()
            ):
                operands = [self.operand(expr)]
            case _:
                assert_never(expr)
        truth = _TRUTH[outcome.value]
        return ConditionStep.trusted(
            kind=expr.kind,
            expression=describe(expr),
            truth=truth,
            currency=currency,
            pending=any(o.source == "pending" for o in operands),
            operands=operands,
            parts=parts,
            gaps=[gap_out(g) for g in outcome.gaps] if truth == "false" else [],
            reasons=reasons_of(outcome) if truth == "unknown" else [],
        )

    def operand(self, expr: ir.Expr, currency: str | None = None) -> OperandOut:
        """One operand's value (money in `currency`), where it came from, the FX rates
        reading it used and, for a computed value, what it was computed from."""
        within = currency or self.ctx.currency
        before, self.ctx.rates = self.ctx.rates, set()
        try:
            found = reference.value(expr, self.ctx, within)
            used = sorted(self.ctx.rates, key=lambda r: (r.source, r.target, r.table_date))
        finally:
            self.ctx.rates = before | self.ctx.rates
        parts: list[OperandOut] = []
        match expr:
            case ir.PercentOf(base=base) | ir.MonthsOf(base=base):
                parts = [self.operand(base, currency)]
            case ir.Extremum(args=args):
                parts = [self.operand(arg, currency) for arg in args]
            case ir.Count(of=of):
                parts = [self.operand(of)]
            case _:
                pass
        stated = self.given.get(expr.name) if isinstance(expr, ir.AttrRef) else None
        return OperandOut.trusted(
            expression=describe(expr),
            source=self._source(expr, found),
            value=None if isinstance(found, Missing) else show(found),
            amount=money_out(found) if isinstance(found, Money) else None,
            given=money_out(stated) if isinstance(stated, Money) and stated != found else None,
            missing=sorted(found.attributes) if isinstance(found, Missing) else [],
            conversions=[self.rate_out(rate) for rate in used],
            parts=parts,
        )

    def _source(self, expr: ir.Expr, found: Value | Missing) -> OperandSource:
        if isinstance(found, Missing):
            return "pending" if found.pending and not found.attributes else "missing"
        if isinstance(expr, ir.AttrRef):
            return "profile" if expr.name in self.given else "derived"
        return "rule" if isinstance(expr, CONSTANTS) else "derived"
