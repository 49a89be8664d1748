"""Finding, reading and checking rule files as bundles.

A bundle is a folder holding `vocabulary.rules` and every `.rules` file below it. A file
given on its own is checked inside the bundle it lives in (so a requirement file sees its
jurisdiction's header and the vocabulary); a file outside any bundle is checked with the
bundled vocabulary, so a rule author can try a snippet anywhere. A bundle's own
`vocabulary.rules` is never replaced: if it declares no vocabulary, that is E208.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rulesdsl import cache, ir
from rulesdsl.errors import Diagnostic, DslError, Severity
from rulesdsl.ir.canonical import rules_hash
from rulesdsl.syntax import nodes as n
from rulesdsl.syntax.sources import SourceFile, preview, read_source

VOCABULARY_FILE = "vocabulary.rules"
RULE_SUFFIX = ".rules"


def bundled_root() -> Path:
    """The folder of rules shipped with Jawaz (the `jurisdictions` package)."""
    import jurisdictions

    return Path(jurisdictions.__file__).resolve().parent


def display_path(path: Path) -> str:
    """The path as diagnostics show it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def rule_files(folder: Path) -> list[Path]:
    """Every `.rules` file below a folder, in a stable order."""
    return sorted(p for p in folder.rglob(f"*{RULE_SUFFIX}") if p.is_file())


def find_bundle_root(path: Path) -> Path | None:
    """The nearest folder at or above `path` that holds a vocabulary file."""
    start = path.resolve()
    for folder in (start, *start.parents) if start.is_dir() else start.parents:
        if (folder / VOCABULARY_FILE).is_file():
            return folder
    return None


@dataclass
class CheckReport:
    """The outcome of checking some paths."""

    files: list[str] = field(default_factory=list)
    requirements: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    bundles: list[ir.Bundle] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """How many diagnostics are errors."""
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many diagnostics are warnings."""
        return len(self.diagnostics) - self.errors


def _read_all(paths: Iterable[Path], report: CheckReport) -> list[n.Module]:
    from rulesdsl.syntax.parser import parse_source  # the parser is only needed on a cache miss

    modules: list[n.Module] = []
    for path in paths:
        shown = display_path(path)
        source = read_source(path, shown)
        if isinstance(source, Diagnostic):
            report.diagnostics.append(source)
            text = preview(path)  # so a bad byte or deep nesting is shown with its line
            if text is not None:
                report.sources[shown] = text
            continue
        report.sources[shown] = source.text
        parsed = parse_source(source)
        if isinstance(parsed, Diagnostic):
            report.diagnostics.append(parsed)
        else:
            modules.append(parsed)
    return modules


def _has_vocabulary(modules: Sequence[n.Module]) -> bool:
    return any(
        isinstance(i, n.Block) and i.kind.text == "vocabulary" for m in modules for i in m.items
    )


def _check_bundle(
    files: list[Path], wanted: set[str] | None, report: CheckReport, home: Path | None = None
) -> None:
    """Check one bundle; report only diagnostics in `wanted` files (None: all). Files with
    no vocabulary of their own are checked with `home`'s (default: the bundled rules')."""
    from rulesdsl.check.checker import check_modules  # checking is only needed on a miss
    from rulesdsl.ir.lower import lower

    scratch = CheckReport()
    modules = _read_all(files, scratch)
    own = any(p.name == VOCABULARY_FILE for p in files)  # a bundle's own, even if broken
    if modules and not own and not _has_vocabulary(modules):
        vocabulary = (home or bundled_root()) / VOCABULARY_FILE
        modules.extend(_read_all([vocabulary], scratch))
    collected, found = check_modules(modules) if modules else (None, [])
    all_found = [*scratch.diagnostics, *found]
    shown = wanted if wanted is not None else {display_path(p) for p in files}
    report.files.extend(sorted(shown))
    report.diagnostics.extend(d for d in all_found if d.span.file in shown)
    report.sources.update(scratch.sources)
    if collected is not None:
        report.requirements += sum(
            1
            for decl in collected.jurisdictions.values()
            for block in decl.requirements
            if block.span.file in shown
        )
    if collected is not None and not any(d.severity is Severity.ERROR for d in all_found):
        report.bundles.append(lower(collected))


def check_paths(paths: Sequence[Path], home: Path | None = None) -> CheckReport:
    """Check files and folders; each folder means every `.rules` file below it. A file
    outside any bundle is checked with the vocabulary of the bundle at `home` (default: the
    bundled rules)."""
    report = CheckReport()
    groups: dict[Path | None, set[Path]] = {}
    whole: set[Path] = set()
    for path in paths:
        if not path.exists():
            report.diagnostics.append(
                Diagnostic("E001", "no such file or folder", n.Span(str(path), 1, 1, 1, 2))
            )
            continue
        root = find_bundle_root(path)
        members = set(rule_files(path)) if path.is_dir() else {path}
        if path.is_dir() and not members:
            report.diagnostics.append(
                Diagnostic("E007", "no .rules files here", n.Span(str(path), 1, 1, 1, 2))
            )
        if root is not None and path.is_dir() and path.resolve() == root:
            whole.add(root)
        groups.setdefault(root, set()).update(p.resolve() for p in members)
    for root, members in groups.items():
        if root is None:
            for member in sorted(members):
                _check_bundle([member], None, report, home)
            continue
        wanted = None if root in whole else {display_path(p) for p in members}
        _check_bundle(rule_files(root), wanted, report)
    report.diagnostics.sort(key=Diagnostic.sort_key)
    return report


def load_bundle(root: Path | None = None) -> ir.Bundle:
    """Load, check and lower a whole bundle (default: the bundled rules).

    Raises:
        DslError: with every diagnostic, if the rules do not check clean.
    """
    return _load(root)[1]


def _load(root: Path | None) -> tuple[str, ir.Bundle]:
    """The cache key of the bundle at `root` and the bundle, from the cache if it is there."""
    folder = (root or bundled_root()).resolve()
    files = rule_files(folder)
    key = cache.bundle_key(folder, files)
    cached = cache.load(key)
    if cached is not None:
        return key, cached
    report = CheckReport()
    _check_bundle(files, None, report)
    if report.errors or not report.bundles:
        raise DslError(
            [d for d in report.diagnostics if d.severity is Severity.ERROR] or report.diagnostics
        )
    cache.store(key, report.bundles[0])
    return key, report.bundles[0]


def load_hashed_bundle(root: Path | None = None) -> tuple[ir.Bundle, str]:
    """`load_bundle`, with the bundle's rules hash (`rulesdsl.ir.canonical.rules_hash`),
    kept beside the cached bundle so that a start does not hash the whole IR again.

    Raises:
        DslError: with every diagnostic, if the rules do not check clean.
    """
    key, bundle = _load(root)
    known = cache.load_hash(key)
    if known is None:
        known = rules_hash(bundle)
        cache.store_hash(key, known)
    return bundle, known


def parse_file(path: Path) -> n.Module:
    """Parse one file to its AST (no checking). Raises `DslError` on failure."""
    from rulesdsl.syntax.parser import parse_source

    source = read_source(path, display_path(path))
    if isinstance(source, Diagnostic):
        raise DslError([source])
    parsed = parse_source(source)
    if isinstance(parsed, Diagnostic):
        raise DslError([parsed])
    return parsed


__all__ = ["CheckReport", "SourceFile", "bundled_root", "check_paths", "load_bundle", "parse_file"]
