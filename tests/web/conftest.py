"""Fixtures of the web tests: the Bali store behind the app, HTMX headers, a signed-in admin."""

import pytest
from queries.bali import BaliStore, build_bali_store
from sqlmodel import Session
from web.admin_session import PASSWORD, csrf_from, sign_in

from app.auth import create_user

HTMX = {"HX-Request": "true"}


@pytest.fixture
def bali(session) -> BaliStore:
    return build_bali_store(session)


@pytest.fixture
def admin_user(engine):
    with Session(engine) as session:
        create_user(session, "ada", PASSWORD)
        session.commit()
    return "ada"


@pytest.fixture
def admin(client, admin_user):
    """A client signed in as an admin, and the CSRF token of its session."""
    assert sign_in(client).status_code == 303
    return client, csrf_from(client.get("/admin").text)
