"""Turns failed sign-ins into waits: a sliding window per account and per client address."""

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

from fastapi import Request

MAX_TRACKED_KEYS = 10_000  # above this many accounts and addresses, expired ones are dropped


class SignInLimiter:
    """Failed sign-ins in a sliding window, per account and per client address (per process)."""

    def __init__(self, max_failures: int, window: int, clock: Callable[[], float] = time.monotonic):
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self.failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    @staticmethod
    def keys(username: str, address: str) -> list[tuple[str, str]]:
        return [("account", username.casefold()), ("address", address)]

    def wait_seconds(self, username: str, address: str) -> int:
        """0 if a sign-in may be tried now, else how long until the oldest failure expires."""
        now = self.clock()
        with self.lock:
            waits = [0.0]
            for key in self.keys(username, address):
                times = self.failures.get(key)
                while times and times[0] <= now - self.window:
                    times.popleft()
                if times is not None and not times:
                    del self.failures[key]
                elif times and len(times) >= self.max_failures:
                    waits.append(times[-self.max_failures] + self.window - now)
        return int(max(waits) + 0.999)

    def record_failure(self, username: str, address: str) -> None:
        now = self.clock()
        with self.lock:
            for key in self.keys(username, address):
                self.failures[key].append(now)
            if len(self.failures) > MAX_TRACKED_KEYS:
                self.forget_expired(now)

    def forget_expired(self, now: float) -> None:
        """Drops keys whose last failure left the window, so guessed names cannot fill memory."""
        stale = [
            k for k, times in self.failures.items() if not times or times[-1] <= now - self.window
        ]
        for key in stale:
            del self.failures[key]

    def forget_account(self, username: str) -> None:
        with self.lock:
            self.failures.pop(("account", username.casefold()), None)


def client_address(request: Request) -> str:
    """The peer address (behind a proxy, run uvicorn with --proxy-headers so this is the client)."""
    return request.client.host if request.client else "unknown"
