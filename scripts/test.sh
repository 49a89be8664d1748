#!/usr/bin/env bash
# Set up a development environment in .venv and run everything CI runs: lint, format,
# types, the import contracts, the formatting of the bundled rules, the docs build, and the
# test suite.
# Extra arguments go to pytest (e.g. ./scripts/test.sh -k golden --update-golden).
set -euo pipefail
cd "$(dirname "$0")/.."
# The browser test (tests/test_site_browser.py) drives Debian's Chromium; install it if we can.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    else
        echo "test.sh: no chromium/chromedriver and cannot apt-get install them (not root or no apt-get): the browser test will be skipped (or fail if CI is set)"
    fi
fi
# The PostgreSQL decision-log tests start a throwaway server from Debian's binaries.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
        echo "test.sh: no PostgreSQL server binaries and cannot apt-get install them (not root or no apt-get): the PostgreSQL tests will be skipped (or fail if CI is set)"
    fi
fi
# The PDF tests print through WeasyPrint, which loads Pango, and read pages with pdftotext.
if ! ldconfig -p 2>/dev/null | grep -q libpango-1.0 || ! command -v pdftotext >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null
    else
        echo "test.sh: no Pango or pdftotext and cannot apt-get install them (not root or no apt-get): the PDF tests will be skipped (or fail if CI is set)"
    fi
fi
python="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test,docs]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# DESIGN §7's dependency rules ([tool.importlinter] in pyproject.toml); no cache left behind.
.venv/bin/lint-imports --no-cache
.venv/bin/jawaz fmt --check
.venv/bin/mkdocs build --strict --quiet --site-dir build/site
.venv/bin/pytest "$@"
