"""`discretionary "…"`: what the regulator sets with each firm, checked and elaborated.

A discretionary figure (`cold_storage_min_share >= discretionary "the share agreed with the
FSRA"`) or condition (`require discretionary "a waiver of residence granted by the CBB"`) is
not law waiting to be published (that is `pending`) but an agreement the firm reaches with
the regulator. Its only fact is whether the firm has reached it, so both forms elaborate to
one membership test on the built-in attribute `agreed_with_regulator`, the set of
requirement ids whose discretionary terms the firm's profile records as agreed:

    AGREED contains <requirement id>

Every backend, the implication check and the synthesis of a minimum licensee then treat it
as any other membership (a host's agreement is never implied by a home's: the ids differ),
and the engine gives an unmet line with the remedy "agree … with the regulator" until the
profile records it, never an unknown that no firm can resolve. The requirement records the
text (`ir.Requirement.discretion`) for its remedy and the open-questions page.
"""

from __future__ import annotations

from typing import Protocol

from rulesdsl import ir
from rulesdsl.check.literals import BOOLEAN, EQUATABLE_KINDS, Result
from rulesdsl.ir.semantics import AGREED
from rulesdsl.ir.walk import attributes_read
from rulesdsl.syntax import nodes as n


class _Reports(Protocol):
    requirement: str  # the id of the requirement whose condition is being checked
    in_when: bool  # whether that condition is its `when`
    discretion: str | None  # the text of the last discretionary term elaborated

    def report(self, code: str, message: str, span: n.Span, help: str | None = None) -> None: ...


def agreement(checker: _Reports, node: n.DiscretionaryLit) -> Result:
    """The elaboration of a discretionary term of the requirement being checked."""
    if not node.text.strip():
        checker.report(
            "E275",
            "a discretionary term needs the text of what the regulator decides",
            node.span,
            help='e.g. `discretionary "the cold-storage share agreed with the FSRA"`',
        )
        return None
    if checker.in_when:
        checker.report(
            "E276",
            "a requirement's scope (`when`) is never discretionary",
            node.span,
            help='where the source leaves who is covered open, say so with `unstated "…"`; '
            "put what the regulator decides in `require`",
        )
        return None
    checker.discretion = node.text.strip()
    test = ir.ContainsItem(
        collection=ir.AttrRef(name=AGREED), item=ir.SymbolConst(value=checker.requirement)
    )
    return BOOLEAN, test


def discretionary_figure(checker: _Reports, node: n.Compare, other: Result) -> Result:
    """`attribute OP discretionary "…"` (either side): the comparison is the agreement."""
    side = node.right if isinstance(node.right, n.DiscretionaryLit) else node.left
    assert isinstance(side, n.DiscretionaryLit)
    if other is None:
        return None
    # What is agreed is a figure for one of the firm's own quantities: the other side must
    # read the firm's facts (a constant against a discretionary figure says nothing).
    if other[0].kind not in EQUATABLE_KINDS or not attributes_read(other[1]):
        checker.report(
            "E277",
            "a discretionary figure is compared with one of the firm's attributes",
            node.span,
            help='e.g. `cold_storage_min_share >= discretionary "agreed with the FSRA"`',
        )
        return None
    return agreement(checker, side)
