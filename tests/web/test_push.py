"""The push API: a token created in the admin pushes articles through the one ingest path; a
missing, wrong or revoked token is refused (401) and nothing is stored."""

import json
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.models import ApiToken, Article, AuditLog

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed_article(index: int) -> dict:
    path = sorted(SEEDS.glob("*.txt"))[index]
    return {
        "outlet": f"Outlet {index}",
        "url": f"https://news.example/{index}",
        "text": path.read_text(),
    }


def article_count(engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Article)).one()


@pytest.fixture
def token(admin) -> str:
    client, csrf = admin
    response = client.post("/admin/tokens", data={"csrf_token": csrf, "name": "newsroom"})
    assert response.status_code == 201
    return re.search(r'class="token-secret">([^<]+)<', response.text).group(1)


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def wait_for(client, url: str, secret: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(url, headers=bearer(secret)).json()
        if job["finished"]:
            return job
        time.sleep(0.2)
    raise AssertionError("the pushed job did not finish")


def test_a_token_is_shown_once_and_stored_hashed(admin, token, engine):
    client, _csrf = admin
    assert token.startswith("plx_") and len(token) > 40
    assert token not in client.get("/admin/tokens").text
    with Session(engine) as session:
        stored = session.exec(select(ApiToken)).one()
        assert stored.token_hash != token and token not in stored.token_hash
        assert stored.scope == "ingest" and stored.created_by == "ada"
        actions = session.exec(select(AuditLog.action)).all()
    assert "create API token" in actions


def test_one_pushed_article_is_ingested_and_its_report_returned(admin, token, engine):
    client, _csrf = admin
    response = client.post("/api/ingest", json=seed_article(1), headers=bearer(token))
    assert response.status_code == 201
    body = response.json()
    assert body["job"] is None and len(body["report"]["added"]) == 1
    assert article_count(engine) == 1
    assert "never" not in client.get("/admin/tokens").text.split("newsroom", 1)[1][:200]
    again = client.post("/api/ingest", json=seed_article(1), headers=bearer(token))
    assert again.status_code == 200 and len(again.json()["report"]["duplicates"]) == 1


def test_a_token_pushes_a_batch_as_a_job(admin, token, engine):
    client, _csrf = admin
    batch = [seed_article(1), seed_article(2), {"outlet": "X", "title": "no body"}]
    response = client.post("/api/ingest", json=batch, headers=bearer(token))
    assert response.status_code == 202
    job = wait_for(client, response.json()["job"]["url"], token)
    assert job["status"] == "done"
    assert len(job["report"]["added"]) == 2
    assert job["report"]["rejected"][0]["reason"] == "missing field 'text' or 'html'"
    assert article_count(engine) == 2


def test_json_lines_are_accepted(admin, token, engine):
    client, _csrf = admin
    lines = "\n".join(json.dumps(seed_article(i)) for i in (1, 2))
    response = client.post(
        "/api/ingest",
        content=lines,
        headers={**bearer(token), "Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 202
    assert wait_for(client, response.json()["job"]["url"], token)["status"] == "done"
    assert article_count(engine) == 2


@pytest.mark.parametrize(
    "headers",
    [{}, bearer("plx_wrong"), {"Authorization": "Basic abc"}, {"Authorization": "Bearer "}],
    ids=["missing", "wrong", "not bearer", "empty"],
)
def test_missing_or_wrong_token_is_refused_and_nothing_stored(admin, token, engine, headers):
    client, _csrf = admin
    response = client.post("/api/ingest", json=[seed_article(1), seed_article(2)], headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert article_count(engine) == 0


def test_a_revoked_token_is_refused_and_nothing_stored(admin, token, engine):
    client, csrf = admin
    with Session(engine) as session:
        token_id = session.exec(select(ApiToken.id)).one()
    revoked = client.post(
        f"/admin/tokens/{token_id}/revoke", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert revoked.status_code == 303
    response = client.post("/api/ingest", json=seed_article(1), headers=bearer(token))
    assert response.status_code == 401
    assert article_count(engine) == 0
    assert "revoked" in client.get("/admin/tokens").text


def test_limits_and_formats_of_the_upload_apply(admin, token, engine, settings):
    client, _csrf = admin
    client.app.state.settings = settings.model_copy(
        update={"upload_max_request_bytes": 50_000, "upload_max_files": 2}
    )
    too_big = client.post("/api/ingest", json={"text": "word " * 20_000}, headers=bearer(token))
    assert too_big.status_code == 413
    too_many = client.post(
        "/api/ingest", json=[{"text": "a"}, {"text": "b"}, {"text": "c"}], headers=bearer(token)
    )
    assert too_many.status_code == 413
    wrong_type = client.post(
        "/api/ingest", content=b"text", headers={**bearer(token), "Content-Type": "text/plain"}
    )
    assert wrong_type.status_code == 415
    assert article_count(engine) == 0


def test_a_job_is_only_visible_to_the_token_that_pushed_it(admin, token, engine):
    client, csrf = admin
    response = client.post(
        "/api/ingest", json=[seed_article(1), seed_article(2)], headers=bearer(token)
    )
    url = response.json()["job"]["url"]
    wait_for(client, url, token)
    other = client.post("/admin/tokens", data={"csrf_token": csrf, "name": "other"})
    other_secret = re.search(r'class="token-secret">([^<]+)<', other.text).group(1)
    assert client.get(url, headers=bearer(other_secret)).status_code == 404
    assert client.get(url).status_code == 401
