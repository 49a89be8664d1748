"""Reading a caller's own FX rates (`--fx FILE`): `fx` blocks in the rule language."""

from __future__ import annotations

from pathlib import Path

from engine.errors import EngineError
from rulesdsl import ir
from rulesdsl.errors import DslError, Severity
from rulesdsl.loader import CheckReport, check_paths


def read_fx_file(path: Path) -> tuple[ir.FxTable, ...]:
    """The FX tables of a `.rules` file holding only `fx` blocks (checked like any rules).

    Raises:
        DslError: with the file's diagnostics if it does not check clean.
        EngineError: if it checks clean but holds no rates.
    """
    report: CheckReport = check_paths([path])
    errors = [d for d in report.diagnostics if d.severity is Severity.ERROR]
    if errors or not report.bundles:
        raise DslError(errors or report.diagnostics)
    tables = report.bundles[0].fx
    if not tables:
        raise EngineError("the file has no `fx` blocks", str(path))
    return tables
