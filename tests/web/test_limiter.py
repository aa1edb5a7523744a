"""Tests for app/web/limiter.py: counted before checking, atomic, per address, bounded memory."""

import threading

from app.web.limiter import MAX_ACCOUNT_DELAY, Decision, SignInLimiter


def test_window_slides_per_account_and_address():
    now = [1000.0]
    limiter = SignInLimiter(max_failures=2, window=60, clock=lambda: now[0])
    assert limiter.attempt("ada", "10.0.0.1") == Decision()
    now[0] += 30
    assert limiter.attempt("ADA", "10.0.0.1") == Decision()
    assert limiter.attempt("ada", "10.0.0.1") == Decision(wait=30)
    assert limiter.attempt("ada", "10.0.0.2").wait == 0  # another address is not locked out
    now[0] += 31
    assert limiter.attempt("ada", "10.0.0.1").wait == 0
    limiter.succeeded("ada", "10.0.0.1")
    assert limiter.attempt("ada", "10.0.0.1") == Decision()


def test_attempts_at_one_account_from_many_addresses_only_slow_it_down():
    limiter = SignInLimiter(max_failures=2, window=60, clock=lambda: 0.0)
    decisions = [limiter.attempt("ada", f"10.0.{n}.1") for n in range(8)]
    assert all(decision.wait == 0 for decision in decisions)
    assert [d.delay for d in decisions] == [0, 0, 1, 2, 4, 8, 8, 8]
    assert max(d.delay for d in decisions) == MAX_ACCOUNT_DELAY


def test_simultaneous_attempts_are_each_counted_before_any_check():
    limiter = SignInLimiter(max_failures=5, window=60)
    start = threading.Barrier(40)
    decisions = []

    def attempt():
        start.wait()
        decisions.append(limiter.attempt("ada", "10.0.0.1"))

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(decision.wait == 0 for decision in decisions) == 5


def test_limiter_forgets_expired_keys_when_many_names_are_tried(monkeypatch):
    monkeypatch.setattr("app.web.limiter.MAX_TRACKED_KEYS", 10)
    now = [0.0]
    limiter = SignInLimiter(max_failures=5, window=60, clock=lambda: now[0])
    for number in range(12):
        limiter.attempt(f"name{number}", f"10.0.0.{number}")
    now[0] += 61
    limiter.attempt("latest", "10.0.0.2")
    assert set(limiter.log.times) == {
        ("pair", "latest", "10.0.0.2"),
        ("address", "10.0.0.2"),
        ("account", "latest"),
    }
