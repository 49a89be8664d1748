"""The Python API: load a rule bundle once, then ask it questions.

from engine import load_bundle
bundle = load_bundle()
decision = bundle.passport(profile, host="MY", as_of=date(2026, 11, 22))
print(decision.model_dump_json(indent=2))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from engine.decisions.passport import STATUS_QUO, Decider, Question, StatusBackend
from engine.errors import EngineError
from engine.evaluation.fast import FastBackend
from engine.evaluation.reference import Context, Status, requirement_status
from engine.inputs.fx import FxBook, FxSource
from engine.inputs.profiles import Profile, ProfileSchema, read_profile_data
from engine.results import ComparisonResult, Decision, MatrixResult
from rulesdsl import ir
from rulesdsl.errors import did_you_mean
from rulesdsl.ir.canonical import rules_hash
from rulesdsl.loader import load_bundle as load_ir


def reference_statuses(requirements: Sequence[ir.Requirement], ctx: Context) -> list[Status]:
    """Statuses from the reference evaluator (the specification the backends match)."""
    return [requirement_status(r, ctx)[0] for r in requirements]


class Bundle:
    """A checked rule bundle with its FX rates, ready to answer questions."""

    def __init__(self, rules: ir.Bundle, fx_tables: Sequence[ir.FxTable] | None = None) -> None:
        """`fx_tables` (a caller's own, as from `--fx FILE`) replace the bundle's tables."""
        self.ir = rules
        self.rules_hash = rules_hash(rules)
        minor_units = {c.code: c.minor_units for c in rules.vocabulary.currencies}
        source = (
            FxSource("bundled", rules.fx)
            if fx_tables is None
            else FxSource("file", tuple(fx_tables))
        )
        self.fx = FxBook([source], minor_units)
        self.profiles = ProfileSchema(rules)
        self.jurisdictions = {j.code: j for j in rules.jurisdictions}
        self.frameworks = {f.id: f for f in rules.frameworks}
        self.decider = Decider(rules, self.fx, self.rules_hash)
        money = [a.name for a in rules.vocabulary.attributes if a.type.kind == "money"]
        self._backends: dict[str, StatusBackend] = {
            "fast": FastBackend(money),
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
            hint = did_you_mean(code, self.jurisdictions)
            raise EngineError(
                f"unknown jurisdiction {code!r}" + (f"; {hint}" if hint else ""), field
            )
        return self.jurisdictions[code]

    def framework(self, framework_id: str | None) -> tuple[ir.Framework | None, bool]:
        """The framework to use and whether it was asked for by name."""
        if framework_id is None:
            return self.frameworks.get(STATUS_QUO), False
        if framework_id not in self.frameworks:
            hint = did_you_mean(framework_id, self.frameworks)
            raise EngineError(
                f"unknown framework {framework_id!r}" + (f"; {hint}" if hint else ""), "framework"
            )
        return self.frameworks[framework_id], True

    def activity_for(self, profile: Profile, activity: str | None) -> str:
        """The activity asked about: given, or the profile's only one."""
        known = {a.id for a in self.ir.vocabulary.activities}
        if activity is not None:
            if activity not in known:
                hint = did_you_mean(activity, known)
                raise EngineError(
                    f"unknown activity {activity!r}" + (f"; {hint}" if hint else ""), "activity"
                )
            return activity
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
    ) -> Decision:
        """Can `profile`'s firm operate in `host`, by which route, and what is missing?

        `apply_for` names one host licence to evaluate; by default every host licence
        covering the activity is evaluated and the best answer is given.
        """
        if backend not in self._backends:
            self._backends[backend] = self._load_backend(backend)
        chosen, requested = self.framework(framework)
        jurisdiction = self.jurisdiction(host)
        chosen_activity = self.activity_for(profile, activity)
        if apply_for is not None:
            self._check_licence(jurisdiction, apply_for, chosen_activity)
        question = Question(
            profile=profile,
            host=jurisdiction,
            home=self.jurisdiction(profile.home, "home"),
            activity=chosen_activity,
            as_of=as_of or dt.date.today(),
            framework=chosen,
            framework_requested=requested,
            apply_for=apply_for,
        )
        return self.decider.decide(question, self._backends[backend], backend)

    def _check_licence(self, host: ir.Jurisdiction, licence: str, activity: str) -> None:
        covering = [lic.id for lic in host.licences if activity in lic.activities]
        if licence not in covering:
            hint = (
                did_you_mean(licence, covering)
                or f"{host.code} licences for {activity}: {', '.join(covering) or 'none'}"
            )
            raise EngineError(
                f"{host.code} has no licence {licence!r} for {activity}; {hint}", "apply_for"
            )

    def passport_all(self, profile: Profile, **options: Any) -> list[Decision]:
        """The answer for every bundled host except the firm's home."""
        return [
            self.passport(profile, host=code, **options)
            for code in sorted(self.jurisdictions)
            if code != profile.home
        ]

    def matrix(
        self,
        activity: str,
        as_of: dt.date | None = None,
        framework: str | None = None,
        backend: str = "fast",
    ) -> MatrixResult:
        """What each home licence for `activity` buys in each host (minimum licensees)."""
        from engine.decisions.matrix import build_matrix

        self.activity_for_name(activity)
        return build_matrix(self, activity, as_of or dt.date.today(), framework, backend)

    def compare(
        self,
        jurisdictions: Sequence[str],
        activity: str,
        as_of: dt.date | None = None,
        currency: str = "USD",
    ) -> ComparisonResult:
        """Requirements of several jurisdictions for `activity`, aligned side by side."""
        from engine.decisions.compare import build_comparison

        self.activity_for_name(activity)
        codes = [self.jurisdiction(code, "jurisdictions").code for code in jurisdictions]
        return build_comparison(self, codes, activity, as_of or dt.date.today(), currency)

    def activity_for_name(self, activity: str) -> str:
        """Check an activity name against the vocabulary."""
        known = {a.id for a in self.ir.vocabulary.activities}
        if activity not in known:
            hint = did_you_mean(activity, known)
            raise EngineError(
                f"unknown activity {activity!r}" + (f"; {hint}" if hint else ""), "activity"
            )
        return activity

    def _load_backend(self, name: str) -> StatusBackend:
        if name == "durable":
            # Imported only when asked for: durable is slow to load and starts a C engine.
            from engine.evaluation.durable.backend import DurableBackend

            return DurableBackend(self.ir.vocabulary)
        raise EngineError(f"unknown backend {name!r}; use fast or durable", "backend")


def load_bundle(path: Path | None = None, fx_file: Path | None = None) -> Bundle:
    """Load and check the rules at `path` (default: the bundled rules).

    `fx_file` replaces the bundle's FX tables with the caller's own (a `.rules` file of
    `fx` blocks).

    Raises:
        rulesdsl.DslError: if the rules (or the FX file) do not check clean.
    """
    rules = load_ir(path)
    tables = None
    if fx_file is not None:
        from engine.inputs.fx_file import read_fx_file

        tables = read_fx_file(fx_file)
    return Bundle(rules, tables)
