"""`tiers transfer_amount { … }` inside a requirement: its structure, and the firm check
it stands for.

A tiers block lists bands of a transfer's amount, lowest first: the first line closes the
lowest band (`below B` or `up_to B`), each later line opens a band (`over B` or
`at_or_above B`) that runs to the next line's boundary. The firm's own threshold (the
`policy` attribute: the amount from which the firm meets the demands, inclusive) is checked
against the first boundary, B: `policy <= B`. For `at_or_above B` a firm complying from B
covers exactly the demanding band; for `over B` it covers that band and the amount B itself,
which the source does not demand, so `<=` is right for both. That condition is written here
as an AST comparison and type-checked like any `require`, so every backend, the implication
check and the explanations handle it as they handle a written `require`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from rulesdsl.errors import Diagnostic, did_you_mean
from rulesdsl.ir.tiers import Band, TierEdge, Tiers
from rulesdsl.syntax import nodes as n

TIERED_QUANTITIES = ("transfer_amount",)
FIRST_KEYS = ("below", "up_to")  # close the lowest band; `up_to` includes its boundary
NEXT_KEYS = ("over", "at_or_above")  # open a band; `at_or_above` includes its boundary
# What a band may demand of a transfer in it (the Travel Rule's data and checks).
DEMANDS = (
    "basic_information",
    "originator_information",
    "beneficiary_information",
    "full_originator_information",
    "full_beneficiary_information",
    "originator_verified",
    "wallet_ownership_verified",
)


def tiers_block(requirement: n.Block) -> n.Block | None:
    """The requirement's `tiers` block, if it has one (the first, if several)."""
    return next((b for b in requirement.blocks() if b.kind.text == "tiers"), None)


def _lines(block: n.Block) -> list[tuple[str, n.Tier]]:
    return [
        (item.key.text, item.value) for item in block.fields() if isinstance(item.value, n.Tier)
    ]


def _policy(block: n.Block) -> n.Name | None:
    item = next((f for f in block.fields() if f.key.text == "policy"), None)
    return item.value if item is not None and isinstance(item.value, n.Name) else None


def tier_condition(block: n.Block) -> n.Compare | None:
    """`policy <= first boundary`, as if written; None when the block is malformed."""
    lines = _lines(block)
    policy = _policy(block)
    if policy is None or not lines or lines[0][0] not in FIRST_KEYS:
        return None
    boundary = lines[0][1].boundary
    return n.Compare("<=", policy, boundary, span=block.label.span if block.label else block.span)


def _amount(boundary: n.MoneyLit) -> Decimal | None:
    if boundary.amount is None or boundary.is_percent:
        return None
    return Decimal(boundary.amount.replace("_", ""))


def check_tiers(requirement: n.Block) -> Iterable[Diagnostic]:
    """E260–E267 for one requirement's tiers (and its `require`/`tiers` choice)."""
    blocks = [b for b in requirement.blocks() if b.kind.text == "tiers"]
    has_require = any(f.key.text == "require" for f in requirement.fields())
    where = requirement.label.span if requirement.label else requirement.kind.span
    if has_require == bool(blocks) or len(blocks) > 1:
        yield Diagnostic(
            "E266",
            "a requirement states what must hold once: a `require` or one `tiers` block",
            blocks[-1].kind.span if blocks else where,
            help="write `require …`, or `tiers transfer_amount { … }` with a `policy`",
        )
    for block in blocks:
        yield from _check_block(block)


def _check_block(block: n.Block) -> Iterable[Diagnostic]:
    label = block.label.text if isinstance(block.label, n.Name) else ""
    if block.label is not None and label not in TIERED_QUANTITIES:
        yield Diagnostic(
            "E265",
            f"tiers on '{label}': only a transfer's amount is tiered",
            block.label.span,
            help="write `tiers transfer_amount { … }`",
        )
    lines = _lines(block)
    if _policy(block) is None or len(lines) < 2 or lines[0][0] not in FIRST_KEYS:
        yield Diagnostic(
            "E265",
            "tiers need a `policy`, a lowest band (`below` or `up_to`) first, then at least "
            "one band from a boundary (`over` or `at_or_above`)",
            block.kind.span,
            help="e.g. `up_to AED 3_500 demands []`, then `over AED 3_500 demands [...]`",
        )
    currency = lines[0][1].boundary.currency.text if lines else ""
    previous: tuple[str, Decimal] | None = None
    for index, (key, tier) in enumerate(lines):
        yield from _check_demands(tier)
        amount = _amount(tier.boundary)
        if amount is None:
            yield Diagnostic(
                "E260",
                "a tier boundary is a fixed amount of money",
                tier.boundary.span,
                help="e.g. `over AED 3_500 demands [...]`",
            )
            continue
        if tier.boundary.currency.text != currency:
            yield Diagnostic(
                "E261",
                f"tier boundary in {tier.boundary.currency.text}; the tiers are in {currency}",
                tier.boundary.currency.span,
                help=f"write every boundary in {currency}",
            )
            continue
        if index > 0 and key in FIRST_KEYS:
            yield Diagnostic(
                "E262",
                f"'{key}' closes the lowest band and comes first",
                tier.span,
                help="later bands start from a boundary: `over` or `at_or_above`",
            )
        elif previous is not None:
            yield from _check_edge(previous, (key, amount), tier)
        previous = (key, amount)


def _check_edge(
    previous: tuple[str, Decimal], current: tuple[str, Decimal], tier: n.Tier
) -> Iterable[Diagnostic]:
    """Boundaries rise; the lowest band's boundary is shared with the next band's."""
    (before, low), (key, amount) = previous, current
    if amount < low or (amount == low and before in NEXT_KEYS):
        yield Diagnostic(
            "E262",
            "tiers are not in rising order",
            tier.boundary.span,
            help="list the bands lowest first, each boundary above the one before",
        )
    elif amount > low and before in FIRST_KEYS:
        yield Diagnostic(
            "E264",
            "amounts between the lowest band and this one fall in no band",
            tier.boundary.span,
            help="start the second band at the first band's boundary",
        )
    elif amount == low and (before == "up_to") == (key == "at_or_above"):
        overlap = before == "up_to"
        yield Diagnostic(
            "E263" if overlap else "E264",
            "the boundary falls in two bands" if overlap else "the boundary falls in no band",
            tier.span,
            help="pair `up_to B` with `over B`, or `below B` with `at_or_above B`",
        )


def _check_demands(tier: n.Tier) -> Iterable[Diagnostic]:
    seen: set[str] = set()
    for item in tier.demands.items:
        text = item.text if isinstance(item, n.Name) else ""
        if text not in DEMANDS or text in seen:
            yield Diagnostic(
                "E267",
                f"'{text}' listed twice" if text in seen else "not a known demand",
                item.span,
                help=did_you_mean(text, DEMANDS) or f"demands: {', '.join(DEMANDS)}",
            )
        seen.add(text)


def lower_tiers(block: n.Block) -> Tiers:
    """The checked block as IR: bands lowest first, each with its edges and demands."""
    lines = _lines(block)
    policy = _policy(block)
    assert policy is not None and lines

    def edge(key: str, tier: n.Tier, inclusive_keys: tuple[str, ...]) -> TierEdge:
        amount = _amount(tier.boundary)
        assert amount is not None
        return TierEdge(
            amount=amount, currency=tier.boundary.currency.text, inclusive=key in inclusive_keys
        )

    def demands(tier: n.Tier) -> tuple[str, ...]:
        return tuple(i.text for i in tier.demands.items if isinstance(i, n.Name))

    first_key, first = lines[0]
    bands = [Band(lower=None, upper=edge(first_key, first, ("up_to",)), demands=demands(first))]
    for index, (key, tier) in enumerate(lines[1:], start=1):
        upper = None
        if index + 1 < len(lines):  # runs up to the next band's boundary, exclusive of it
            next_key, next_tier = lines[index + 1]
            upper = edge(next_key, next_tier, ("over",))
        bands.append(
            Band(lower=edge(key, tier, ("at_or_above",)), upper=upper, demands=demands(tier))
        )
    return Tiers(policy=policy.text, bands=tuple(bands))
