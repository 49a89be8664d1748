"""Type-checks the arithmetic of amounts: a share of an amount (`150% of x`), a multiple of
it (`x * 1.5`) and months of a monthly amount (`3 months of monthly_expenses`).

Each elaborates to `ir.PercentOf` or `ir.MonthsOf`, refused where the amount it computes
could leave the exact range every backend keeps (`E242`, `E243`).
"""

from __future__ import annotations

from decimal import Decimal

from rulesdsl import ir
from rulesdsl.check.literals import LeafChecker, Result, Ty, parse_decimal
from rulesdsl.syntax import nodes as n

MAX_MONTHS = 1200  # a hundred years: past that a count of months is a typo, not a rule
AMOUNT_BOUND = Decimal(10) ** 18  # no amount a rule computes from literals reaches it
# The largest factor a threshold may scale a firm's figure by, all nested factors together:
# a profile's amounts stay below 10^18, so every product stays exact well within Decimal's
# 28 significant digits (10^18 x 10^4 with minor units is 26 digits) and never overflows.
MAX_FACTOR = Decimal(10_000)


class AmountChecker(LeafChecker):
    """The arithmetic of amounts, for `rulesdsl.check.types.ExprChecker` (which infers the
    operands' types)."""

    def infer(self, expr: n.Value, expected: Ty | None) -> Result:
        raise NotImplementedError  # the expression checker infers every kind of node

    def percent_of(self, node: n.PercentOf, expected: Ty | None) -> Result:
        # A share that multiplies may exceed 100 % (`150% of x`); a bare percentage may not.
        found = self.scaled(node.percent, node.base, "E406", "'% of'")
        if found is None:
            return None
        share, base = found
        return self.bounded(ir.PercentOf(percent=share, base=base), node)

    def months_of(self, node: n.MonthsOf, expected: Ty | None) -> Result:
        count = parse_decimal(node.count.text)
        if count is None or count != count.to_integral_value() or not 1 <= count <= MAX_MONTHS:
            self.report(
                "E241",
                f"'{node.count.text} months': a number of months is whole, 1 to {MAX_MONTHS}",
                node.count.span,
            )
            return None
        base = self.infer(node.base, None)
        if base is None:
            return None
        if base[0].kind != "money":
            self.report(
                "E240", f"'months of' needs a monthly amount, found {base[0].a()}", node.base.span
            )
            return None
        return self.bounded(ir.MonthsOf(months=int(count), base=base[1]), node)

    def times(self, node: n.Times, expected: Ty | None) -> Result:
        found = self.scaled(node.factor, node.base, "E240", "'*'")
        if found is None:
            return None
        factor, base = found
        # `x * 1.5` and `x * 150%` mean `150% of x`: one IR node for a constant factor.
        share = factor if isinstance(node.factor, n.PercentLit) else factor * 100
        return self.bounded(ir.PercentOf(percent=share, base=base), node)

    def scaled(
        self, number: n.NumberLit | n.PercentLit, base_node: n.Expr, code: str, what: str
    ) -> tuple[Decimal, ir.Expr] | None:
        """The constant and the amount of `share of amount` or `amount * factor`, or None
        after reporting an unreadable number or a base that is not an amount."""
        factor = parse_decimal(number.text)
        base = self.infer(base_node, None)
        if factor is None or base is None:
            if factor is None:
                self.report("E407", f"invalid number '{number.text}'", number.span)
            return None
        if base[0].kind != "money":
            self.report(code, f"{what} needs an amount, found {base[0].a()}", base_node.span)
            return None
        return factor, base[1]

    def bounded(self, share: ir.PercentOf | ir.MonthsOf, node: n.Value) -> Result:
        """Refuse a share or multiple of a literal amount whose result reaches 10^18."""
        literal = share.base
        if isinstance(literal, ir.MoneyConst) and abs(literal.amount * ir.multiplier(share)) >= (
            AMOUNT_BOUND
        ):
            self.report("E242", "the computed amount is 10^18 or more", node.span)
            return None
        if _scale(share) > MAX_FACTOR:
            self.report(
                "E243",
                f"the amount is multiplied by more than {MAX_FACTOR:,} in all",
                node.span,
                help="a share is at most 1,000,000 %; nested shares and months multiply",
            )
            return None
        return Ty("money"), share


def _scale(expr: ir.Expr) -> Decimal:
    """The largest factor `expr` multiplies an amount by, through nested shares and months."""
    if isinstance(expr, ir.PercentOf | ir.MonthsOf):
        return ir.multiplier(expr) * _scale(expr.base)
    if isinstance(expr, ir.Extremum):
        return max(_scale(arg) for arg in expr.args)
    return Decimal(1)
