"""The Python API: load a rule bundle once, then ask it questions.

from engine import load_bundle
bundle = load_bundle()
decision = bundle.passport(profile, host="MY", as_of=date(2026, 11, 22))
print(decision.model_dump_json(indent=2))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, get_args

from engine.decisions.answers import framework_out
from engine.decisions.branches import BranchKey, decided_branches
from engine.decisions.catalogue import hosts_asked, licences_for, regimes_table, stale_table
from engine.decisions.passport import STATUS_QUO, Decider
from engine.decisions.question import Question
from engine.errors import EngineError
from engine.evaluation import reference
from engine.evaluation.backend import Context, Referring, Status, StatusBackend
from engine.evaluation.fast import FastBackend
from engine.inputs.ecb import ecb_history
from engine.inputs.fx import FxBook, FxSource
from engine.inputs.profiles import Profile, ProfileSchema, read_profile_data
from engine.results import (
    Backend,
    ComparisonResult,
    Decision,
    JurisdictionList,
    MatrixReport,
    MatrixResult,
    StaleList,
)
from engine.results.explanation import Explanation
from engine.results.redline import Redline
from rulesdsl import ir
from rulesdsl.errors import did_you_mean, unknown_name
from rulesdsl.ir.canonical import rules_hash
from rulesdsl.loader import bundled_root, load_hashed_bundle

BACKENDS: tuple[str, ...] = get_args(Backend)


def reference_statuses(requirements: Sequence[ir.Requirement], ctx: Context) -> list[Status]:
    """Statuses from the reference evaluator (the specification the backends match)."""
    return [reference.status(r, ctx) for r in requirements]


class Bundle:
    """A checked rule bundle with its FX rates, ready to answer questions."""

    def __init__(
        self,
        rules: ir.Bundle,
        fx_tables: Sequence[ir.FxTable] | None = None,
        known_hash: str | None = None,
        name: str | None = None,
        request_fx: Sequence[ir.FxTable] = (),
    ) -> None:
        """Rates: the ECB's, the pegs, `fx_tables` (`--fx`), `request_fx`, each pricing only
        what those before leave unpriced. `known_hash`: if kept; `name`: its folder's."""
        self.ir = rules
        self.rules_hash = known_hash or rules_hash(rules)
        self.name = name if name is not None else bundled_root().name
        self.fx_tables = tuple(fx_tables) if fx_tables is not None else None
        minor_units = {c.code: c.minor_units for c in rules.vocabulary.currencies}
        sources = [FxSource("bundled", rules.fx)]
        if self.fx_tables is not None:
            sources.append(FxSource("file", self.fx_tables))
        sources += [FxSource("request", tuple(request_fx))] if request_fx else []
        self.fx = FxBook(
            sources,
            minor_units,
            ecb=ecb_history(),
            instruments={i.id: i for i in rules.instruments},
        )
        self.profiles = ProfileSchema(rules)
        self.jurisdictions = {j.code: j for j in rules.jurisdictions}
        self.frameworks = {f.id: f for f in rules.frameworks}
        self._activities = frozenset(a.id for a in rules.vocabulary.activities)
        self.decider = Decider(rules, self.fx, self.rules_hash, self.name)
        money = [a.name for a in rules.vocabulary.attributes if a.type.kind == "money"]
        self._backends: dict[str, StatusBackend] = {
            # What the compiled code leaves undecided goes to the reference evaluator.
            "fast": Referring(FastBackend(money), reference.status),
            "reference": reference_statuses,
        }

    # ---- inputs ----------------------------------------------------------------------------

    def profile(self, data: Any, source: str = "profile") -> Profile:
        """Validate profile data (a mapping as parsed from YAML or JSON)."""
        return self.profiles.validate(data, source)

    def read_profile(self, path: Path) -> Profile:
        """Read and validate a YAML or JSON profile file."""
        return self.profile(read_profile_data(path), str(path))

    def jurisdiction(self, code: str, field: str = "host") -> ir.Jurisdiction:
        """A bundled jurisdiction by code."""
        if code not in self.jurisdictions:
            raise EngineError(unknown_name("jurisdiction", code, self.jurisdictions), field)
        return self.jurisdictions[code]

    def framework(self, framework_id: str | None) -> tuple[ir.Framework | None, bool]:
        """The framework to use and whether it was asked for by name."""
        if framework_id is None:
            return self.frameworks.get(STATUS_QUO), False
        if framework_id not in self.frameworks:
            raise EngineError(unknown_name("framework", framework_id, self.frameworks), "framework")
        return self.frameworks[framework_id], True

    def activity_for(self, profile: Profile, activity: str | None) -> str:
        """The activity asked about: given, or the profile's only one."""
        if activity is not None:
            return self.activity_for_name(activity)
        if len(profile.activities) == 1:
            return profile.activities[0]
        listed = ", ".join(profile.activities) or "none"
        raise EngineError(
            f"name the activity to ask about (the profile lists: {listed})", "activity"
        )

    # ---- questions ---------------------------------------------------------------------------

    def passport(
        self,
        profile: Profile,
        host: str,
        activity: str | None = None,
        as_of: dt.date | None = None,
        framework: str | None = None,
        backend: str = "fast",
        apply_for: str | None = None,
        minimum_licensee: bool = False,
    ) -> Decision:
        """Can `profile`'s firm operate in `host`, by which route, and what is missing?

        `apply_for` names one host licence to evaluate; by default every host licence
        covering the activity is evaluated and the best answer is given. `minimum_licensee`
        marks the matrix's synthesised firm, for which a host rule on what its home licence
        does not demand is `not_covered` rather than unknown.
        """
        question = self.question(
            profile, host, activity, as_of, framework, apply_for, minimum_licensee
        )
        return self.decider.decide(question, self.backend(backend), backend)

    def backend(self, name: str) -> StatusBackend:
        """The status backend called `name` (loaded on first use)."""
        if name not in self._backends:
            self._backends[name] = self._load_backend(name)
        return self._backends[name]

    def question(
        self,
        profile: Profile,
        host: str,
        activity: str | None = None,
        as_of: dt.date | None = None,
        framework: str | None = None,
        apply_for: str | None = None,
        minimum_licensee: bool = False,
    ) -> Question:
        """A passport question, resolved and checked against the bundle."""
        chosen, requested = self.framework(framework)
        jurisdiction = self.jurisdiction(host)
        chosen_activity = self.activity_for(profile, activity)
        if apply_for is not None:
            self._check_licence(jurisdiction, apply_for, chosen_activity)
        return Question(
            profile=profile,
            host=jurisdiction,
            # Any ISO 3166 country may be the home; only a bundled one has rules to read.
            home=self.jurisdictions.get(profile.home),
            home_code=profile.home,
            activity=chosen_activity,
            as_of=as_of or dt.date.today(),
            framework=chosen,
            framework_requested=requested,
            apply_for=apply_for,
            minimum_licensee=minimum_licensee,
        )

    def _check_licence(self, host: ir.Jurisdiction, licence: str, activity: str) -> None:
        covering = [lic.id for lic in licences_for(host, activity)]
        if licence not in covering:
            hint = (
                did_you_mean(licence, covering)
                or f"{host.code} licences for {activity}: {', '.join(covering) or 'none'}"
            )
            raise EngineError(
                f"{host.code} has no licence {licence!r} for {activity}; {hint}", "apply_for"
            )

    def hosts(self, profile: Profile, host: str, apply_for: str | None = None) -> list[str]:
        """The hosts a question names: `host`, or every bundled host but the home for "all".

        Raises:
            EngineError: `apply_for` together with "all".
        """
        return hosts_asked(self.jurisdictions, profile.home, host, apply_for)

    def decided_branches(self, profile: Profile, decision: Decision) -> set[BranchKey]:
        """The condition branches the lines of `decision` decided for `profile`'s firm
        (for `jawaz test --coverage`), judged on the facts the decision used."""
        question = self.question(profile, decision.host, decision.activity, decision.as_of)
        return decided_branches(self.decider, question, decision)

    def passport_all(self, profile: Profile, **options: Any) -> list[Decision]:
        """The answer for every bundled host except the firm's home."""
        return [self.passport(profile, host=code, **options) for code in self.hosts(profile, "all")]

    def matrix(
        self,
        activity: str,
        as_of: dt.date | None = None,
        framework: str | None = None,
        backend: str = "fast",
    ) -> MatrixResult:
        """What each home licence for `activity` buys in each host (minimum licensees)."""
        return self.matrix_report(activity, as_of, framework, backend).matrix

    def matrix_report(
        self,
        activity: str,
        as_of: dt.date | None = None,
        framework: str | None = None,
        backend: str = "fast",
    ) -> MatrixReport:
        """The matrix with the decision behind each cell, all from `backend`."""
        self.activity_for_name(activity)
        chosen, _ = self.framework(framework)
        day = as_of or dt.date.today()

        def ask(profile: Profile, host: str) -> Decision:
            return self.passport(
                profile,
                host,
                activity,
                as_of=day,
                framework=framework,
                backend=backend,
                minimum_licensee=True,
            )

        from engine.decisions.matrix import build_matrix  # not loaded for a passport question

        hashes = (self.name, self.rules_hash, self.fx.hash)
        return build_matrix(self.ir, activity, day, framework_out(chosen), ask, hashes)

    def compare(
        self,
        jurisdictions: Sequence[str],
        activity: str,
        as_of: dt.date | None = None,
        currency: str = "USD",
    ) -> ComparisonResult:
        """Requirements of several jurisdictions for `activity`, aligned side by side."""
        self.activity_for_name(activity)
        chosen = [self.jurisdiction(code, "jurisdictions") for code in jurisdictions]
        currencies = self.profiles.env.currencies
        if currency not in currencies:
            raise EngineError(unknown_name("currency", currency, currencies), "currency")
        day = as_of or dt.date.today()
        # Loaded on first use: a passport question needs neither it nor the rule wording.
        from engine.decisions.compare import build_comparison

        return build_comparison(self.decider, chosen, activity, day, currency)

    def explain(
        self,
        profile: Profile,
        requirement: str,
        host: str | None = None,
        activity: str | None = None,
        as_of: dt.date | None = None,
        framework: str | None = None,
        backend: str = "fast",
    ) -> Explanation:
        """One host requirement against `profile`'s firm, step by step, with the line the
        passport answer gives it (`host`: the jurisdiction holding it, by default)."""
        from engine.decisions import explain  # not loaded for a passport question

        if host is None:
            code = explain.host_of(list(self.ir.jurisdictions), requirement).code
        else:
            code = self.jurisdiction(host).code
            explain.check_requirement(self.jurisdictions[code], requirement)
        question = self.question(profile, code, activity, as_of, framework)
        statuses = self.backend(backend)
        decision = self.decider.decide(question, statuses, backend)
        return explain.explain(self.decider, question, requirement, decision, statuses)

    def redline(
        self,
        base: Bundle | None = None,
        dates: tuple[dt.date, dt.date] | None = None,
        as_of: dt.date | None = None,
        hosts: Sequence[str] | None = None,
        profiles: Sequence[Path] | None = None,
        base_label: str | None = None,
    ) -> Redline:
        """What changed between two `dates` of these rules, or from the `base` revision to
        these rules (every version, or those binding on `as_of`); with `profiles`, which
        firms' answers change (asked of every host compared but each firm's home)."""
        from engine.decisions.impact import Firm, impact_of  # not loaded for a passport
        from engine.decisions.redline import Side, redline

        old = base or self
        if dates is not None:
            days = dates
            sides = (
                Side(self.ir, dates[0], self.decider.citation),
                Side(self.ir, dates[1], self.decider.citation),
            )
        else:
            days = (as_of or dt.date.today(),) * 2
            sides = (
                Side(old.ir, as_of, old.decider.citation),
                Side(self.ir, as_of, self.decider.citation),
            )
        for code in hosts or ():
            if code not in self.jurisdictions and code not in old.jurisdictions:
                self.jurisdiction(code)  # the unknown-name error, with its hint
        codes, changes = redline(*sides, hosts, revisions=dates is None)
        impact = None
        if profiles is not None:
            firms = [Firm(p.name, old.read_profile(p), self.read_profile(p)) for p in profiles]
            both = [c for c in codes if c in old.jurisdictions and c in self.jurisdictions]

            def asker(side: Bundle, day: dt.date) -> Callable[[Profile, str, str], Decision]:
                return lambda firm, host, activity: side.passport(firm, host, activity, day)

            impact = impact_of(
                firms,
                lambda firm: [c for c in both if c != firm.home],
                asker(old, days[0]),
                asker(self, days[1]),
            )
        return Redline.trusted(
            mode="dates" if dates is not None else "revisions",
            since=dates[0] if dates else None,
            until=dates[1] if dates else None,
            base=base_label,
            as_of=as_of if dates is None else None,
            jurisdictions=codes,
            rules_hash_before=old.rules_hash,
            rules_hash_after=self.rules_hash,
            changes=changes,
            profiles=len(profiles or ()),
            impact=impact,
        )

    def regimes(self, as_of: dt.date | None = None) -> JurisdictionList:
        """Every bundled jurisdiction with its regime status per activity."""
        return regimes_table(self.ir, as_of or dt.date.today())

    def stale(self, days: int, as_of: dt.date | None = None) -> StaleList:
        """The jurisdictions (and requirements with their own date) not verified within
        `days` days of `as_of` (default today)."""
        return stale_table(self.ir, as_of or dt.date.today(), days)

    def activity_for_name(self, activity: str) -> str:
        """Check an activity name against the vocabulary."""
        if activity not in self._activities:
            raise EngineError(unknown_name("activity", activity, self._activities), "activity")
        return activity

    def _load_backend(self, name: str) -> StatusBackend:
        if name == "durable":
            # Imported only when asked for: durable is slow to load and starts a C engine.
            from engine.evaluation.durable.backend import DurableBackend

            return DurableBackend(self.ir.vocabulary)
        raise EngineError(f"unknown backend {name!r}; use {' or '.join(BACKENDS)}", "backend")


def load_bundle(path: Path | None = None, fx_file: Path | None = None) -> Bundle:
    """Load and check the rules at `path`, a bundle's root folder (default: the bundled
    rules). The bundle is named after that folder.

    `fx_file` adds the caller's own rates (a `.rules` file of `fx` blocks): they price only
    currencies that the ECB's reference rates and the bundled pegs leave unpriced.

    Raises:
        rulesdsl.DslError: if the rules (or the FX file) do not check clean.
    """
    rules, known_hash = load_hashed_bundle(path)
    tables = None
    if fx_file is not None:
        from engine.inputs.fx_file import read_fx_file

        tables = read_fx_file(fx_file)
    return Bundle(rules, tables, known_hash, (path or bundled_root()).resolve().name)
