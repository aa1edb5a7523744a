"""Protective headers: also on the 500 answer Starlette gives outside every middleware."""

import pytest
from fastapi.testclient import TestClient

from app.web import create_app
from app.web.security import CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(("path", "media_type"), [("/boom", "text/plain"), ("/api/boom", "json")])
def test_an_unhandled_error_answers_500_with_the_protective_headers(settings, path, media_type):
    app = create_app(settings)

    @app.get(path)
    def boom():
        raise RuntimeError("secret detail of the failure")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get(path)
    assert response.status_code == 500
    assert media_type in response.headers["content-type"]
    assert "secret detail" not in response.text
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
