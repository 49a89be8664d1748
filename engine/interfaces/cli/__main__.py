"""`python -m engine.interfaces.cli`: the `jawaz` command without its script."""

from __future__ import annotations

from engine.interfaces.cli.main import main

main()
