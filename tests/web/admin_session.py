"""Helpers shared by the admin tests: the test password, CSRF tokens from pages, signing in."""

import re

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client: TestClient, username="ada", password=PASSWORD, headers=None, **extra):
    token = csrf_from(client.get("/admin/login").text)
    form = {"username": username, "password": password, "csrf_token": token, **extra}
    return client.post("/admin/login", data=form, headers=headers, follow_redirects=False)
