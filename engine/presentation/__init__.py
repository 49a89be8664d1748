"""Answers rendered for people: text, Markdown, HTML, Word and CSV, from the result models
alone (never from decisions)."""
