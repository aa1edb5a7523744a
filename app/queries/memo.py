"""Turns an event's version and a build of its data into that data kept per process: a reader
query that finds the event at the version it was built at uses it again instead of reading it."""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from app.db import read_event_version

# What the memo keeps at most, in `weigh` units: for event grids, cells (claims × outlets) and
# articles, each a small dict. The 5,000-article bench store's 1,000 events weigh ~50,000; an
# event of 300 articles and 500 claims reported by 12 outlets ~6,000.
WEIGHT_KEPT = 200_000


class EventPageMemo:
    """What `build` returned for an event, by the version of the event's pages
    (`read_event_version`) read before it was built: the value is at least as new as that
    version, so a reader who reads the same version may have it (a write to the event, to a
    sibling in its storyline, or to no one event moves the version). The events used last are
    kept, up to `budget` of what `weigh` says they weigh. For reader requests only: their
    sessions write nothing the version would miss."""

    def __init__(self, weigh: Callable[[Any], int], budget: int = WEIGHT_KEPT):
        self.weigh = weigh
        self.budget = budget
        self.used = 0
        self._kept: OrderedDict[int, tuple[int, Any, int]] = OrderedDict()
        self._lock = threading.Lock()  # requests run on several threads of one process

    def get(self, session: Session, event_id: int, build: Callable[[], Any]) -> Any:
        version = read_event_version(session.connection(), event_id)
        with self._lock:
            kept = self._kept.get(event_id)
            if kept is not None and kept[0] == version:
                self._kept.move_to_end(event_id)
                return kept[1]
        value = build()
        self._keep(event_id, version, value)
        return value

    def _keep(self, event_id: int, version: int, value: Any) -> None:
        weight = self.weigh(value)
        with self._lock:
            kept = self._kept.get(event_id)
            if kept is not None and kept[0] >= version:
                return
            if kept is not None:
                self.used -= self._kept.pop(event_id)[2]
            self._kept[event_id] = (version, value, weight)
            self.used += weight
            while self.used > self.budget:
                self.used -= self._kept.popitem(last=False)[1][2]
