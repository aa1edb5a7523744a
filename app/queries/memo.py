"""Turns an event's version and a build of its data into that data kept per process: a reader
query that finds the event at the version it was built at uses it again instead of reading it."""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from app.db import read_event_version

EVENTS_KEPT = 1000


class EventPageMemo:
    """What `build` returned for an event, by the version of the event's pages
    (`read_event_version`) read before it was built: the value is at least as new as that
    version, so a reader who reads the same version may have it (a write to the event, to a
    sibling in its storyline, or to no one event moves the version). The `size` events used last
    are kept. For reader requests only: their sessions write nothing the version would miss."""

    def __init__(self, size: int = EVENTS_KEPT):
        self.size = size
        self._kept: OrderedDict[int, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()  # requests run on several threads of one process

    def get(self, session: Session, event_id: int, build: Callable[[], Any]) -> Any:
        version = read_event_version(session.connection(), event_id)
        with self._lock:
            kept = self._kept.get(event_id)
            if kept is not None and kept[0] == version:
                self._kept.move_to_end(event_id)
                return kept[1]
        value = build()
        with self._lock:
            kept = self._kept.get(event_id)
            if kept is None or kept[0] < version:
                self._kept[event_id] = (version, value)
                self._kept.move_to_end(event_id)
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        return value
