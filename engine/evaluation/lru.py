"""Bounded caches: the compiled forms backends keep and the parts of answers the decider
keeps, each by everything it depends on."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Entry = TypeVar("Entry")


class Lru(Generic[Key, Entry]):
    """A mapping that keeps the `limit` entries used last."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: OrderedDict[Key, Entry] = OrderedDict()

    def get(self, key: Key) -> Entry | None:
        """The entry for `key`, now the one used last; None if there is none."""
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: Key, entry: Entry) -> None:
        """Keep `entry`, dropping the entry used longest ago past the limit."""
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.limit:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class Kept(dict[Key, Entry]):
    """A dict of entries that are pure functions of their keys, started afresh once it
    holds `limit` entries: bounded like `Lru`, but looked up with a plain dict's `get` (no
    bookkeeping per hit), for what every question reads."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key: Key, entry: Entry) -> None:
        if len(self) >= self.limit:
            self.clear()
        super().__setitem__(key, entry)
