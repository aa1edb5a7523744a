"""Admin accounts: a username and password turned into an argon2-hashed User, and checked back."""

import argparse
import getpass
import re
import secrets
import sys
import threading
import unicodedata
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from zxcvbn import zxcvbn

from app.db import make_engine, session_scope
from app.models import AdminSession, User, utcnow
from app.settings import Settings

MIN_PASSWORD_LENGTH = 12
MIN_PASSWORD_SCORE = 3  # zxcvbn's 0-4 scale: 3 is "safely unguessable" for an online attack
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; the first 72 characters decide
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_.@-]{1,64}")

_hasher = PasswordHasher()
# argon2 takes 64 MiB per check: at most this many run at once, however many sign-ins arrive.
MAX_CONCURRENT_CHECKS = 2
_checks = threading.BoundedSemaphore(MAX_CONCURRENT_CHECKS)
# Verified against when the username is unknown, so both cases cost one argon2 verification.
_UNKNOWN_USER_HASH = _hasher.hash("no account has this password")


class AccountError(ValueError):
    """A username or password that cannot be used for an account."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def normalize_username(username: str) -> str:
    """One spelling per name: "ALICE", "alice" and full-width "ａｌｉｃｅ" are one account."""
    return unicodedata.normalize("NFKC", username).casefold()


def check_new_account(username: str, password: str) -> None:
    if not USERNAME_PATTERN.fullmatch(username):
        raise AccountError("username: 1-64 letters, digits or . _ @ -")
    if len(password.strip()) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password: at least {MIN_PASSWORD_LENGTH} characters besides spaces")
    strength = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[username])
    if strength["score"] < MIN_PASSWORD_SCORE:
        advice = strength["feedback"]["warning"] or "it is easy to guess"
        raise AccountError(f"password: too common or guessable ({advice.rstrip('.')})")


def find_account(session: Session, username: str) -> User | None:
    """The account of that name, however it is cased (older accounts kept their case)."""
    name = normalize_username(username)
    return session.exec(select(User).where(func.lower(User.username) == name)).first()


def create_user(session: Session, username: str, password: str) -> User:
    username = normalize_username(username)
    check_new_account(username, password)
    if find_account(session, username):
        raise AccountError(f"an account named {username!r} already exists")
    user = User(username=username, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def change_password(session: Session, username: str, password: str) -> int:
    """Sets the account's new password and revokes every open session of it; how many ended."""
    user = find_account(session, username)
    if user is None:
        raise AccountError(f"no account named {normalize_username(username)!r}")
    check_new_account(user.username, password)
    user.password_hash = hash_password(password)
    session.add(user)
    open_sessions = session.exec(
        select(AdminSession).where(
            AdminSession.user_id == user.id, AdminSession.revoked_at.is_(None)
        )
    ).all()
    for admin_session in open_sessions:
        admin_session.revoked_at = utcnow()
        session.add(admin_session)
    return len(open_sessions)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user if the password is theirs (re-hashing it when the argon2 parameters changed)."""
    user = find_account(session, username)
    try:
        with _checks:
            _hasher.verify(user.password_hash if user else _UNKNOWN_USER_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)  # same password: its sessions go on
        session.add(user)
        session.commit()
    return user


def open_session(engine: Engine, user: User) -> str:
    """A new server-side session for `user`; its id goes into the cookie."""
    session_id = secrets.token_urlsafe(32)
    with session_scope(engine) as session:
        session.add(AdminSession(id=session_id, user_id=user.id))
    return session_id


def session_user(engine: Engine, session_id: str, max_age: int) -> User | None:
    """The user of a session that is neither revoked nor older than `max_age` seconds; its last
    use is recorded (at most once a minute)."""
    now = utcnow()
    with session_scope(engine) as session:
        found = session.get(AdminSession, session_id)
        if found is None or found.revoked_at is not None:
            return None
        if now - _aware(found.created_at) > timedelta(seconds=max_age):
            return None
        if now - _aware(found.last_seen_at) > LAST_SEEN_RESOLUTION:
            found.last_seen_at = now
        user = session.get(User, found.user_id)
        if user is not None:
            session.expunge(user)
        return user


def revoke_session(engine: Engine, session_id: str) -> bool:
    """Ends the session; False if there is no such session or it had already ended."""
    with session_scope(engine) as session:
        found = session.get(AdminSession, session_id)
        if found is None or found.revoked_at is not None:
            return False
        found.revoked_at = utcnow()
        return True


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username")
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin (for scripts) instead of prompting",
    )


def read_password(args: argparse.Namespace) -> str:
    if args.password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != password:
        raise AccountError("the two passwords differ")
    return password


def main(settings: Settings, args: argparse.Namespace) -> int:
    engine = make_engine(settings.database_url)
    try:
        password = read_password(args)
        with session_scope(engine) as session:
            create_user(session, args.username, password)
    except AccountError as error:
        print(f"parallax admin create: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"admin account {normalize_username(args.username)!r} created")
    return 0


def change_password_main(settings: Settings, args: argparse.Namespace) -> int:
    engine = make_engine(settings.database_url)
    try:
        password = read_password(args)
        with session_scope(engine) as session:
            ended = change_password(session, args.username, password)
    except AccountError as error:
        print(f"parallax admin password: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"password of {normalize_username(args.username)!r} changed; {ended} session(s) ended")
    return 0
