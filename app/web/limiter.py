"""Turns sign-in attempts into waits: a hard limit per (account, address) and per address, and a
growing delay per account that no attacker can turn into a lock-out of the real admin."""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.db import SIGNIN_COUNT_LOCK, session_scope, take_turns
from app.models import SigninAttempt

MAX_ACCOUNT_DELAY = 8.0  # seconds: the most a sign-in to a much-attacked account is slowed


class AttemptLog:
    """Attempt times per key in a sliding window, kept in the database so that every web worker
    counts the same attempts; `add` is atomic across workers, and expired attempts are deleted."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def add(self, keys: list[tuple], now: float, window: float) -> list[int]:
        """Records one attempt under each key; how many each held in the window before it."""
        with session_scope(self.engine) as session:
            # The delete comes first: on SQLite it takes the write lock, so the counts below see
            # every attempt committed before; PostgreSQL takes turns on an advisory lock.
            take_turns(session, SIGNIN_COUNT_LOCK)
            session.execute(delete(SigninAttempt).where(SigninAttempt.at <= now - window))
            counts = [self._count(session, _stored(key)) for key in keys]
            rows = [{"key": _stored(key), "at": now} for key in keys]
            session.execute(insert(SigninAttempt), rows)
            return counts

    def oldest_expiry(self, key: tuple, now: float, window: float, limit: int) -> float:
        """Seconds until the key holds fewer than `limit` attempts in the window."""
        query = (
            select(SigninAttempt.at)
            .where(SigninAttempt.key == _stored(key), SigninAttempt.at > now - window)
            .order_by(SigninAttempt.at.desc())
            .offset(limit - 1)
            .limit(1)
        )
        with Session(self.engine) as session:
            limiting = session.execute(query).scalar()
        return limiting + window - now if limiting is not None else 0.0

    def forget(self, key: tuple) -> None:
        with session_scope(self.engine) as session:
            session.execute(delete(SigninAttempt).where(SigninAttempt.key == _stored(key)))

    @staticmethod
    def _count(session: Session, key: str) -> int:
        query = select(func.count()).where(SigninAttempt.key == key)
        return session.execute(query).scalar_one()


def _stored(key: tuple) -> str:
    return json.dumps(key, ensure_ascii=False)


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
        log: AttemptLog,
        clock: Callable[[], float] = time.time,
    ):
        self.max_failures = max_failures
        self.window = window
        self.log = log
        self.clock = clock  # wall-clock seconds: every worker's clock agrees

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
