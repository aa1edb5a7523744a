"""Turns an admin's request into a push-API token (shown once, kept only as its sha256), and a
bearer token back into the name it was issued to, while it is not revoked."""

import hashlib
import secrets

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.db import session_scope
from app.models import ApiToken, utcnow

SCOPES = ("ingest",)
TOKEN_PREFIX = "plx_"  # recognisable in logs and secret scanners


def token_hash(secret: str) -> str:
    """sha256 is enough: the token is 256 random bits, so no dictionary can guess it."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(session: Session, name: str, scope: str, created_by: str) -> tuple[ApiToken, str]:
    """The stored token and its secret, which is never stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise ValueError("give the token a name (who or what will use it)")
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; scopes: {', '.join(SCOPES)}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name[:200], token_hash=token_hash(secret), scope=scope, created_by=created_by
    )
    session.add(token)
    session.flush()
    return token, secret


def revoke_token(session: Session, token_id: int) -> str:
    """Revokes the token (it stays listed); returns its name."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise LookupError(f"there is no token {token_id}")
    if token.revoked_at is not None:
        raise ValueError(f"token {token_id} is already revoked")
    token.revoked_at = utcnow()
    session.add(token)
    return token.name


def authenticate_token(engine: Engine, secret: str, scope: str) -> ApiToken | None:
    """The live token with this secret and scope (its last use noted), else None."""
    with session_scope(engine) as session:
        token = session.exec(
            select(ApiToken).where(
                ApiToken.token_hash == token_hash(secret),
                ApiToken.scope == scope,
                ApiToken.revoked_at.is_(None),
            )
        ).first()
        if token is None:
            return None
        token.last_used_at = utcnow()
        session.add(token)
        session.flush()
        session.expunge(token)
        return token
