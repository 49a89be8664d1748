#!/usr/bin/env bash
# Set up a development environment in .venv and run everything CI runs: lint, format,
# types, the formatting of the bundled rules, the docs build, and the test suite.
# Extra arguments go to pytest (e.g. ./scripts/test.sh -k golden --update-golden).
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test,docs]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/jawaz fmt --check
.venv/bin/mkdocs build --strict --quiet --site-dir build/site
.venv/bin/pytest "$@"
