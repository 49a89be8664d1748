"""Rule files and profiles crafted to inject code (DESIGN §6 and §8): nothing runs.

A hostile bundle carries Python payloads in every string position (titles, remedies, notes,
provisions, URLs, authorities, instrument numbers, descriptions, FX sources) and the
nastiest legal names in every name position (requirement, licence, instrument, activity,
category and framework ids, enum values, attribute names). The bundle must load (or be
refused with diagnostics), every question must be answered, no file `PWNED` may appear,
the process must survive, and the generated source of every compiled requirement list must
hold only generated identifiers: no text from a rule file at all.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine import load_bundle
from engine.bundle import Bundle
from engine.errors import EngineError
from engine.evaluation.fast import CompiledList, compile_requirements
from engine.inputs.profiles import ProfileError
from engine.presentation.decision_text import render_markdown, render_text
from engine.presentation.tables import render_comparison_text, render_matrix_text
from rulesdsl import ir
from rulesdsl.errors import DslError
from rulesdsl.loader import bundled_root

REPO = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 1, 15)

PAYLOADS = (
    "__import__('os').system('touch PWNED')",
    '"); import os; os._exit(3) #',
    "{0.__class__}",
    "\n    raise SystemExit",
    "'''; __import__('os')._exit(4); '''",
    "\\\"; exec(\"open('PWNED','w')\") #",
    "{__import__('os').system('touch PWNED')}",
    "[bold red]${{7*7}}[/]",
)
# Distinctive fragments that must never reach generated code.
FRAGMENTS = ("__import__", "os.", "_exit", "system", "PWNED", "SystemExit", "exec", "__class__")

# Legal names (identifier characters and hyphens) chosen to collide with what the generated
# code uses: its parameters, constants, locals, markers, builtins and keywords.
NASTY = ("__import__", "exec", "os", "K", "k0", "a0", "MET", "f", "m", "SLOW", "NA", "max")


def text(value: str) -> str:
    """A DSL string literal holding `value` exactly."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped.replace(chr(9), chr(92) + "t")}"'


def url_text(literal: str) -> str:
    """A payload as a web address that checks clean (E210 refuses whitespace): still hostile
    in every other character, so links are held to the same standard as texts."""
    return '"https://example.org/' + "".join(literal[1:].split())


def payloads() -> Iterator[str]:
    """Payloads as DSL string literals, round robin."""
    while True:
        yield from (text(p) for p in PAYLOADS)


def vocabulary_rules() -> str:
    """A vocabulary whose names and texts are hostile."""
    say = payloads()
    enum_values = ", ".join(NASTY)
    return f"""
vocabulary {{
  currency BHD {{
    name {next(say)}
    minor_units 3
  }}
  currency MYR {{
    name {next(say)}
    minor_units 2
  }}
  currency USD {{
    name {next(say)}
    minor_units 2
  }}
  activity exchange {{
    title {next(say)}
  }}
  activity __import__ {{
    title {next(say)}
  }}
  category exec {{
    title {next(say)}
  }}
  category os {{
    title {next(say)}
  }}
  category K {{
    title {next(say)}
  }}
  body OIC {{
    title {next(say)}
  }}
  attribute __import__ {{
    type boolean
    description {next(say)}
  }}
  attribute exec {{
    type money
    description {next(say)}
  }}
  attribute os {{
    type percentage
    description {next(say)}
  }}
  attribute K {{
    type integer
    description {next(say)}
  }}
  attribute k0 {{
    type enum [{enum_values}]
    description {next(say)}
  }}
  attribute a0 {{
    type set [{enum_values}]
    description {next(say)}
  }}
  attribute MET {{
    type boolean
    description {next(say)}
    per_host true
  }}
  attribute f {{
    type roles [{enum_values}]
    description {next(say)}
    per_host true
  }}
  attribute m {{
    type money
    description {next(say)}
  }}
  attribute SLOW {{
    type date
    description {next(say)}
  }}
  attribute NA {{
    type country
    description {next(say)}
  }}
  attribute max {{
    type integer
    description {next(say)}
  }}
  attribute os-system {{
    type boolean
    description {next(say)}
  }}
  attribute cnt {{
    type persons [{enum_values}]
    description {next(say)}
  }}
}}
"""


def jurisdiction_rules(code: str, currency: str, licence: str, other: str) -> str:
    """A jurisdiction whose every text is a payload and whose ids are nasty names."""
    say = payloads()
    return f"""
jurisdiction {code} {{
  name {next(say)}
  currency {currency}
  authorities [{next(say)}, {next(say)}]
  memberships [OIC]
  note {next(say)}

  instrument __import__ {{
    title {next(say)}
    number {next(say)}
    url {url_text(next(say))}
  }}
  instrument eval {{
    title {next(say)}
  }}
  regime exchange {{
    status licensed
    cite __import__ {next(say)}
    note {next(say)}
  }}
  regime __import__ {{
    status licensed
    cite eval {next(say)}
  }}
  licence {licence} {{
    title {next(say)}
    activities [exchange, __import__]
    cite __import__ {next(say)}
    note {next(say)}
  }}
  requirement __import__ {{
    title {next(say)}
    category exec
    licences [{licence}]
    require exec >= {currency} 300_000 and K >= 3
    cite __import__ {next(say)}
    cite_url {url_text(next(say))}
    confidence confirmed
    remedy {next(say)}
    note {next(say)}
  }}
  requirement exec {{
    title {next(say)}
    category os
    when MET
    require k0 in [__import__, exec, K] and [__import__, os] subset a0 and [exec, os] subset f
    cite eval {next(say)}
    confidence medium
    remedy {next(say)}
  }}
  requirement K {{
    title {next(say)}
    category K
    require os >= 90% and m >= max({other} 1_000, 10% of exec) and SLOW >= 2020-01-01
    cite __import__ {next(say)}
    confidence medium
    remedy {next(say)}
    blocking true
  }}
  requirement k0 {{
    title {next(say)}
    category exec
    require NA == {code} and max <= 5 and not (k0 in [MET, m, f]) and os-system
    from 2020-01-01
    cite eval {next(say)}
    confidence confirmed
    remedy {next(say)}
  }}
  requirement a0-m {{
    title {next(say)}
    category exec
    require exec > {currency} 1 and exec >= {currency} pending
    cite eval {next(say)}
    confidence unconfirmed
    remedy {next(say)}
  }}
  requirement cnt {{
    title {next(say)}
    category os
    require (
      count(cnt where (role in [exec, os] or nationality == MY) and not full_time) >= 1
      and count(f in [__import__, K]) >= 1
      and count(cnt) <= 9
    )
    cite eval {next(say)}
    confidence medium
    remedy {next(say)}
  }}
  requirement os-MET {{
    title {next(say)}
    category os
    when not os-system or unstated {next(say)}
    require __import__ or (K >= 1 and max(exec, m) >= {currency} 10) or unstated {next(say)}
    cite eval {next(say)}
    confidence medium
    remedy {next(say)}
  }}
}}
"""


def top_level_rules() -> str:
    """FX, a framework and a FATF listing with hostile texts and names."""
    say = payloads()
    return f"""
instrument exec {{
  title {next(say)}
  number {next(say)}
  url {url_text(next(say))}
}}

fx 2024-05-22 {{
  source {next(say)}
  rate MYR 4.7 per USD
  peg BHD 0.376 per USD
}}

framework __import__ {{
  title {next(say)}
  status model
  members [BH, MY]
  mechanism notification
  home_conditions [not_grey_listed, not_black_listed, home_licenses_activity]
  waives [K]
  deems [exec]
  keeps [os]
  notify_within 10 working days
  starts_at_latest_after 15 calendar days
  cite exec {next(say)}
  note {next(say)}
}}

framework exec {{
  title {next(say)}
  status in_force
  members [BH, MY]
  mechanism none
  keeps [exec, K, os]
  note {next(say)}
}}

fatf {{
  grey_known_from 2010-01-01
  black_known_from 2010-01-01
  listing BH {{
    list grey
    from 2010-01-01
    until 2011-01-01
    cite exec {next(say)}
    note {next(say)}
  }}
}}
"""


def write_bundle(folder: Path) -> Path:
    """Write the hostile bundle into `folder` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocabulary.rules").write_text(vocabulary_rules(), encoding="utf-8")
    (folder / "BH.rules").write_text(jurisdiction_rules("BH", "BHD", "exec", "MYR"), "utf-8")
    (folder / "MY.rules").write_text(jurisdiction_rules("MY", "MYR", "os", "BHD"), "utf-8")
    (folder / "world.rules").write_text(top_level_rules(), encoding="utf-8")
    return folder


PROFILE: dict[str, Any] = {
    "name": PAYLOADS[0],
    "home": "BH",
    "licence": "exec",
    "activities": ["exchange", "__import__"],
    "attributes": {
        "exec": {"amount": "400000", "currency": "BHD"},
        "os": 95,
        "K": 5,
        "k0": "exec",
        "a0": ["__import__", "os", "exec"],
        "m": "MYR 1000000",
        "SLOW": "2021-01-01",
        "NA": "BH",
        "max": 3,
        "os-system": True,
        "cnt": [
            {"role": "exec", "residence": "BH", "nationality": "MY", "full_time": False},
            {
                "role": "os",
                "residence": "MY",
                "nationality": "BH",
                "full_time": True,
                "name": PAYLOADS[0],
            },
        ],
    },
    "in_host": {"BH": {"MET": True, "f": ["exec", "os"]}, "MY": {"MET": False}},
}


# ---- the whitelist for generated code --------------------------------------------------------

GENERATED_NAMES = {
    # function names, parameters, markers and the builtins the code may call
    "def", "careful", "quick", "f", "m", "K", "SLOW", "MET", "UNMET", "NA",
    "max", "min", "cnt", "result", "out", "append", "fget", "mget", "get", "amount", "currency",
    "s",  # the first truth assignment's status, beside the others (`unstated`)
    # keywords
    "if", "elif", "else", "is", "None", "True", "False", "not", "and", "or", "in", "return",
}  # fmt: skip
GENERATED_LOCAL = re.compile(r"[ka]\d+")
GENERATED_OPS = {
    "(",
    ")",
    "[",
    "]",
    ",",
    "=",
    ":",
    ":=",
    ".",
    ">=",
    "<=",
    "==",
    "!=",
    ">",
    "<",
    "*",
}
TOKEN = re.compile(r"[A-Za-z_]\w*|\d+|>=|<=|==|!=|[()\[\],=:.<>*]|\S")
ALLOWED_TOKEN = re.compile(
    r"(?:" + "|".join(sorted(GENERATED_NAMES)) + r"|[ka]\d+|\d+|>=|<=|==|!=|[()\[\],=:.<>*])"
)


def assert_generated_only(source: str) -> None:
    """The source holds only generated identifiers, indices, operators and keywords."""
    for fragment in FRAGMENTS:
        assert fragment not in source, fragment
    for payload in PAYLOADS:
        assert payload not in source
    # every token, found by a regex, is on the whitelist
    for token in TOKEN.findall(source):
        assert ALLOWED_TOKEN.fullmatch(token), token
    # and Python's own tokenizer agrees: no strings, no comments, only whitelisted names
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME:
            assert tok.string in GENERATED_NAMES or GENERATED_LOCAL.fullmatch(tok.string)
        elif tok.type == tokenize.OP:
            assert tok.string in GENERATED_OPS, tok.string
        elif tok.type == tokenize.NUMBER:
            assert tok.string.isdigit(), tok.string
        else:
            assert tok.type in (
                tokenize.NEWLINE,
                tokenize.NL,
                tokenize.INDENT,
                tokenize.DEDENT,
                tokenize.ENDMARKER,
            ), tokenize.tok_name[tok.type]
    compile(source, "<check>", "exec")  # it is still valid Python


def compiled_lists(bundle: Bundle, days: tuple[dt.date, ...] = (DAY,)) -> list[CompiledList]:
    """Every requirement list the fast path compiles: per jurisdiction and per licence/date."""
    money = [a.name for a in bundle.ir.vocabulary.attributes if a.type.kind == "money"]
    lists: list[tuple[tuple[ir.Requirement, ...], str]] = []
    for jurisdiction in bundle.ir.jurisdictions:
        lists.append((tuple(jurisdiction.requirements), jurisdiction.currency))
        for licence in jurisdiction.licences:
            for day in days:
                for licensed in (True, False):
                    found = bundle.decider.applicable(jurisdiction, licence.id, day, licensed)
                    lists.append((found.decided, jurisdiction.currency))
    return [compile_requirements(found, currency, money) for found, currency in lists]


# ---- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Bundle:
    """The hostile bundle, loaded with the cache off and the working directory in tmp."""
    monkeypatch.setenv("JAWAZ_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    bundle = load_bundle(write_bundle(tmp_path / "rules"))
    assert not (tmp_path / "PWNED").exists()
    return bundle


# ---- tests --------------------------------------------------------------------------------------


def test_hostile_bundle_loads_with_texts_verbatim(hostile: Bundle, tmp_path: Path) -> None:
    """The bundle checks clean, and every payload is kept as data, character for character."""
    bh = hostile.jurisdictions["BH"]
    ids = {"__import__", "exec", "K", "k0", "a0-m", "os-MET", "cnt"}
    assert {r.id for r in bh.requirements} == ids
    assert {lic.id for lic in bh.licences} == {"exec"}
    assert bh.name == PAYLOADS[0]
    texts = {r.title for r in bh.requirements} | {r.remedy for r in bh.requirements}
    assert texts <= set(PAYLOADS)
    dumped = json.loads(hostile.ir.model_dump_json())
    strings = set(_strings(dumped))
    assert set(PAYLOADS) <= strings
    assert not (tmp_path / "PWNED").exists()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_generated_source_holds_no_rule_text(hostile: Bundle) -> None:
    """Every compiled list of the hostile bundle holds only generated identifiers."""
    lists = compiled_lists(hostile, (DAY, dt.date(2019, 1, 1)))
    assert lists
    for compiled in lists:
        assert_generated_only(compiled.source)
    # the names did reach the compiled code, but only as constants behind `K[i]`
    everything = lists[0]
    assert "def careful(f, m, k0=K[0]" in everything.source
    assert len(everything.requirements) == 7
    assert "cnt(a" in everything.source  # the count was compiled, its filter a constant


@pytest.mark.parametrize(
    "tampered",
    [
        "    x = 'text'\n",
        "    __import__('os')\n",
        "    out(exec)\n",
        "    a0 = f[k0]  # comment\n",
        "    a0 = f[k0] + 1.5\n",
        "    a0 = f[k0] @ m\n",
    ],
)
def test_whitelist_catches_rule_text(tampered: str) -> None:
    """The whitelist check is not vacuous: strings, foreign names, comments, other numbers
    and operators are caught."""
    source = "def careful(f, m, k0=K[0]):\n    result = []\n" + tampered + "    return result\n"
    with pytest.raises(AssertionError):
        assert_generated_only(source)


def test_bundled_rules_compile_to_generated_identifiers_only() -> None:
    """The whitelist is realistic: the bundled rules' compiled lists satisfy it too."""
    bundle = load_bundle()
    for compiled in compiled_lists(bundle, (DAY, dt.date(2026, 11, 22))):
        assert_generated_only(compiled.source)


def test_hostile_decisions_run_and_report_texts_as_data(hostile: Bundle, tmp_path: Path) -> None:
    """Every question is answered by every backend; payloads come back as plain text."""
    firm = hostile.profile(PROFILE)
    assert firm.name == PAYLOADS[0]
    backends = ["fast", "reference"]
    try:
        import durable  # noqa: F401

        backends.append("durable")
    except ImportError:  # pragma: no cover - durable-rules is a core dependency
        pass
    decisions = []
    for host in ("BH", "MY"):
        for activity in ("exchange", "__import__"):
            for framework in (None, "__import__", "exec"):
                answers = [
                    hostile.passport(
                        firm,
                        host=host,
                        activity=activity,
                        as_of=DAY,
                        framework=framework,
                        backend=backend,
                    )
                    for backend in backends
                ]
                statuses = [[(r.id, r.status) for r in a.requirements] for a in answers]
                assert all(s == statuses[0] for s in statuses), (host, activity, framework)
                assert statuses[0], "the hostile requirements were evaluated"
                decisions.append(answers[0])
    by_route = {(d.host, d.framework.id if d.framework else None): d.route for d in decisions}
    assert by_route[("MY", "__import__")] == "passport"
    dumped = json.dumps([json.loads(d.model_dump_json()) for d in decisions])
    for payload in PAYLOADS:
        assert json.dumps(payload)[1:-1] in dumped
    for rendered in (render_text(decisions, colour=False), render_markdown(decisions)):
        assert "{0.__class__}" in rendered  # not formatted
        assert "<class" not in rendered
    assert not (tmp_path / "PWNED").exists()


def test_hostile_matrix_and_comparison(hostile: Bundle, tmp_path: Path) -> None:
    """The matrix and the comparison run over hostile names and texts, and render."""
    for activity in ("exchange", "__import__"):
        for framework in (None, "__import__"):
            grid = hostile.matrix(activity, as_of=DAY, framework=framework)
            assert grid.homes == ["BH", "MY"]
            assert len(grid.cells) == 2
            render_matrix_text(grid)
        table = hostile.compare(["BH", "MY"], activity, as_of=DAY)
        assert table.rows
        assert "{0.__class__}" in table.model_dump_json()
        render_comparison_text(table)
    assert not (tmp_path / "PWNED").exists()


def test_hostile_bundle_in_a_fresh_process(tmp_path: Path) -> None:
    """In a fresh process: `jawaz check` is clean, and loading the bundle and answering
    every question exits normally (an injected `os._exit(3)` would change the status)."""
    folder = write_bundle(tmp_path / "rules")
    script = Path(sys.executable).with_name("jawaz")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "engine.interfaces.cli"]
    env = {"JAWAZ_CACHE_DIR": "", "PATH": "/usr/bin:/bin"}
    checked = subprocess.run(
        [*command, "check", str(folder)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    program = (
        "import datetime, json, sys\n"
        "from pathlib import Path\n"
        "from engine import load_bundle\n"
        "b = load_bundle(Path(sys.argv[1]))\n"
        "firm = b.profile(json.loads(sys.argv[2]))\n"
        "for host in ('BH', 'MY'):\n"
        "    for fw in (None, '__import__'):\n"
        "        b.passport(firm, host=host, activity='exchange',\n"
        "                   as_of=datetime.date(2026, 1, 15), framework=fw)\n"
        "b.matrix('exchange', as_of=datetime.date(2026, 1, 15))\n"
        "print('survived')\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", program, str(folder), json.dumps(PROFILE)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "survived"
    assert not list(tmp_path.rglob("PWNED"))


@pytest.mark.parametrize(
    "snippet",
    [
        "requirement __import__('os').system('touch PWNED') {\n  title \"x\"\n}\n",
        'requirement R {\n  title "x" + __import__("os").system("touch PWNED")\n}\n',
        "requirement R {\n  require exec(open('PWNED', 'w'))\n}\n",
        "requirement R {\n  require paid_up_capital.__class__ >= BHD 1\n}\n",
        "requirement R {\n  require lambda: 1\n}\n",
        'requirement R {\n  require "__import__(\'os\')" == paid_up_capital\n}\n',
        "requirement R {\n  require paid_up_capital >= BHD 1; import os\n}\n",
        "requirement os {\n  require __import__('os')\n}\n",
    ],
    ids=["name-call", "string-concat", "exec-call", "dunder-attribute", "lambda", "string-eq",
         "statement", "call-in-condition"],
)  # fmt: skip
def test_code_in_illegal_positions_is_a_diagnostic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snippet: str
) -> None:
    """Code where only names or literals may stand is refused with diagnostics, never run."""
    monkeypatch.setenv("JAWAZ_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    folder = write_bundle(tmp_path / "rules")
    body = "jurisdiction BH {\n" + snippet + "}\n"
    (folder / "bad.rules").write_text(body, encoding="utf-8")
    with pytest.raises(DslError) as caught:
        load_bundle(folder)
    assert caught.value.diagnostics
    assert all(d.code for d in caught.value.diagnostics)
    assert not (tmp_path / "PWNED").exists()


def test_profile_values_carrying_payloads(hostile: Bundle, tmp_path: Path) -> None:
    """Payloads in a profile are data: a name is echoed verbatim (or refused as text, if it
    holds a control character); anywhere a closed set of values is expected they are
    refused with paths; nothing runs."""
    for payload in PAYLOADS:
        data = json.loads(json.dumps(PROFILE))
        data["name"] = payload
        if "\n" in payload:
            with pytest.raises(ProfileError) as refused:
                hostile.profile(data)
            assert refused.value.codes == {"name": "invalid_text"}
            continue
        decision = hostile.passport(
            hostile.profile(data), host="MY", activity="exchange", as_of=DAY
        )
        assert decision.firm == payload
    bad = json.loads(json.dumps(PROFILE))
    bad["home"] = PAYLOADS[0]
    bad["activities"] = [PAYLOADS[1]]
    bad["attributes"]["k0"] = PAYLOADS[2]
    bad["attributes"]["a0"] = [PAYLOADS[3].strip()]
    bad["attributes"]["NA"] = PAYLOADS[4]
    bad["attributes"]["m"] = {"amount": "1", "currency": PAYLOADS[5]}
    bad["attributes"]["SLOW"] = PAYLOADS[6]
    bad["attributes"][PAYLOADS[0]] = True
    bad["in_host"][PAYLOADS[2]] = {}
    bad[PAYLOADS[7]] = 1
    with pytest.raises(ProfileError) as caught:
        hostile.profile(bad)
    paths = {path for path, _ in caught.value.problems}
    assert {
        "home",
        "activities.0",
        "attributes.k0",
        "attributes.a0",
        "attributes.NA",
        "attributes.m",
        "attributes.SLOW",
        f"attributes.{PAYLOADS[0]}",
        f"in_host.{PAYLOADS[2]}",
        PAYLOADS[7],
    } <= paths
    for payload in PAYLOADS[:3]:
        with pytest.raises(EngineError):
            hostile.passport(hostile.profile(PROFILE), host=payload, as_of=DAY)
    assert not (tmp_path / "PWNED").exists()


def test_bundled_profile_with_payload_strings() -> None:
    """Against the bundled rules too, a payload firm name is only ever echoed."""
    bundle = load_bundle()
    data = {
        "name": PAYLOADS[1],
        "home": "BH",
        "licence": "category_4",
        "activities": ["exchange"],
        "attributes": {"paid_up_capital": "BHD 300000"},
    }
    decision = bundle.passport(bundle.profile(data), host="MY", as_of=DAY)
    assert decision.firm == PAYLOADS[1]
    assert PAYLOADS[1] in render_text([decision], colour=False)


# ---- names that must not clash with the profile model: model_dump, _hidden, … -------------


def _one_attribute_bundle(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocabulary.rules").write_text(
        f"""
vocabulary {{
  currency BHD {{
    name "Bahraini dinar"
    minor_units 3
  }}
  activity exchange {{
    title "x"
  }}
  category capital {{
    title "x"
  }}
  attribute {name} {{
    type boolean
    description "x"
  }}
}}
jurisdiction BH {{
  name "Bahrain"
  currency BHD
  authorities ["x"]
  instrument X {{
    title "x"
  }}
  regime exchange {{
    status licensed
    cite X "x"
  }}
  licence cat4 {{
    title "x"
    activities [exchange]
  }}
  requirement R1 {{
    title "x"
    category capital
    require {name}
    cite X "x"
    confidence confirmed
    remedy "x"
  }}
}}
""",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("name", ["model_dump", "model_validate"])
def test_attribute_named_like_a_model_member(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A legal attribute name either loads and is usable, or is refused with a diagnostic."""
    monkeypatch.setenv("JAWAZ_CACHE_DIR", "")
    folder = _one_attribute_bundle(tmp_path / "rules", name)
    try:
        bundle = load_bundle(folder)
    except DslError:
        return
    firm = bundle.profile({"home": "BH", "licence": "cat4", "attributes": {name: True}})
    decision = bundle.passport(firm, host="BH", activity="exchange", as_of=DAY)
    assert decision.verdict == "eligible"


@pytest.mark.parametrize("name", ["_hidden", "__import__"])
def test_attribute_with_leading_underscore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A legal attribute name either is usable in profiles, or is refused by the checker."""
    monkeypatch.setenv("JAWAZ_CACHE_DIR", "")
    folder = _one_attribute_bundle(tmp_path / "rules", name)
    try:
        bundle = load_bundle(folder)
    except DslError:
        return
    firm = bundle.profile({"home": "BH", "licence": "cat4", "attributes": {name: True}})
    decision = bundle.passport(firm, host="BH", activity="exchange", as_of=DAY)
    assert decision.verdict == "eligible"


def test_bundled_root_is_untouched() -> None:
    """The tests above write only under tmp: the bundled folder has no PWNED file."""
    assert not list(bundled_root().rglob("PWNED"))
    assert not (REPO / "PWNED").exists()
