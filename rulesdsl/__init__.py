"""Jawaz rule language: text → checked AST → IR. Never imports the engine or durable."""

from __future__ import annotations
