"""The lines of a passport answer: one `RequirementResult` per host requirement.

A line is built from the rule, how the framework treats its category and what the firm's
facts gave. Results are immutable, so the lines that do not depend on the firm's figures
(met, unknown, waived) and every citation are built once and shared; the fields of a line
that depend only on the rule (title, citation, dates, …) are worked out once per host,
requirement and treatment. Lines are built with `trusted` (no validation): every field is
of its declared type by construction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.decisions.answers import gap_out, reasons_of
from engine.decisions.catalogue import VersionKey, deadline_of, known_to_month
from engine.decisions.citations import Citations
from engine.decisions.deeming import Deeming
from engine.decisions.question import Question
from engine.evaluation.backend import Status
from engine.evaluation.explanations import Missing, Outcome
from engine.evaluation.lru import Kept
from engine.results import (
    CitationOut,
    Equivalence,
    HomeRequirementOut,
    RequirementResult,
    RequirementStatus,
    Treatment,
)
from rulesdsl import ir


@dataclass(frozen=True, slots=True)
class Line:
    """One host requirement being answered, and how the framework treats its category."""

    question: Question
    requirement: ir.Requirement
    treatment: Treatment | None


def treatments(framework: ir.Framework | None) -> dict[str, Treatment]:
    """How a passport under `framework` treats each category."""
    if framework is None:
        return {}
    found: dict[str, Treatment] = dict.fromkeys(framework.keeps, "kept")
    found.update(dict.fromkeys(framework.deems, "deemed"))
    found.update(dict.fromkeys(framework.waives, "waived"))
    return found


class LineBuilder:
    """Builds the lines of answers against one bundle."""

    def __init__(
        self, bundle: ir.Bundle, replaced: Mapping[str, Mapping[VersionKey, ir.Requirement]]
    ) -> None:
        self.citation = Citations(bundle)
        self._replaced = replaced
        self._shared: Kept[
            tuple[str, int, Treatment | None, bool | None, Missing, bool], RequirementResult
        ] = Kept(65536)
        self._waived: dict[tuple[str, int, str], RequirementResult] = {}
        self._gaps: Kept[tuple[str, int, Treatment | None, Missing], RequirementResult]
        self._gaps = Kept(65536)
        # Unmet and unknown lines (kept, no deeming), by the identity of the outcome the
        # explanation memo holds for the firm's values (the entry holds the outcome, so no
        # id is reused while it lives): a line is a pure function of its outcome.
        self._explained: Kept[
            tuple[str, int, Treatment | None, int], tuple[Outcome, RequirementResult]
        ] = Kept(65536)
        # The fields of a line that depend only on the rule, its host and its treatment,
        # in `RequirementResult`'s field order (finite: one per bundled requirement and
        # treatment; the requirements are the bundle's, so their identities are stable).
        self._static: dict[tuple[str, int, Treatment | None], dict[str, Any]] = {}

    def waived(self, question: Question, requirement: ir.Requirement) -> RequirementResult:
        """The line of a requirement the framework recognises outright: waived, citing the
        framework."""
        framework = question.framework
        assert framework is not None
        key = (question.host.code, id(requirement), framework.id)
        found = self._waived.get(key)
        if found is None:
            cited = framework.citation or ir.Citation(instrument=framework.id, provision="")
            found = self._waived[key] = self.result_model(
                Line(question, requirement, "waived"),
                "waived",
                Outcome(True),
                waived_by=self.citation("", cited),
            )
        return found

    @staticmethod
    def _not_covered(line: Line, outcome: Outcome) -> bool:
        """For the matrix's minimum licensee, a line undecided only for attributes its home
        licence does not demand (in the rule or in its `when`) is `not_covered`: a gap the
        licence leaves, which the firm closes by adding them. Pending figures, missing FX
        rates, open deadlines, dates known only to the month and what the source leaves
        open stay `unknown`: nobody can know them yet."""
        missing = outcome.missing
        unknowable = missing.pending or missing.rates or missing.open_deadline or missing.month
        return (
            line.question.minimum_licensee
            and bool(missing.attributes)
            and not (unknowable or missing.unstated)
        )

    def unknown_or_gap(self, line: Line, outcome: Outcome) -> RequirementResult:
        """An undecided line: `not_covered` where it is a gap the home licence leaves (kept:
        it shows only the rule and the attributes missing), else the shared `unknown` line."""
        if self._not_covered(line, outcome):
            key = (line.question.host.code, id(line.requirement), line.treatment, outcome.missing)
            found = self._gaps.get(key)
            if found is None:
                found = self._gaps[key] = self.result_model(line, "not_covered", outcome)
            return found
        return self.shared(line.question, line.requirement, line.treatment, outcome)

    def shared(
        self,
        question: Question,
        requirement: ir.Requirement,
        treatment: Treatment | None,
        outcome: Outcome,
    ) -> RequirementResult:
        """A line that depends only on the rule, its treatment and what is missing (met and
        unknown lines, whose outcome has no gaps): built once and shared, since results are
        immutable (no `Line` is made unless the result is built)."""
        assert outcome.value is not False
        key = (
            question.host.code,
            id(requirement),
            treatment,
            outcome.value,
            outcome.missing,
            outcome.applicability,
        )
        found = self._shared.get(key)
        if found is None:
            status: RequirementStatus = "met" if outcome.value else "unknown"
            line = Line(question, requirement, treatment)
            found = self._shared[key] = self.result_model(line, status, outcome)
        return found

    def explained(
        self,
        question: Question,
        requirement: ir.Requirement,
        treatment: Treatment | None,
        status: Status,
        outcome: Outcome,
    ) -> RequirementResult:
        """The line of an unmet or unknown requirement that no framework deems: `result`
        of it, kept by the outcome's identity."""
        key = (question.host.code, id(requirement), treatment, id(outcome))
        found = self._explained.get(key)
        if found is None or found[0] is not outcome:
            line = Line(question, requirement, treatment)
            found = self._explained[key] = (outcome, self.result(line, status, outcome))
        return found[1]

    def result(
        self, line: Line, status: Status, outcome: Outcome, deeming: Deeming | None = None
    ) -> RequirementResult:
        """An unmet or unknown line (met lines are shared), after any deeming."""
        if deeming is not None and deeming.equivalence == "shown":
            return self.result_model(
                line,
                "deemed_met",
                outcome,
                equivalence="shown",
                deemed_by=self.home_lines(line, deeming),
            )
        if deeming is not None and deeming.equivalence == "breached":
            # The firm breaches the home rule the host would rely on: not deemed, and unmet
            # whatever the host rule alone would say, citing both.
            return self.result_model(
                line,
                "unmet",
                outcome,
                equivalence="breached",
                breaches_home=self.home_lines(line, deeming),
            )
        equivalence = deeming.equivalence if deeming is not None else None
        if status == "unknown":
            if equivalence is None:
                return self.unknown_or_gap(line, outcome)
            final: RequirementStatus = (
                "not_covered" if self._not_covered(line, outcome) else "unknown"
            )
            return self.result_model(line, final, outcome, equivalence=equivalence)
        return self.result_model(line, status, outcome, equivalence=equivalence)

    def home_lines(self, line: Line, deeming: Deeming) -> list[HomeRequirementOut]:
        home = line.question.home_code
        return [
            HomeRequirementOut(
                jurisdiction=home,
                id=r.id,
                title=r.title,
                citation=self.citation(home, r.citation),
            )
            for r in deeming.home
        ]

    def result_model(
        self,
        line: Line,
        final: RequirementStatus,
        outcome: Outcome,
        *,
        equivalence: Equivalence | None = None,
        deemed_by: Sequence[HomeRequirementOut] = (),
        breaches_home: Sequence[HomeRequirementOut] = (),
        waived_by: CitationOut | None = None,
    ) -> RequirementResult:
        static = self._static_fields(line)
        fields = dict(static)  # a copy, in field order; what varies is set in place
        fields["status"] = final
        undecided = final in ("unknown", "not_covered")
        fields["missing"] = sorted(outcome.missing.attributes) if undecided else []
        fields["reasons"] = reasons_of(outcome) if final == "unknown" else []
        fields["gaps"] = [gap_out(g) for g in outcome.gaps] if final == "unmet" else []
        if final == "not_covered":
            fields["remedy"] = (
                f"not required by the home licence: add what this rule asks. {static['remedy']}"
            )
        fields["equivalence"] = equivalence
        fields["deemed_by"] = list(deemed_by)
        fields["breaches_home"] = list(breaches_home)
        fields["waived_by"] = waived_by
        return RequirementResult.trusted(**fields)

    def _static_fields(self, line: Line) -> dict[str, Any]:
        """Every field of a line in field order; `result_model` sets those that vary."""
        requirement, host = line.requirement, line.question.host.code
        key = (host, id(requirement), line.treatment)
        found = self._static.get(key)
        if found is None:
            found = self._static[key] = {
                "id": requirement.id,
                "title": requirement.title,
                "category": requirement.category,
                "status": "met",
                "blocking": requirement.blocking,
                "confidence": requirement.confidence,
                "pending": requirement.pending,
                "missing": [],
                "reasons": [],
                "gaps": [],
                "remedy": requirement.remedy,
                "citation": self.citation(host, requirement.citation),
                "effective_from": requirement.period.start,
                "effective_until": requirement.period.end,
                "deadline": deadline_of(requirement, self._replaced.get(host, {})),
                "known_to_month": known_to_month(requirement, self._replaced.get(host, {})),
                "treatment": line.treatment,
                "equivalence": None,
                "deemed_by": [],
                "breaches_home": [],
                "waived_by": None,
                "discretion": requirement.discretion,
            }
        return found
