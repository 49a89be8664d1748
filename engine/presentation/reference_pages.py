"""The site's reference pages generated from the rules: the glossary (the vocabulary's own
descriptions of every attribute, category, activity and body) and the table of
authorities (every instrument with its full title, number, date and link, and each place
the rules cite it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from engine.presentation.markdown import escape, link
from rulesdsl import ir


def _type_text(kind: ir.ValueType) -> str:
    if kind.kind in ("enum", "set") and kind.values:
        return f"{kind.kind} of {', '.join(kind.values)}"
    return kind.kind


def glossary_markdown(vocabulary: ir.Vocabulary) -> str:
    """Every term the rules and profiles are written in, with its meaning."""
    lines = [
        "# Glossary",
        "",
        "The words of the rules and of firm profiles, as the bundled vocabulary defines them.",
        "",
        "## Attributes",
        "",
        "A firm profile states these; a requirement reads some of them. *Per host*: a fact "
        "about one host (residents there, an office there), never carried to another.",
        "",
        "| Attribute | Type | Meaning | Per host |",
        "| --- | --- | --- | --- |",
    ]
    for a in sorted(vocabulary.attributes, key=lambda a: a.name):
        per_host = "yes" if a.per_host else ""
        lines.append(
            f"| `{a.name}` | {escape(_type_text(a.type))} | {escape(a.description)} | {per_host} |"
        )
    for heading, terms in (
        ("Requirement categories", vocabulary.categories),
        ("Activities", vocabulary.activities),
        ("Bodies", vocabulary.bodies),
    ):
        lines += ["", f"## {heading}", "", "| Term | Meaning |", "| --- | --- |"]
        lines += [f"| `{t.id}` | {escape(t.title)} |" for t in terms]
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class _Cited:
    """One place the rules cite an instrument."""

    where: str  # "MY-DAX-CAPITAL", "licence rmo_dax", "framework mica"
    jurisdiction: str  # "" outside any jurisdiction
    provision: str


def _citations(bundle: ir.Bundle) -> Iterator[tuple[str, ir.Citation, str]]:
    """(jurisdiction or "", citation, what cites it) for everything the rules cite."""
    for j in bundle.jurisdictions:
        for g in j.regimes:
            if g.citation:
                yield j.code, g.citation, f"regime: {g.activity}"
        for lic in j.licences:
            if lic.citation:
                yield j.code, lic.citation, f"licence {lic.id}"
        for r in j.requirements:
            yield j.code, r.citation, r.id
    for f in bundle.frameworks:
        if f.citation:
            yield "", f.citation, f"framework {f.id}"
    for listing in bundle.fatf:
        yield "", listing.citation, f"FATF {listing.list} list: {listing.country}"
    for mou in bundle.mous:
        yield "", mou.citation, f"MoU {mou.id}"
    for table in bundle.fx:
        for rate in table.rates:
            if rate.citation:
                yield "", rate.citation, f"FX peg {rate.base}/{rate.quote}"


def _owners(bundle: ir.Bundle) -> dict[tuple[str, str], ir.Instrument]:
    owned = {("", i.id): i for i in bundle.instruments}
    owned.update({(j.code, i.id): i for j in bundle.jurisdictions for i in j.instruments})
    return owned


def _owner(owned: dict[tuple[str, str], ir.Instrument], code: str, instrument: str) -> str:
    """Whose instrument a citation names: its jurisdiction's, else the bundle's, else the
    one jurisdiction that has it (a peg cites its central bank's instrument)."""
    if (code, instrument) in owned:
        return code
    if ("", instrument) in owned:
        return ""
    return next((c for c, i in owned if i == instrument), "")


def authorities_markdown(bundle: ir.Bundle, page_of: Callable[[str], str]) -> str:
    """Every instrument, by jurisdiction, with where each is cited (`page_of(code)` is the
    page of a jurisdiction, where its requirements are set out)."""
    owned = _owners(bundle)
    cited: dict[tuple[str, str], list[_Cited]] = {key: [] for key in owned}
    for code, citation, where in _citations(bundle):
        key = (_owner(owned, code, citation.instrument), citation.instrument)
        cited.setdefault(key, []).append(_Cited(where, code, citation.provision))
    names = {j.code: j.name for j in bundle.jurisdictions}
    lines = [
        "# Table of authorities",
        "",
        "Every legal instrument the bundled rules cite, with its full title, number, date and "
        "address, and each rule that cites it.",
    ]
    for owner in ["", *sorted(names)]:
        keys = sorted(k for k in cited if k[0] == owner)
        if not keys:
            continue
        heading = f"{names[owner]} ({owner})" if owner else "Across jurisdictions"
        lines += ["", f"## {escape(heading)}", ""]
        lines += ["| Instrument | Title | Number | Date | Cited in |", "|" + " --- |" * 5]
        for key in keys:
            lines.append(_row(owned.get(key), key[1], cited[key], page_of))
    return "\n".join(lines)


def _row(
    instrument: ir.Instrument | None, id_: str, places: list[_Cited], page_of: Callable[[str], str]
) -> str:
    title = instrument.title if instrument else id_
    number = instrument.number if instrument and instrument.number else ""
    date = str(instrument.date) if instrument and instrument.date else ""
    uses = []
    for place in places:
        where = escape(place.where)
        if place.jurisdiction:
            where = f"[{place.jurisdiction} {where}]({page_of(place.jurisdiction)})"
        uses.append(f"{where}, {escape(place.provision)}" if place.provision else where)
    return (
        f"| {escape(id_)} | {link(title, instrument.url if instrument else None)} | "
        f"{escape(number)} | {date} | {'; '.join(uses) or 'not cited'} |"
    )
