"""Jawaz engine: checked rules + firm facts → passport decisions.

The only package that imports durable-rules (through `engine.durable_backend`).
"""

from __future__ import annotations
