"""Turns sign-in attempts into waits: a hard limit per (account, address) and per address, and a
growing delay per account that no attacker can turn into a lock-out of the real admin."""

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from fastapi import Request

MAX_TRACKED_KEYS = 10_000  # above this many keys, expired ones are dropped
MAX_ACCOUNT_DELAY = 8.0  # seconds: the most a sign-in to a much-attacked account is slowed


class AttemptLog(Protocol):
    """Where attempts are kept (in memory per process here; a table could stand behind it)."""

    def add(self, keys: list[tuple], now: float, window: float) -> list[int]:
        """Records one attempt under each key; how many each held in the window before it."""

    def oldest_expiry(self, key: tuple, now: float, window: float, limit: int) -> float:
        """Seconds until the key holds fewer than `limit` attempts in the window."""

    def forget(self, key: tuple) -> None: ...


class MemoryAttemptLog:
    """Attempt times per key in a sliding window; every method is atomic (one lock)."""

    def __init__(self):
        self.times: dict[tuple, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def add(self, keys: list[tuple], now: float, window: float) -> list[int]:
        with self.lock:
            counts = []
            for key in keys:
                times = self._current(key, now, window)
                counts.append(len(times))
                times.append(now)
            if len(self.times) > MAX_TRACKED_KEYS:
                self._forget_expired(now, window)
            return counts

    def oldest_expiry(self, key: tuple, now: float, window: float, limit: int) -> float:
        with self.lock:
            times = self._current(key, now, window)
            return times[-limit] + window - now if len(times) >= limit else 0.0

    def forget(self, key: tuple) -> None:
        with self.lock:
            self.times.pop(key, None)

    def _current(self, key: tuple, now: float, window: float) -> deque[float]:
        times = self.times[key]
        while times and times[0] <= now - window:
            times.popleft()
        return times

    def _forget_expired(self, now: float, window: float) -> None:
        """Drops keys whose last attempt left the window, so guessed names cannot fill memory."""
        for key in [k for k, times in self.times.items() if not times or times[-1] <= now - window]:
            del self.times[key]


@dataclass(frozen=True)
class Decision:
    """Refused for `wait` seconds, or allowed after sleeping `delay` seconds."""

    wait: int = 0
    delay: float = 0.0


class SignInLimiter:
    """Counts each attempt before its password is checked, atomically, so simultaneous attempts
    cannot all pass a limit they each see unreached.

    An address is refused after `max_failures` attempts at one account (or 4x as many at any
    accounts) in the window: an attacker locks out only their own address. Attempts at one
    account from anywhere only slow it down (doubling delays up to MAX_ACCOUNT_DELAY)."""

    def __init__(
        self,
        max_failures: int,
        window: int,
        clock: Callable[[], float] = time.monotonic,
        log: AttemptLog | None = None,
    ):
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self.log = log or MemoryAttemptLog()

    def limits(self, username: str, address: str) -> list[tuple[tuple, int]]:
        account = username.casefold()
        return [
            (("pair", account, address), self.max_failures),
            (("address", address), 4 * self.max_failures),
        ]

    def attempt(self, username: str, address: str) -> Decision:
        """Counts the attempt (as a failure until `succeeded` says otherwise) and decides."""
        now = self.clock()
        limits = self.limits(username, address)
        for key, limit in limits:
            if wait := self.log.oldest_expiry(key, now, self.window, limit):
                return Decision(wait=int(wait + 0.999))
        keys = [key for key, _ in limits]
        *earlier, account_earlier = self.log.add(
            [*keys, ("account", username.casefold())], now, self.window
        )
        if any(count >= limit for count, (_, limit) in zip(earlier, limits, strict=True)):
            return Decision(wait=self.window)  # raced past the check by simultaneous attempts
        over = account_earlier - self.max_failures
        return Decision(delay=min(2.0**over, MAX_ACCOUNT_DELAY) if over >= 0 else 0.0)

    def succeeded(self, username: str, address: str) -> None:
        """A right password: its address's failures at that account and the account's slow-down
        are forgotten."""
        account = username.casefold()
        self.log.forget(("pair", account, address))
        self.log.forget(("account", account))


def client_address(request: Request) -> str:
    """The peer address; behind a proxy listed in PARALLAX_TRUSTED_PROXIES, the forwarded one."""
    return request.client.host if request.client else "unknown"
