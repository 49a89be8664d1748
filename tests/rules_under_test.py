"""The rule bundle that the bundle-wide tests run over: `$JAWAZ_RULES`, else the bundled rules.

A rule author who adds a jurisdiction to a copy of the bundle runs these tests over it with
no Python change, as the `jawaz` commands do (they read the same variable)::

    JAWAZ_RULES=/path/to/copy pytest tests/test_jurisdiction_cases.py ...

The modules that use it derive every count and code list from the bundle, never from a
fixed number of jurisdictions or cases.
"""

from __future__ import annotations

import os
from pathlib import Path

from engine import load_bundle
from engine.bundle import Bundle
from rulesdsl.loader import bundled_root

RULES_ROOT = Path(os.environ["JAWAZ_RULES"]).resolve() if os.environ.get("JAWAZ_RULES") else None
"""The bundle under test, or None for the bundled rules."""


def rules_root() -> Path:
    """The root folder of the bundle under test."""
    return RULES_ROOT if RULES_ROOT is not None else bundled_root()


def load_rules() -> Bundle:
    """The bundle under test, checked and loaded."""
    return load_bundle(RULES_ROOT)


def jurisdiction_folders(root: Path) -> set[str]:
    """The names of the folders of a bundle that hold a jurisdiction's header."""
    return {p.parent.name for p in root.glob("*/jurisdiction.rules")}
