"""Text as a profile or request may carry it: printable, well-formed and bounded.

A lone surrogate (JSON `"\\ud800"`) is a Python string that no UTF-8 encoder accepts, so it
would fail wherever the text is written (the decision log, an answer); control characters
have no place in a name or a code and can forge lines in logs. Both are refused where the
text arrives, each problem named by its path, before anything else reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

# Longer than any name, code or amount a profile holds; bounds what one field can carry.
MAX_TEXT_LENGTH = 1000
# C0 and C1 controls, DEL, and every surrogate (a well-formed str holds none: in a Python
# string decoded from JSON, a surrogate is always a lone one).
_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str, limit: int = MAX_TEXT_LENGTH) -> str | None:
    """What is wrong with `value` as text, or None if nothing is."""
    found = _REFUSED.search(value)
    if found is not None:
        char = found.group()
        kind = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
        return f"contains {kind} (U+{ord(char):04X}) at character {found.start()}"
    if len(value) > limit:
        return f"is longer than {limit} characters"
    return None


def check_text(value: Any, limit: int = MAX_TEXT_LENGTH) -> Any:
    """`value` if it is not a string or is acceptable text; else `ValueError`."""
    if isinstance(value, str) and (problem := text_problem(value, limit)) is not None:
        raise ValueError(f"text {problem}")
    return value


def shown(key: str) -> str:
    """A key as a path may show it: a refused character written as its escape."""
    return _REFUSED.sub(lambda m: f"\\u{ord(m.group()):04x}", key)


def text_problems(data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, message) for every string, key or value, in parsed JSON/YAML `data` that
    `text_problem` refuses; paths are dotted (`attributes.key_persons.0.name`).

    Walked with a stack, not recursion: parsed JSON can nest as deep as the parser allowed.
    """
    stack: list[tuple[str, Any]] = [(path, data)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if (problem := text_problem(item)) is not None:
                yield where, f"text {problem}"
        elif isinstance(item, Mapping):
            for key, value in reversed(list(item.items())):
                name = str(key)
                here = f"{where}.{shown(name)}" if where else shown(name)
                stack.append((here, value))
                if (problem := text_problem(name)) is not None:
                    stack.append((here, _KeyProblem(problem)))
        elif isinstance(item, list | tuple):
            stack.extend(
                (f"{where}.{index}" if where else str(index), value)
                for index, value in reversed(list(enumerate(item)))
            )
        elif isinstance(item, _KeyProblem):
            yield where, f"the key {item.problem}"


class _KeyProblem:
    """A key's own problem, queued so problems come out in document order."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
