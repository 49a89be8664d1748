"""Citations as answers show them: the provision with its instrument's title, and the
provision's own address, else the instrument's."""

from __future__ import annotations

from engine.results import CitationOut
from rulesdsl import ir

CitationKey = tuple[str, str, str, str | None]


class Citations:
    """The citations of one bundle's rules, kept: one per cited provision of the bundle,
    so the table is finite. A jurisdiction's instrument is looked up in that jurisdiction,
    then among the bundle's own (frameworks, FATF lists); jurisdiction "" is the bundle's."""

    def __init__(self, bundle: ir.Bundle) -> None:
        self.instruments = {(j.code, i.id): i for j in bundle.jurisdictions for i in j.instruments}
        self.instruments.update({("", i.id): i for i in bundle.instruments})
        self._kept: dict[CitationKey, CitationOut] = {}

    def __call__(self, jurisdiction: str, citation: ir.Citation) -> CitationOut:
        """`citation`, made in `jurisdiction`'s rules, as answers show it."""
        key = (jurisdiction, citation.instrument, citation.provision, citation.url)
        found = self._kept.get(key)
        if found is None:
            found = self._kept[key] = self._made(jurisdiction, citation)
        return found

    def _made(self, jurisdiction: str, citation: ir.Citation) -> CitationOut:
        instrument = self.instruments.get(
            (jurisdiction, citation.instrument)
        ) or self.instruments.get(("", citation.instrument))
        return CitationOut(
            instrument=citation.instrument,
            title=instrument.title if instrument else citation.instrument,
            provision=citation.provision,
            url=citation.url or (instrument.url if instrument else None),
        )
