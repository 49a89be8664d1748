"""Web addresses in rule files: an instrument's `url` and a provision's `cite_url`.

Every answer and document links to them, so the checker holds each to the one form a
reader's browser can open (`E210`).
"""

from __future__ import annotations

from rulesdsl.syntax import nodes as n


def url_problem(value: n.Value) -> str | None:
    """What is wrong with a web address, or None: an answer links to it, so it must be an
    absolute `https://` or `http://` address with a host and no spaces."""
    if not isinstance(value, n.StringLit):
        return None  # not a text at all: E205
    text = value.value
    if any(c.isspace() or not c.isprintable() for c in text):
        return "it contains a space or a control character"
    scheme, sep, rest = text.partition("://")
    if not sep or scheme.lower() not in ("https", "http"):
        return "it must start with https:// or http://"
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if not host or host.startswith(".") or "." not in host.strip("."):
        return "it names no host"
    return None
