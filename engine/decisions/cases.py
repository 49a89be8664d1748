"""Jurisdiction test cases: YAML files of firm profiles with the answers they must get.

A case file (`jurisdictions/<CODE>/cases/*.yaml`) holds a list of cases::

    - name: Bahrain exchange into Malaysia after the 2026 revision
      profile: ../../profiles/bahrain-exchange.yaml      # a file, relative to this one,
                                                         # or an inline mapping
      host: MY
      activity: exchange          # optional when the profile has one activity
      as_of: 2026-11-22
      framework: status_quo       # optional
      apply_for: rmo_dax          # optional: evaluate this host licence only
      attributes: {incorporated_in: MY}   # optional overrides of the profile's attributes
      expect:
        route: local_licence
        verdict: conditional
        requirements: {MY-DAX-CAPITAL: unmet, MY-DAX-LOCAL: met}
        missing: {MY-DAX-CAPITAL: [paid_up_capital]}   # attributes the firm can supply
        reasons: {MY-DAX-CAPITAL: [fx_rate PKR→MYR]}   # every reason of an unknown line
        shortfall: {MY-DAX-CAPITAL: MYR 1253279.46}
        lower_bound: {MY-DAX-CAPITAL: false}   # true: needs at least the bound shown
        alternatives: {sandbox: conditional}   # every alternative route offered, with its
                                               # verdict ({}: none offered)

      transfers:                  # optional: the bands of the host's tiers (tier_cases.py)
        - amount: {amount: "3500.01", currency: AED}
          demands: {AE-DU-TRAVEL-RULE: [originator_information, beneficiary_information]}

Every `expect` key is optional; a case passes when every expectation it states holds.
Before a case runs, `case_checks` refuses it for an unknown key, a requirement id the host
lacks, an unknown status, verdict or route, or a shortfall not written `CUR AMOUNT` (located
`E7xx` diagnostics); shortfalls compare as amounts (`AED 250000` is `AED 250000.00`).
`jawaz test --coverage` lists the requirement versions that no case evaluates, and the
branches of their conditions that no case decides (`engine.decisions.branches`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from engine.decisions.branches import BranchKey
from engine.decisions.case_checks import Locations, check_case, locate, parse_amount
from engine.decisions.tier_cases import check_transfers
from engine.errors import EngineError
from engine.inputs.fx import FxBook
from engine.inputs.profiles import Profile, read_profile_data
from engine.results import Decision, ReasonOut, RequirementResult
from rulesdsl.errors import Diagnostic
from rulesdsl.ir import Bundle as Rules
from rulesdsl.ir import Jurisdiction


class Answers(Protocol):
    """What running cases needs of the rules: their IR, profile checks and the passport
    question (the `engine.Bundle` facade is one)."""

    @property
    def ir(self) -> Rules:
        """The checked rules."""

    @property
    def fx(self) -> FxBook:
        """The rates, for converting a transfer's amount into a tiers' currency."""

    def profile(self, data: Any, source: str = "profile") -> Profile:
        """Validate profile data."""

    def passport(
        self,
        profile: Profile,
        host: str,
        activity: str | None = None,
        as_of: dt.date | None = None,
        framework: str | None = None,
        backend: str = "fast",
        apply_for: str | None = None,
    ) -> Decision:
        """The passport decision for one host."""

    def decided_branches(self, profile: Profile, decision: Decision) -> set[BranchKey]:
        """The condition branches `decision`'s lines decided for the firm."""


@dataclass(frozen=True)
class Case:
    """One case, as read from its file."""

    name: str
    source: str  # file:index, for messages
    data: Mapping[str, Any]
    folder: Path
    where: Locations | None = None  # where its keys stand in the file, for diagnostics


@dataclass
class CaseResult:
    """A case's outcome: the failures (empty when it passed) and what it evaluated."""

    case: Case
    failures: list[str] = field(default_factory=list)
    evaluated: set[tuple[str, str, dt.date | None]] = field(default_factory=set)
    problems: list[Diagnostic] = field(default_factory=list)  # the case as written (E7xx)
    branches: set[BranchKey] = field(default_factory=set)  # the condition branches decided

    @property
    def passed(self) -> bool:
        """Whether the case could be read and every expectation held."""
        return not self.failures and not self.problems


def case_files(root: Path) -> list[Path]:
    """Every case file below a folder of rules."""
    return sorted(p for p in root.rglob("cases/*.yaml") if p.is_file())


def read_cases(path: Path) -> list[Case]:
    """The cases of one file; malformed files raise `EngineError` naming what and where."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise EngineError(f"cannot read cases: {error}", str(path)) from None
    if not isinstance(data, list):
        raise EngineError("a case file is a list of cases", str(path))
    locations = locate(str(path), text)
    cases = []
    for index, item in enumerate(data):
        where = f"{path}:{index + 1}"
        if not isinstance(item, Mapping) or "name" not in item:
            raise EngineError("each case is a mapping with a name", where)
        located = locations[index] if index < len(locations) else None
        cases.append(Case(str(item["name"]), where, item, path.parent, located))
    return cases


def _profile_data(case: Case) -> dict[str, Any]:
    given = case.data.get("profile")
    if isinstance(given, str):
        data = read_profile_data((case.folder / given).resolve())
    elif isinstance(given, Mapping):
        data = dict(given)
    else:
        raise EngineError("profile must be a file name or a mapping", case.source)
    if not isinstance(data, Mapping):
        raise EngineError("the profile is not a mapping", case.source)
    overrides = dict(case.data.get("attributes") or {})
    merged = dict(data)
    merged["attributes"] = {**dict(data.get("attributes") or {}), **overrides}
    # A case's overrides are what it tests: they win over the profile's per-host values too.
    in_host = data.get("in_host")
    if isinstance(in_host, Mapping):
        merged["in_host"] = {
            host: {k: v for k, v in dict(values or {}).items() if k not in overrides}
            for host, values in in_host.items()
        }
    return merged


def _as_of(case: Case) -> dt.date:
    value = case.data.get("as_of")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise EngineError(f"as_of {value!r} is not a date", case.source) from None


def decide_case(bundle: Answers, case: Case) -> Decision:
    """The decision a case asks for (raises `EngineError` when it cannot be evaluated)."""
    return _decided(bundle, case)[1]


def _decided(bundle: Answers, case: Case) -> tuple[Profile, Decision]:
    profile = bundle.profile(_profile_data(case), case.source)
    return profile, bundle.passport(
        profile,
        host=str(case.data.get("host")),
        activity=case.data.get("activity"),
        as_of=_as_of(case),
        framework=case.data.get("framework"),
        backend=str(case.data.get("backend", "fast")),
        apply_for=case.data.get("apply_for"),
    )


def run_case(bundle: Answers, case: Case) -> CaseResult:
    """Evaluate one case and compare it with what it expects."""
    result = CaseResult(case)
    if case.where is not None:
        # A case that cannot be read as written would test nothing: it is refused.
        result.problems = check_case(case.data, bundle.ir, case.where)
        if result.problems:
            return result
    try:
        profile, decision = _decided(bundle, case)
    except EngineError as error:
        result.failures.append(f"cannot evaluate: {error}")
        return result
    result.evaluated = {(decision.host, r.id, r.effective_from) for r in decision.requirements}
    result.branches = bundle.decided_branches(profile, decision)
    result.failures.extend(_compare(decision, case.data.get("expect") or {}))
    if "transfers" in case.data:
        host = next(j for j in bundle.ir.jurisdictions if j.code == decision.host)
        try:
            found = check_transfers(
                host, _as_of(case), bundle.fx, case.data["transfers"], case.source
            )
            result.failures.extend(found)
        except EngineError as error:
            result.failures.append(f"cannot evaluate transfers: {error}")
    return result


def _check_status(found: RequirementResult | None, wanted: Any) -> str | None:
    got = found.status if found else "not evaluated"
    return None if got == wanted else f"expected {wanted}, got {got}"


def _check_missing(found: RequirementResult | None, wanted: Any) -> str | None:
    got = sorted(found.missing) if found else None
    return None if got == sorted(wanted) else f"expected missing {sorted(wanted)}, got {got}"


def reason_label(reason: ReasonOut) -> str:
    """A reason as cases write it: its kind and what it concerns, `when ` first for the
    applicability (`fx_rate BHD→TRY`, `pending_threshold paid_up_capital MYR`,
    `when attribute direct_trade_model`, `month_precision 2025-09`, `when condition
    unstated` for what the source leaves open)."""
    rate = f"{reason.rate.source}→{reason.rate.target}" if reason.rate else None
    date = reason.date.isoformat() if reason.date else None
    if date and reason.kind == "month_precision":
        date = date[:7]  # the month it stands for
    unstated = "unstated" if reason.unstated is not None else None
    parts = [reason.kind, reason.attribute, reason.currency, rate, date, unstated]
    label = " ".join(p for p in parts if p)
    return f"when {label}" if reason.applicability else label


def _check_reasons(found: RequirementResult | None, wanted: Any) -> str | None:
    got = sorted(reason_label(r) for r in found.reasons) if found else None
    return None if got == sorted(wanted) else f"expected reasons {sorted(wanted)}, got {got}"


def _check_shortfall(found: RequirementResult | None, wanted: Any) -> str | None:
    """Amounts compare as amounts: `USD 100000` is `USD 100000.00`."""
    gaps = found.gaps if found else []
    got = [f"{g.shortfall.currency} {g.shortfall.amount}" for g in gaps if g.shortfall]
    amount = parse_amount(wanted)
    held = amount is not None and amount in {parse_amount(text) for text in got}
    return None if held else f"expected shortfall {wanted}, got {got or 'none'}"


def _check_deadline(found: RequirementResult | None, wanted: Any) -> str | None:
    got = found.deadline if found else None
    return None if str(got) == str(wanted) else f"expected deadline {wanted}, got {got}"


def _check_lower_bound(found: RequirementResult | None, wanted: Any) -> str | None:
    got = any(g.lower_bound for g in found.gaps) if found else None
    return None if got is bool(wanted) else f"expected lower bound {wanted}, got {got}"


def _check_deemed(found: RequirementResult | None, wanted: Any) -> str | None:
    got = sorted(d.id for d in found.deemed_by) if found else []
    return None if got == sorted(wanted) else f"expected deemed by {sorted(wanted)}, got {got}"


def _check_breaches(found: RequirementResult | None, wanted: Any) -> str | None:
    got = sorted(d.id for d in found.breaches_home) if found else []
    return None if got == sorted(wanted) else f"expected breaches of {sorted(wanted)}, got {got}"


# expect key -> how to check one requirement's line against the expected value
_PER_REQUIREMENT: Mapping[str, Callable[[RequirementResult | None, Any], str | None]] = {
    "requirements": _check_status,
    "missing": _check_missing,
    "reasons": _check_reasons,
    "shortfall": _check_shortfall,
    "lower_bound": _check_lower_bound,
    "deemed_by": _check_deemed,
    "breaches_home": _check_breaches,
    "deadline": _check_deadline,
}


def _compare(decision: Decision, expect: Mapping[str, Any]) -> Iterable[str]:
    for key in ("route", "verdict", "host_licence"):
        if key in expect and getattr(decision, key) != expect[key]:
            yield f"{key}: expected {expect[key]}, got {getattr(decision, key)}"
    if "alternatives" in expect:
        got = {alt.licence: alt.verdict for alt in decision.alternatives}
        if got != dict(expect["alternatives"] or {}):
            yield f"alternatives: expected {expect['alternatives']}, got {got}"
    by_id = {r.id: r for r in decision.requirements}
    for key, check in _PER_REQUIREMENT.items():
        for rid, wanted in (expect.get(key) or {}).items():
            problem = check(by_id.get(rid), wanted)
            if problem:
                yield f"{rid}: {problem}"


def uncovered(
    bundle: Answers, results: Iterable[CaseResult], codes: Iterable[str] | None = None
) -> list[str]:
    """Requirement versions no case evaluated (`MY MY-DAX-CAPITAL from 2019-01-31`), of the
    jurisdictions `codes` (default: every one of the bundle)."""
    seen: set[tuple[str, str, dt.date | None]] = set()
    for result in results:
        seen |= result.evaluated
    missing = []
    for jurisdiction in in_scope(bundle, codes):
        for requirement in jurisdiction.requirements:
            start = requirement.period.start
            if (jurisdiction.code, requirement.id, start) not in seen:
                since = f" from {start}" if start else ""
                missing.append(f"{jurisdiction.code} {requirement.id}{since}")
    return missing


def in_scope(bundle: Answers, codes: Iterable[str] | None) -> list[Jurisdiction]:
    """The bundle's jurisdictions named by `codes` (None: all of them)."""
    if codes is None:
        return list(bundle.ir.jurisdictions)
    wanted = set(codes)
    return [j for j in bundle.ir.jurisdictions if j.code in wanted]
