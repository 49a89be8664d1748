"""Building IR by hand in tests, recording what lowering records."""

from __future__ import annotations

from rulesdsl import ir
from rulesdsl.ir.semantics import comparison_currency
from rulesdsl.ir.walk import attributes_read


def recorded(comparison: ir.Comparison) -> ir.Comparison:
    """The comparison with the currency lowering records when it writes an amount; none
    recorded otherwise, so that it is made in the context's currency."""
    currency = comparison_currency(comparison, "") or None
    return comparison.model_copy(update={"currency": currency})


def requirement(
    require: ir.Expr, when: ir.Expr | None = None, rid: str = "R", category: str = "capital"
) -> ir.Requirement:
    """A requirement in force always, with what it reads recorded."""
    return ir.Requirement(
        id=rid,
        title=rid,
        category=category,
        licences=(),
        when=when,
        require=require,
        period=ir.Period(),
        citation=ir.Citation(instrument="T", provision="1"),
        confidence="confirmed",
        remedy="-",
        reads=attributes_read(when, require),
    )
