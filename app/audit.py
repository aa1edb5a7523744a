"""Turns an admin's change into an AuditLog row (who, when, what) in the change's transaction."""

import json
from typing import Any

from sqlmodel import Session

from app.models import AuditLog


def record(
    session: Session, username: str, action: str, target: str = "", **detail: Any
) -> AuditLog:
    entry = AuditLog(
        username=username,
        action=action,
        target=target,
        detail=json.dumps(detail, default=str, ensure_ascii=False, sort_keys=True),
    )
    session.add(entry)
    return entry
