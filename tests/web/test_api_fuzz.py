"""Schemathesis over /openapi.json, in-process: every check, signed out and signed in as an admin.

No JSON route needs a sign-in yet; the signed-in run still sends an admin's session cookie, so a
route that starts reading it is fuzzed both ways."""

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from queries.bali import build_bali_store
from sqlmodel import Session
from web.admin_session import PASSWORD, sign_in

from app.auth import create_user
from app.settings import Settings
from app.web import create_app

MAX_EXAMPLES = 25  # per operation and signed-in state: ~9 operations x 2 x 25 cases


@pytest.fixture(scope="module")
def fuzzed_app(module_database):
    app = create_app(Settings(database_url=module_database))
    with Session(app.state.engine) as session:
        build_bali_store(session)
        create_user(session, "ada", PASSWORD)
        session.commit()
    with TestClient(app) as client:
        assert sign_in(client).status_code == 303
        app.state.fuzz_cookie = client.cookies["parallax_session"]
    yield app
    app.state.engine.dispose()


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def fuzz(app, cookies: dict | None) -> dict[str, int]:
    """Runs every operation's generated cases with all checks; cases run per operation."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    counts = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        counts[operation.label] = 0

        @given(case=operation.as_strategy())
        @FUZZ_SETTINGS
        def check(case):
            counts[case.operation.label] += 1
            case.call_and_validate(cookies=cookies)

        check()
    return counts


def test_api_signed_out_conforms_to_its_schema_and_never_fails(fuzzed_app):
    counts = fuzz(fuzzed_app, None)
    assert counts and min(counts.values()) > 0
    print(f"signed out: {sum(counts.values())} cases over {len(counts)} operations")


def test_api_signed_in_conforms_to_its_schema_and_never_fails(fuzzed_app):
    counts = fuzz(fuzzed_app, {"parallax_session": fuzzed_app.state.fuzz_cookie})
    assert counts and min(counts.values()) > 0
    print(f"signed in: {sum(counts.values())} cases over {len(counts)} operations")
