"""Sign-in, sessions, CSRF, sign-in limits and security headers of the admin surface."""

import io
import os
import re
import stat
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from stores import sqlite_only
from web.admin_session import PASSWORD, csrf_from, sign_in

from app.cli import main as cli_main
from app.settings import Settings
from app.web import admin as admin_module
from app.web import create_app
from app.web.security import CONTENT_SECURITY_POLICY
from app.web.sessions import secret_key_path

NEW_PASSWORD = "violet quarry lantern oboe"


def test_sign_in_opens_a_session_and_lands_on_the_dashboard(client, admin_user):
    response = sign_in(client)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in this test
    assert f"Max-Age={Settings().session_max_age}" in cookie
    page = client.get("/admin")
    assert page.status_code == 200
    assert "Sign out ada" in page.text


def test_session_cookie_is_secure_over_https(settings, admin_user):
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        response = sign_in(client)
    assert "; Secure" in response.headers["set-cookie"]
    assert response.headers["strict-transport-security"]


@pytest.mark.parametrize(
    ("secure_cookies", "base_url", "secure"),
    [("always", "http://testserver", True), ("never", "https://testserver", False)],
)
def test_secure_cookie_setting_overrides_the_scheme(
    settings, admin_user, secure_cookies, base_url, secure
):
    forced = settings.model_copy(update={"secure_cookies": secure_cookies})
    with TestClient(create_app(forced), base_url=base_url) as client:
        cookie = client.get("/admin/login").headers["set-cookie"]
    assert ("; Secure" in cookie) is secure


def test_an_unknown_secure_cookie_setting_is_refused(monkeypatch):
    monkeypatch.setenv("PARALLAX_SECURE_COOKIES", "alwyas")
    with pytest.raises(ValueError, match="secure_cookies"):
        Settings()


def test_sign_in_only_redirects_to_admin_paths(client, admin_user):
    response = sign_in(client, next="https://evil.example/")
    assert response.headers["location"] == "/admin"
    response = sign_in(client, next="/admin/audit")
    assert response.headers["location"] == "/admin/audit"


def test_wrong_password_is_refused_with_a_message(client, admin_user):
    response = sign_in(client, password="not the password at all")
    assert response.status_code == 401
    assert "Wrong username or password." in response.text
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_unknown_user_gets_the_same_message(client, admin_user):
    response = sign_in(client, username="mallory")
    assert response.status_code == 401
    assert "Wrong username or password." in response.text


def test_sign_in_without_csrf_token_is_refused(client, admin_user):
    client.get("/admin/login")
    form = {"username": "ada", "password": PASSWORD}
    response = client.post("/admin/login", data=form)
    assert response.status_code == 403
    assert "did not come from this site" in response.text
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_sign_in_from_a_cross_site_form_without_our_cookie_is_refused(settings, admin_user):
    with TestClient(create_app(settings)) as other:
        token = csrf_from(other.get("/admin/login").text)
    with TestClient(create_app(settings)) as client:
        form = {"username": "ada", "password": PASSWORD, "csrf_token": token}
        assert client.post("/admin/login", data=form).status_code == 403


ADMIN_PAGES = ["/admin", "/admin/upload", "/admin/attention", "/admin/audit", "/admin/jobs/1"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_redirect_to_sign_in_without_a_session(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/login?next={path}"


def test_admin_api_requests_get_401_without_a_session(client):
    response = client.get("/admin/attention", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json() == {"detail": "sign in required"}


def test_htmx_requests_get_401_and_a_redirect_header_without_a_session(client):
    response = client.get("/admin/attention", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/admin/login?next=/admin/attention"


def test_forms_posted_without_a_session_are_refused(client):
    token = csrf_from(client.get("/admin/login").text)  # a token, but no signed-in session
    response = client.post("/admin/articles/1/delete", data={"csrf_token": token})
    assert response.status_code == 401
    assert "Sign in again" in response.text


ADMIN_FORMS = [
    "/admin/upload",
    "/admin/upload/confirm",
    "/admin/articles/1/edit",
    "/admin/articles/1/delete",
    "/admin/articles/1/move",
    "/admin/events/1/realign",
    "/admin/events/1/merge",
    "/admin/events/1/split",
    "/admin/claims/1/merge",
    "/admin/claims/1/split",
]


@pytest.mark.parametrize("path", ADMIN_FORMS)
def test_every_admin_form_needs_a_session_then_a_csrf_token(client, admin_user, path):
    token = csrf_from(client.get("/admin/login").text)
    form = {"csrf_token": token, "event_id": "1", "other_id": "2", "into_id": "2"}
    assert client.post(path, data=form).status_code == 401
    sign_in(client)
    forged = client.post(path, data={**form, "csrf_token": "forged"})
    assert forged.status_code == 403
    assert "did not come from this site" in forged.text
    assert client.post(path, data={"event_id": "1"}).status_code == 403


def test_sign_out_needs_the_csrf_token_and_ends_the_session(client, admin_user):
    sign_in(client)
    assert client.post("/admin/logout", data={}).status_code == 403
    assert client.get("/admin").status_code == 200
    token = csrf_from(client.get("/admin").text)
    response = client.post("/admin/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_a_copied_cookie_stops_working_when_the_session_expires(client, admin_user, monkeypatch):
    sign_in(client)
    assert client.get("/admin").status_code == 200
    later = time.time() + Settings().session_max_age + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_a_tampered_cookie_is_ignored(client, admin_user):
    sign_in(client)
    value = client.cookies["parallax_session"]
    client.cookies.set("parallax_session", value[:-2] + ("AA" if value[-2:] != "AA" else "BB"))
    assert client.get("/admin", follow_redirects=False).status_code == 303


NO_KEY_FILE = sqlite_only(
    "the generated secret_key file lives next to a SQLite database; on PostgreSQL there is no "
    "data dir and deployments set PARALLAX_SECRET_KEY (tested on both stores below)"
)


@NO_KEY_FILE
def test_two_apps_on_one_data_dir_accept_each_others_cookies(settings, admin_user):
    with TestClient(create_app(settings)) as first:
        sign_in(first)
        cookie = first.cookies["parallax_session"]
    with TestClient(create_app(settings)) as second:
        second.cookies.set("parallax_session", cookie)
        assert second.get("/admin").status_code == 200


@NO_KEY_FILE
def test_generated_secret_key_is_kept_private_next_to_the_database(settings):
    create_app(settings)
    path = secret_key_path(settings.database_url)
    assert path == Path(settings.database_url.removeprefix("sqlite:///")).parent / "secret_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(path.read_text().strip()) >= 40


def test_a_configured_secret_key_signs_cookies_instead(settings, admin_user):
    keyed = settings.model_copy(update={"secret_key": "k" * 48})
    with TestClient(create_app(keyed)) as first:
        sign_in(first)
        cookie = first.cookies["parallax_session"]
    with TestClient(create_app(settings)) as unkeyed:
        unkeyed.cookies.set("parallax_session", cookie)
        assert unkeyed.get("/admin", follow_redirects=False).status_code == 303


def test_sign_in_is_rate_limited_per_account(client, admin_user):
    for _ in range(5):
        assert sign_in(client, password="guess number n").status_code == 401
    response = sign_in(client)  # even the right password waits
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
    assert "Try again in 15 minutes" in response.text
    assert int(response.headers["retry-after"]) > 800


def test_sign_in_is_rate_limited_per_client_address(client, admin_user):
    for number in range(20):
        sign_in(client, username=f"guess{number}")
    assert sign_in(client, username="someone-else").status_code == 429


def test_simultaneous_sign_ins_check_at_most_the_limit_of_passwords(
    client, admin_user, monkeypatch
):
    checked = []
    real_authenticate = admin_module.authenticate

    def counting(*args):
        checked.append(args[1])
        return real_authenticate(*args)

    monkeypatch.setattr(admin_module, "authenticate", counting)
    token = csrf_from(client.get("/admin/login").text)
    start = threading.Barrier(20)
    statuses = []

    def attempt(password):
        form = {"username": "ada", "password": password, "csrf_token": token}
        start.wait()
        statuses.append(client.post("/admin/login", data=form, follow_redirects=False).status_code)

    # All wrong: a right one among the first five counted would (rightly) reset its address's
    # count and let later attempts through, making the figure depend on thread order.
    passwords = [f"wrong guess {n}" for n in range(20)]
    threads = [threading.Thread(target=attempt, args=(p,)) for p in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == 5
    assert statuses.count(429) == 15


def test_a_locked_out_address_does_not_lock_out_the_admin_elsewhere(settings, admin_user):
    app = create_app(settings)
    with TestClient(app, client=("203.0.113.9", 5000)) as attacker:
        for _ in range(6):
            sign_in(attacker, password="guess number n")
        assert sign_in(attacker).status_code == 429
    with TestClient(app, client=("198.51.100.7", 5000)) as real_admin:
        assert sign_in(real_admin).status_code == 303


ANY_PAGES = ["/admin/login", "/static/app.css", "/openapi.json", "/admin/nope"]


@pytest.mark.parametrize("path", ANY_PAGES)
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert (headers.get("cache-control") == "no-store") == path.startswith("/admin")


def test_admin_pages_carry_no_inline_script_or_style(client, admin_user):
    sign_in(client)
    for path in ["/admin", "/admin/login", "/admin/attention", "/admin/audit", "/admin/upload"]:
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert " style=" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(settings, admin_user):
    with TestClient(create_app(settings), client=("127.0.0.1", 5000)) as direct:
        for number in range(6):
            forged = {"X-Forwarded-For": f"198.51.100.{number}"}
            sign_in(direct, password="guess number n", headers=forged)
        assert sign_in(direct, headers={"X-Forwarded-For": "198.51.100.99"}).status_code == 429
    proxied = settings.model_copy(update={"trusted_proxies": "127.0.0.1"})
    with TestClient(create_app(proxied), client=("127.0.0.1", 5000)) as behind_proxy:
        for _ in range(6):
            sign_in(
                behind_proxy, password="guess number n", headers={"X-Forwarded-For": "203.0.113.5"}
            )
        assert sign_in(behind_proxy, headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 303


def test_a_cookie_copied_before_sign_out_no_longer_works(settings, admin_user):
    app = create_app(settings)
    with TestClient(app) as browser, TestClient(app) as thief:
        sign_in(browser)
        thief.cookies.set("parallax_session", browser.cookies["parallax_session"])
        assert thief.get("/admin", follow_redirects=False).status_code == 200
        token = csrf_from(browser.get("/admin").text)
        browser.post("/admin/logout", data={"csrf_token": token})
        assert thief.get("/admin", follow_redirects=False).status_code == 303


def test_the_admin_lists_sessions_and_revokes_another(settings, admin_user):
    app = create_app(settings)
    with TestClient(app) as laptop, TestClient(app) as phone:
        sign_in(laptop)
        sign_in(phone)
        html = laptop.get("/admin/sessions").text
        assert html.count("<td>ada</td>") == 2
        assert "Sign out this session" in html
        other = re.findall(r'action="/admin/sessions/([^/"]+)/revoke"', html)
        current = re.search(
            r'sessions/([^/"]+)/revoke">\s*<input[^>]*>\s*<button[^>]*>Sign out this',
            html,
        ).group(1)
        (phone_id,) = [session_id for session_id in other if session_id != current]
        token = csrf_from(html)
        revoked = laptop.post(f"/admin/sessions/{phone_id}/revoke", data={"csrf_token": token})
        assert revoked.status_code == 200 and "ended" in revoked.text
        assert phone.get("/admin", follow_redirects=False).status_code == 303
        assert laptop.get("/admin", follow_redirects=False).status_code == 200


def test_forms_posted_from_another_site_are_refused_even_with_the_token(admin):
    client, token = admin
    form = {"csrf_token": token, "title": "Changed"}
    for header in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/x"}):
        response = client.post("/admin/logout", data=form, headers=header)
        assert response.status_code == 403
    same_site = client.post(
        "/admin/logout", data=form, headers={"Origin": "http://testserver"}, follow_redirects=False
    )
    assert same_site.status_code == 303


def test_changing_the_password_ends_every_session_of_that_admin(
    settings, admin_user, monkeypatch, capsys
):
    app = create_app(settings)
    with TestClient(app) as laptop:
        sign_in(laptop)
        assert laptop.get("/admin", follow_redirects=False).status_code == 200
        monkeypatch.setenv("PARALLAX_DATABASE_URL", settings.database_url)
        monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
        assert cli_main(["admin", "password", "ada", "--password-stdin"]) == 0
        assert "1 session(s) ended" in capsys.readouterr().out
        assert laptop.get("/admin", follow_redirects=False).status_code == 303
        assert sign_in(laptop, password=NEW_PASSWORD).status_code == 303
        assert laptop.get("/admin", follow_redirects=False).status_code == 200
