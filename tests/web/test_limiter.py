"""Tests for app/web/limiter.py: counted before checking, atomic across workers, per address,
expired attempts deleted."""

from concurrency import at_once, separate_engines
from sqlmodel import Session, select

from app.models import SigninAttempt
from app.web.limiter import MAX_ACCOUNT_DELAY, AttemptLog, Decision, SignInLimiter


def test_window_slides_per_account_and_address(engine):
    now = [1000.0]
    limiter = SignInLimiter(2, 60, AttemptLog(engine), clock=lambda: now[0])
    assert limiter.attempt("ada", "10.0.0.1") == Decision()
    now[0] += 30
    assert limiter.attempt("ADA", "10.0.0.1") == Decision()
    assert limiter.attempt("ada", "10.0.0.1") == Decision(wait=30)
    assert limiter.attempt("ada", "10.0.0.2").wait == 0  # another address is not locked out
    now[0] += 31
    assert limiter.attempt("ada", "10.0.0.1").wait == 0
    limiter.succeeded("ada", "10.0.0.1")
    assert limiter.attempt("ada", "10.0.0.1") == Decision()


def test_attempts_at_one_account_from_many_addresses_only_slow_it_down(engine):
    limiter = SignInLimiter(2, 60, AttemptLog(engine), clock=lambda: 0.0)
    decisions = [limiter.attempt("ada", f"10.0.{n}.1") for n in range(8)]
    assert all(decision.wait == 0 for decision in decisions)
    assert [d.delay for d in decisions] == [0, 0, 1, 2, 4, 8, 8, 8]
    assert max(d.delay for d in decisions) == MAX_ACCOUNT_DELAY


def test_simultaneous_attempts_in_separate_workers_are_each_counted_before_any_check(settings):
    """Each thread is a worker of its own (its own engine and limiter), as web workers are."""
    decisions = []

    def attempt(engine):
        limiter = SignInLimiter(5, 60, AttemptLog(engine))
        decisions.append(limiter.attempt("ada", "10.0.0.1"))

    with separate_engines(settings.database_url, 12) as engines:
        at_once(attempt, engines)
    assert len(decisions) == 12
    assert sum(decision.wait == 0 for decision in decisions) == 5


def test_expired_attempts_are_deleted_so_guessed_names_cannot_fill_the_table(engine):
    now = [0.0]
    limiter = SignInLimiter(5, 60, AttemptLog(engine), clock=lambda: now[0])
    for number in range(12):
        limiter.attempt(f"name{number}", f"10.0.0.{number}")
    now[0] += 61
    limiter.attempt("latest", "10.0.0.2")
    with Session(engine) as session:
        keys = set(session.exec(select(SigninAttempt.key)).all())
    assert keys == {
        '["pair", "latest", "10.0.0.2"]',
        '["address", "10.0.0.2"]',
        '["account", "latest"]',
    }
