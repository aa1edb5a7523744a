"""Tests for app/web/limiter.py: the sliding window and its bounded memory."""

from app.web.limiter import SignInLimiter


def test_limiter_window_slides():
    now = [1000.0]
    limiter = SignInLimiter(max_failures=2, window=60, clock=lambda: now[0])
    limiter.record_failure("ada", "10.0.0.1")
    now[0] += 30
    limiter.record_failure("ada", "10.0.0.2")
    assert limiter.wait_seconds("ada", "10.0.0.3") == 30
    assert limiter.wait_seconds("bob", "10.0.0.3") == 0
    now[0] += 31
    assert limiter.wait_seconds("ada", "10.0.0.3") == 0
    limiter.record_failure("ada", "10.0.0.3")
    limiter.forget_account("ADA")
    assert limiter.wait_seconds("ada", "10.0.0.4") == 0


def test_limiter_forgets_expired_keys_when_many_names_are_tried(monkeypatch):
    monkeypatch.setattr("app.web.limiter.MAX_TRACKED_KEYS", 10)
    now = [0.0]
    limiter = SignInLimiter(max_failures=5, window=60, clock=lambda: now[0])
    for number in range(12):
        limiter.record_failure(f"name{number}", f"10.0.0.{number}")
    now[0] += 61
    limiter.record_failure("latest", "10.0.0.2")
    assert set(limiter.failures) == {("account", "latest"), ("address", "10.0.0.2")}
