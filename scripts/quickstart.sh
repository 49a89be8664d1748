#!/usr/bin/env bash
# Set up Jawaz in .venv (a normal, non-editable install), check every bundled rule file,
# and ask the main question: can a Bahraini exchange operate in Malaysia, and what is
# missing? Needs only Python >= 3.11 and a C compiler (durable-rules builds from source).
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet .
.venv/bin/jawaz check
.venv/bin/jawaz passport examples/bahrain-exchange.yaml --to MY
