"""`jawaz new jurisdiction`: the files of a new jurisdiction, with nothing invented.

The scaffold states no regulatory fact: the header holds only the name and currency the
author gave, the instrument is a placeholder the checker keeps flagging (W601, never
cited) until something cites it, and the one case asks what the rules can honestly answer
while no regime is recorded: `incomplete` (whether the activity is licensed, prohibited or
unregulated is not known).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from engine.interfaces.cli.support import fail, load, rules_option, rules_root
from rulesdsl import ir
from rulesdsl.loader import display_path

HEADER_FILE = "jurisdiction.rules"
INSTRUMENT_FILE = "instrument.rules"
CASE_FILE = "cases/no-regime-yet.yaml"
TO_FILL_AUTHORITY = "TO BE FILLED: the regulator's name"


@click.group()
def new() -> None:
    """Create the files of something new in a rule bundle."""


@new.command(name="jurisdiction")
@click.argument("code")
@click.option(
    "--name", required=True, help='The jurisdiction\'s name, e.g. "Abu Dhabi Global Market".'
)
@click.option("--currency", required=True, help="Its currency, an ISO 4217 code, e.g. AED.")
@click.option(
    "--authority",
    "authorities",
    multiple=True,
    help="A regulator or supervisor, as it names itself (repeatable; default: to be filled).",
)
@rules_option
def new_jurisdiction(
    code: str, name: str, currency: str, authorities: tuple[str, ...], rules: Path | None
) -> None:
    """Scaffold CODE/ in the bundle: its header, a placeholder instrument and a case.

    CODE is an ISO 3166-1 alpha-2 country code (KW), or one followed by `-` and a local
    tag of 2 to 4 letters for a sub-national regulator (AE-ADGM).
    """
    root = rules_root(rules)
    _check_code(code)
    for text in (name, *authorities):
        _check_name(text)
    folder = root / code
    if folder.exists():
        fail(f"{display_path(folder)} already exists; pick a new code or edit its files")
    bundle = load(None, rules)
    if code in bundle.jurisdictions:
        fail(f"{code} is already declared in the bundle {bundle.name}")
    _check_currency(currency, bundle.ir, root)
    files = {
        HEADER_FILE: _canonical(header_text(code, name, currency, authorities)),
        INSTRUMENT_FILE: _canonical(instrument_text(code, name)),
        CASE_FILE: case_text(code, name, sample_firm(bundle.ir), dt.date.today()),
    }
    for relative, text in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        click.echo(f"created {display_path(target)}")
    click.echo(checklist(code, folder, root, rules is not None))


def _check_code(code: str) -> None:
    # The checker's own rule (E310), imported here: other commands never need it.
    from rulesdsl.check.values import JURISDICTION_CODE_HELP, valid_jurisdiction_code

    if valid_jurisdiction_code(code):
        return
    hint = (
        f" (codes are upper case: {code.upper()})" if valid_jurisdiction_code(code.upper()) else ""
    )
    fail(f"{code!r} is not a jurisdiction code{hint}; {JURISDICTION_CODE_HELP}")


def _check_name(name: str) -> None:
    if not name.strip() or any(ord(c) < 32 for c in name):
        fail("--name and --authority take a non-empty name on one line")


def _check_currency(currency: str, rules: ir.Bundle, root: Path) -> None:
    from rulesdsl.check.countries import iso_currency_codes
    from rulesdsl.check.currency_names import currency_hint

    declared = {c.code for c in rules.vocabulary.currencies}
    if currency in declared:
        return
    if currency not in iso_currency_codes():
        hint = currency_hint(currency, declared) or currency_hint(currency, iso_currency_codes())
        fail(f"{currency!r} is not an ISO 4217 currency code" + (f"; {hint}" if hint else ""))
    fail(
        f"{currency} is an ISO 4217 currency the vocabulary does not declare: add "
        f"`currency {currency} {{ name ... minor_units ... }}` to "
        f"{display_path(root / 'vocabulary.rules')} first"
    )


def _canonical(text: str) -> str:
    """`text` in the formatter's canonical layout, so `jawaz fmt --check` passes."""
    from rulesdsl.syntax.sources import SourceFile  # the parser loads only for `new`
    from rulesdsl.tools.formatter import format_source

    formatted = format_source(SourceFile("<scaffold>", text))
    assert isinstance(formatted, str), formatted  # the templates are fixed, valid text
    return formatted


def header_text(code: str, name: str, currency: str, authorities: tuple[str, ...]) -> str:
    """The header file: only what the author gave, with what is to be filled."""
    from rulesdsl.tools.formatter import quote

    named = ", ".join(quote(a) for a in authorities or (TO_FILL_AUTHORITY,))
    return f"""# {name}
# TO BE FILLED from the jurisdiction's own texts (jurisdictions/README.md): its
# `authorities`, `memberships`, `verified` and one `regime ACTIVITY {{ status ... }}` per
# activity, each citing its instrument. Until a regime is recorded, every question about
# {code} is answered `incomplete`: whether the activity is licensed, prohibited or
# unregulated is not known.

jurisdiction {code} {{
  name {quote(name)}
  currency {currency}
  authorities [{named}]
}}
"""


def instrument_id(code: str) -> str:
    """The placeholder instrument's id."""
    return f"{code}-INSTRUMENT"


def instrument_text(code: str, name: str) -> str:
    """The placeholder instrument: a title that says it is to be filled, and no figure."""
    return f"""# The first legal instrument of {name}: TO BE FILLED. Give its own title,
# number, date and url, then the licences it creates and its requirements, each citing it
# (`cite {instrument_id(code)} "provision"`), with the source's confidence label. Never
# guess a figure: one announced but not published is `pending`. Rename this file after
# the instrument. Until something cites it, `jawaz check` warns (W601).

jurisdiction {code} {{
  instrument {instrument_id(code)} {{
    title "TO BE FILLED: the instrument's title, as its source gives it"
  }}
}}
"""


def sample_firm(rules: ir.Bundle) -> tuple[str, str, str]:
    """A licensee of the bundle to ask about the new jurisdiction: (home, licence, activity)
    of the first licence, in code order."""
    for jurisdiction in sorted(rules.jurisdictions, key=lambda j: j.code):
        for licence in jurisdiction.licences:
            if licence.activities:
                return jurisdiction.code, licence.id, licence.activities[0]
    return fail("the bundle has no licence to make a sample firm of for the case file")


def case_text(code: str, name: str, firm: tuple[str, str, str], day: dt.date) -> str:
    """The case file: the answer while no regime is recorded."""
    home, licence, activity = firm
    return f"""# {name}
# No regime is recorded yet, so every question about {code} is `incomplete` (route
# `unavailable`). TO BE REPLACED by at least six realistic cases once its regimes
# and requirements are written (jurisdictions/README.md, "Cases").
- name: no regime recorded yet, so whether the firm may operate is not known
  profile:
    name: Sample firm ({home} {licence} licence)
    home: {home}
    licence: {licence}
    activities: [{activity}]
  host: {code}
  as_of: {day.isoformat()}
  expect:
    route: unavailable
    verdict: incomplete
"""


def checklist(code: str, folder: Path, root: Path, named: bool) -> str:
    """What the author does next, in order."""
    rules = f" --rules {display_path(root)}" if named else ""
    frameworks = display_path(root / "frameworks.rules")
    return f"""
next steps for {code}:
  1. fill in {display_path(folder / HEADER_FILE)}: authorities, memberships, one regime per
     activity, each citing its source
  2. replace the placeholder instrument in {display_path(folder / INSTRUMENT_FILE)} with the
     real one, and add its licences and requirements citing it
  3. if wanted, add {code} to the members of status_quo in {frameworks} (and of oic-model
     if it is an OIC member)
  4. jawaz check{rules}
  5. jawaz test {display_path(folder)} --coverage   (replace the placeholder case first)
  6. jawaz docs build{rules}"""
