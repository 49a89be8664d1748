"""The vocabulary's attribute descriptions, for documents that explain the terms they use.

A decision names requirements, not the attributes they read; the glossary maps both, so a
memo can define every attribute its requirements read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from rulesdsl import ir


def _empty() -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Glossary:
    """Attribute name → description, and requirement id → the attributes it reads."""

    attributes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    reads: Mapping[str, tuple[str, ...]] = field(default_factory=_empty)

    def terms(
        self, requirements: Iterable[str], named: Iterable[str] = ()
    ) -> list[tuple[str, str]]:
        """The attributes `requirements` read and the `named` ones, with their descriptions,
        in alphabetical order (an attribute the vocabulary lacks is left out)."""
        wanted = {a for r in requirements for a in self.reads.get(r, ())} | set(named)
        return [(a, self.attributes[a]) for a in sorted(wanted) if a in self.attributes]


def glossary_of(bundle: ir.Bundle) -> Glossary:
    """The glossary of a bundle's vocabulary and requirements."""
    reads = {r.id: r.reads for j in bundle.jurisdictions for r in j.requirements}
    return Glossary(
        attributes=MappingProxyType({a.name: a.description for a in bundle.vocabulary.attributes}),
        reads=MappingProxyType(reads),
    )
