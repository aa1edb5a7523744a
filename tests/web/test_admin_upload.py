"""Admin upload: limits and refusals, preview before commit, background batch jobs."""

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select
from web.admin_session import csrf_from, sign_in, wait_for_job

from app.ingest import align
from app.models import Article, AuditLog, Event, EventKey, Mention, Outlet
from app.web import create_app

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
WSJ = SEEDS_DIR / "000_7dde30d644e8acaf.txt"
NO_FILES = {"files": ("", b"", "application/octet-stream")}  # what a browser sends for none


def article_count(engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Article)).one()


def token_from(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def seed_files(names=None):
    paths = sorted(SEEDS_DIR.glob("0*.txt"))
    return [("files", (p.name, p.read_bytes(), "text/plain")) for p in paths]


def test_upload_page_shows_the_limits(admin):
    client, _ = admin
    html = client.get("/admin/upload").text
    assert "2 MB per file or pasted text, 20 MB per upload" in html
    assert 'enctype="multipart/form-data"' in html


def test_pasted_article_is_previewed_and_nothing_is_stored(admin, engine):
    client, csrf = admin
    response = client.post(
        "/admin/upload", data={"csrf_token": csrf, "text": WSJ.read_text()}, files=NO_FILES
    )
    assert response.status_code == 200
    html = response.text
    assert "nothing is stored yet" in html
    assert 'value="The Wall Street Journal"' in html
    assert 'value="Blinken Reproves China Counterpart Over Support for Russia"' in html
    assert 'value="NUSA DUA, Indonesia"' in html
    assert '<del class="removed-line">' in html  # boilerplate shown struck through
    assert "It would open a <strong>new event</strong>" in html
    assert article_count(engine) == 0
    with Session(engine) as session:  # the event assignment ran and was rolled back
        assert session.exec(select(func.count()).select_from(Event)).one() == 0
        assert session.exec(select(func.count()).select_from(EventKey)).one() == 0


def test_confirmed_preview_stores_the_edited_metadata_and_audits(admin, engine):
    client, csrf = admin
    preview = client.post(
        "/admin/upload", data={"csrf_token": csrf, "text": WSJ.read_text()}, files=NO_FILES
    )
    form = {
        "csrf_token": csrf,
        "token": token_from(preview.text),
        "outlet": "WSJ Edited",
        "title": "An edited title",
        "published_at": "2022-07-09",
        "dateline": "NUSA DUA, Indonesia",
        "url": "https://example.org/wsj",
        "action": "store",
    }
    response = client.post("/admin/upload/confirm", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert re.fullmatch(r"/admin/articles/\d+\?added=1", response.headers["location"])
    with Session(engine) as session:
        article = session.exec(select(Article)).one()
        assert session.get(Outlet, article.outlet_id).name == "WSJ Edited"
        assert article.title == "An edited title"
        assert article.published_at.date().isoformat() == "2022-07-09"
        assert article.url == "https://example.org/wsj"
        assert article.event_id is not None
        entry = session.exec(select(AuditLog)).one()
        assert (entry.username, entry.action) == ("ada", "upload article")
        assert json.loads(entry.detail)["added"] == [article.id]
    # confirming the same preview twice stores nothing more
    again = client.post("/admin/upload/confirm", data=form, follow_redirects=False)
    assert again.headers["location"].endswith("?duplicate=1")
    assert article_count(engine) == 1


def test_update_preview_shows_the_edits_without_storing(admin, engine):
    client, csrf = admin
    preview = client.post(
        "/admin/upload", data={"csrf_token": csrf, "text": WSJ.read_text()}, files=NO_FILES
    )
    form = {
        "csrf_token": csrf,
        "token": token_from(preview.text),
        "action": "preview",
        "published_at": "2022-07-09",
        "outlet": "Another Outlet",
    }
    response = client.post("/admin/upload/confirm", data=form)
    assert response.status_code == 200
    assert 'value="Another Outlet"' in response.text
    assert 'value="2022-07-09"' in response.text
    assert article_count(engine) == 0


def test_a_tampered_preview_token_is_refused(admin, engine):
    client, csrf = admin
    preview = client.post(
        "/admin/upload", data={"csrf_token": csrf, "text": WSJ.read_text()}, files=NO_FILES
    )
    token = token_from(preview.text)
    form = {"csrf_token": csrf, "token": token[:-3] + "abc", "action": "store"}
    response = client.post("/admin/upload/confirm", data=form)
    assert response.status_code == 400
    assert "expired or was altered" in response.text
    assert article_count(engine) == 0


def test_confirm_without_csrf_token_stores_nothing(admin, engine):
    client, csrf = admin
    preview = client.post(
        "/admin/upload", data={"csrf_token": csrf, "text": WSJ.read_text()}, files=NO_FILES
    )
    form = {"token": token_from(preview.text), "action": "store", "csrf_token": "forged"}
    assert client.post("/admin/upload/confirm", data=form).status_code == 403
    assert article_count(engine) == 0


def test_upload_without_session_is_refused_before_reading(client, engine):
    token = csrf_from(client.get("/admin/login").text)
    response = client.post(
        "/admin/upload", data={"csrf_token": token, "text": WSJ.read_text()}, files=NO_FILES
    )
    assert response.status_code == 401
    assert article_count(engine) == 0


def test_upload_with_a_bad_csrf_token_is_refused(admin, engine):
    client, _ = admin
    response = client.post(
        "/admin/upload", data={"csrf_token": "nope", "text": WSJ.read_text()}, files=NO_FILES
    )
    assert response.status_code == 403
    assert article_count(engine) == 0


@pytest.fixture
def small_limits(settings, admin_user):
    small = settings.model_copy(
        update={
            "upload_max_file_bytes": 4000,
            "upload_max_request_bytes": 20000,
            "upload_max_files": 3,
        }
    )
    with TestClient(create_app(small)) as client:
        assert sign_in(client).status_code == 303
        yield client, csrf_from(client.get("/admin").text)


def test_a_file_over_the_size_limit_is_refused_and_nothing_stored(small_limits, engine):
    client, csrf = small_limits
    files = [
        ("files", ("small.txt", b"Short text. " * 20, "text/plain")),
        ("files", ("big.txt", b"x" * 5000, "text/plain")),
    ]
    response = client.post("/admin/upload", data={"csrf_token": csrf}, files=files)
    assert response.status_code == 413
    assert "big.txt is 4.9 KB, over the 3.9 KB limit per file" in response.text
    assert "nothing was stored" in response.text
    assert article_count(engine) == 0


def test_pasted_text_over_the_size_limit_is_refused(small_limits, engine):
    client, csrf = small_limits
    response = client.post(
        "/admin/upload", data={"csrf_token": csrf, "text": "word " * 1000}, files=NO_FILES
    )
    assert response.status_code == 413
    assert "pasted text is over" in response.text
    assert article_count(engine) == 0


def test_a_request_over_the_total_limit_is_refused(small_limits, engine):
    client, csrf = small_limits
    files = [("files", (f"part{i}.txt", b"y" * 3500, "text/plain")) for i in range(3)]
    files += [("files", ("more.txt", b"z" * 3500, "text/plain"))] * 3
    response = client.post("/admin/upload", data={"csrf_token": csrf}, files=files)
    assert response.status_code == 413
    assert "The upload is larger than the 19.5 KB allowed per request" in response.text
    assert article_count(engine) == 0


def test_too_many_files_are_refused(small_limits, engine):
    client, csrf = small_limits
    files = [("files", (f"f{i}.txt", b"Some text here.", "text/plain")) for i in range(4)]
    response = client.post("/admin/upload", data={"csrf_token": csrf}, files=files)
    assert response.status_code == 400
    assert "Too many files" in response.text
    assert article_count(engine) == 0


def test_an_unsupported_file_type_refuses_the_whole_upload(admin, engine):
    client, csrf = admin
    files = seed_files()[:2] + [("files", ("report.pdf", b"%PDF-1.7 ...", "application/pdf"))]
    response = client.post("/admin/upload", data={"csrf_token": csrf}, files=files)
    assert response.status_code == 415
    assert "report.pdf: unsupported file type .pdf" in response.text
    assert article_count(engine) == 0


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken.json", b'{"title": "x", "text": ', "invalid JSON"),
        ("list.json", b"[1, 2]", "expected an article object"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("empty.txt", b"   \n", "empty"),
        ("no-text.json", b'{"title": "Only a title"}', "missing field 'text' or 'html'"),
    ],
)
def test_a_single_unreadable_file_is_refused_with_its_reason(admin, engine, name, data, reason):
    client, csrf = admin
    response = client.post(
        "/admin/upload",
        data={"csrf_token": csrf},
        files=[("files", (name, data, "application/octet-stream"))],
    )
    assert response.status_code == 400
    assert reason in response.text.replace("&#39;", "'")
    assert article_count(engine) == 0


def test_nothing_or_both_are_refused(admin, engine):
    client, csrf = admin
    empty = client.post("/admin/upload", data={"csrf_token": csrf, "text": "  "}, files=NO_FILES)
    assert empty.status_code == 400 and "Nothing to upload" in empty.text
    both = client.post(
        "/admin/upload", data={"csrf_token": csrf, "text": "Some text."}, files=seed_files()[:1]
    )
    assert both.status_code == 400 and "not both" in both.text
    assert article_count(engine) == 0


def test_a_bad_date_is_refused(admin, engine):
    client, csrf = admin
    data = {"csrf_token": csrf, "text": WSJ.read_text(), "published_at": "last Tuesday"}
    response = client.post("/admin/upload", data=data, files=NO_FILES)
    assert response.status_code == 400 and "Use the form YYYY-MM-DD" in response.text


def test_uploaded_html_is_shown_as_text_never_as_markup(admin, engine):
    client, csrf = admin
    paragraphs = [
        "The minister said &lt;script&gt;alert(1)&lt;/script&gt; appeared in the draft law, "
        "according to two officials who spoke on Tuesday in the capital about the plan.",
        "\u201cWe will act on the findings before the end of the year,\u201d the minister told "
        "reporters after a two-hour cabinet meeting that ran late into the evening.",
        "Opposition leaders said the proposal went too far and promised to vote against it "
        "when it reaches parliament next month, setting up a close and bitter fight.",
        "The ministry estimated the programme would cost 2.4 billion dollars over five years, "
        "a figure independent analysts described as optimistic given recent overruns.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        "<html><head><title>Minister speaks on draft law</title></head><body><article>"
        f"<h1>Minister speaks on draft law</h1>{body}<script>alert(2)</script>"
        "</article></body></html>"
    ).encode()
    response = client.post(
        "/admin/upload",
        data={"csrf_token": csrf},
        files=[("files", ("page.html", html, "text/html"))],
    )
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert" not in response.text
    assert article_count(engine) == 0


def test_a_batch_runs_as_a_job_with_a_report_and_is_safe_to_resubmit(admin, engine):
    client, csrf = admin
    response = client.post(
        "/admin/upload", data={"csrf_token": csrf}, files=seed_files(), follow_redirects=False
    )
    assert response.status_code == 303
    job = wait_for_job(client, response.headers["location"])
    assert job["status"] == "done"
    assert (job["done"], job["total"]) == (5, 5)
    assert len(job["report"]["added"]) == 5
    assert {event["id"] for event in job["report"]["events"]} == set(
        Session(engine).exec(select(Article.event_id)).all()
    )
    assert "Added 5, already stored 0, duplicates of other articles 0" in job["page"]
    assert '<progress value="5" max="5">' in job["page"]
    with Session(engine) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.action == "batch upload")).one()
        assert len(json.loads(entry.detail)["added"]) == 5

    again = client.post(
        "/admin/upload", data={"csrf_token": csrf}, files=seed_files(), follow_redirects=False
    )
    second = wait_for_job(client, again.headers["location"])
    assert second["status"] == "done"
    assert len(second["report"]["added"]) == 0
    assert [d["already_stored"] for d in second["report"]["duplicates"]] == [True] * 5
    assert "Added 0, already stored 5, duplicates of other articles 0" in second["page"]
    assert "Duplicates of other articles" not in second["page"]
    assert article_count(engine) == 5

    renamed = [("files", ("copy-" + name, data, kind)) for _, (name, data, kind) in seed_files()]
    copies = client.post(
        "/admin/upload", data={"csrf_token": csrf}, files=renamed[:2], follow_redirects=False
    )
    third = wait_for_job(client, copies.headers["location"])
    assert [d["already_stored"] for d in third["report"]["duplicates"]] == [False, False]
    assert "already stored 0, duplicates of other articles 2" in third["page"]
    assert "Duplicates of other articles" in third["page"]


def test_malformed_json_lines_are_rejected_and_the_good_ones_stored(admin, engine):
    client, csrf = admin
    good = {
        "outlet": "NPR",
        "title": "A good line",
        "published_at": "2022-07-09",
        "text": "NUSA DUA, Indonesia - Secretary of State Antony Blinken met Wang Yi on "
        "Saturday. \u201cWe talked for five hours,\u201d Blinken said.",
    }
    lines = [json.dumps(good), '{"title": "cut off', json.dumps({"title": 5, "text": "x"}), "[]"]
    data = ("\n".join(lines) + "\n").encode()
    response = client.post(
        "/admin/upload",
        data={"csrf_token": csrf},
        files=[("files", ("batch.jsonl", data, "application/jsonl"))],
        follow_redirects=False,
    )
    job = wait_for_job(client, response.headers["location"])
    assert job["status"] == "done"
    assert len(job["report"]["added"]) == 1
    reasons = {item["source"]: item["reason"] for item in job["report"]["rejected"]}
    assert reasons["batch.jsonl#2"].startswith("invalid JSON")
    assert "must be a string" in reasons["batch.jsonl#3"]
    assert "expected an article object" in reasons["batch.jsonl#4"]
    assert "batch.jsonl#2: invalid JSON" in job["page"]
    assert article_count(engine) == 1


def test_the_job_report_names_each_added_article_and_why_it_needs_attention(admin):
    client, csrf = admin
    dated = {
        "outlet": "NPR",
        "title": "Ministers meet in Jakarta",
        "published_at": "2023-03-02",
        "text": "JAKARTA - The two foreign ministers met for three hours on Thursday, "
        "officials said, and agreed to meet again in the autumn.",
    }
    undated = {
        "title": "Harbour strike enters its second week",
        "text": "Dock workers stayed away from the port for a ninth day, and the union said "
        "talks with the operators had stalled over pay.",
    }
    data = "\n".join(json.dumps(line) for line in (dated, undated)).encode()
    response = client.post(
        "/admin/upload",
        data={"csrf_token": csrf},
        files=[("files", ("batch.jsonl", data, "application/jsonl"))],
        follow_redirects=False,
    )
    job = wait_for_job(client, response.headers["location"])
    added = {item["title"]: item["attention"] for item in job["report"]["added"]}
    assert added == {
        "Ministers meet in Jakarta": [],
        "Harbour strike enters its second week": ["unknown outlet", "unknown date"],
    }
    items = re.findall(r"<li><a href=\"/admin/articles/\d+\">(.*?)</li>", job["page"], re.S)
    assert len(items) == 2
    harbour = next(item for item in items if item.startswith("Harbour strike"))
    assert "needs attention: unknown outlet, unknown date" in harbour
    assert "batch.jsonl#2" in harbour
    assert not any("needs attention" in item for item in items if item.startswith("Ministers"))


def test_job_progress_is_an_htmx_block_that_stops_polling_when_done(admin):
    client, csrf = admin
    response = client.post(
        "/admin/upload", data={"csrf_token": csrf}, files=seed_files()[:2], follow_redirects=False
    )
    location = response.headers["location"]
    wait_for_job(client, location)
    block = client.get(location, headers={"HX-Request": "true"}).text
    assert block.lstrip().startswith('<section id="job-progress"')
    assert "<html" not in block
    assert "hx-trigger" not in block


def test_job_status_is_available_as_json_for_scripts(admin):
    client, csrf = admin
    response = client.post(
        "/admin/upload", data={"csrf_token": csrf}, files=seed_files()[:2], follow_redirects=False
    )
    wait_for_job(client, response.headers["location"])
    page = client.get(response.headers["location"], headers={"Accept": "application/json"})
    job = page.json()["job"]
    assert (job["status"], job["done"], job["total"]) == ("done", 2, 2)
    assert [item["source"] for item in job["report"]["added"]] == [
        "000_7dde30d644e8acaf.txt",
        "001_d197b4e38ea34f01.txt",
    ]


def test_a_failing_job_is_reported_failed(admin, engine, monkeypatch):
    client, csrf = admin

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("app.jobs.run.ingest_items", broken)
    response = client.post(
        "/admin/upload", data={"csrf_token": csrf}, files=seed_files()[:2], follow_redirects=False
    )
    job = wait_for_job(client, response.headers["location"])
    assert job["status"] == "failed"
    assert job["report"] == {"error": "RuntimeError: disk full"}
    assert "The job failed: RuntimeError: disk full" in job["page"]


def test_an_article_failing_mid_storage_leaves_nothing_half_stored(admin, engine, monkeypatch):
    client, csrf = admin
    real = align.update_event_claims

    def fails_for_npr(session, article, ahead=None):
        if article.source_name.startswith("002_"):
            raise RuntimeError("alignment crashed")
        real(session, article, ahead)

    monkeypatch.setattr(align, "update_event_claims", fails_for_npr)
    response = client.post(
        "/admin/upload", data={"csrf_token": csrf}, files=seed_files()[:3], follow_redirects=False
    )
    job = wait_for_job(client, response.headers["location"])
    assert job["status"] == "done"
    assert len(job["report"]["added"]) == 2
    [problem] = job["report"]["rejected"]
    assert problem["source"].startswith("002_") and "alignment crashed" in problem["reason"]
    with Session(engine) as session:
        sources = session.exec(select(Article.source_name)).all()
        assert not any(source.startswith("002_") for source in sources)
        stored = session.exec(select(Article.id)).all()
        assert set(session.exec(select(Mention.article_id)).all()) <= set(stored)
    monkeypatch.setattr(align, "update_event_claims", real)
    retry = client.post(
        "/admin/upload", data={"csrf_token": csrf}, files=seed_files()[:3], follow_redirects=False
    )
    second = wait_for_job(client, retry.headers["location"])  # re-submitting is safe
    assert [item["source"] for item in second["report"]["added"]] == [problem["source"]]
    assert len(second["report"]["duplicates"]) == 2


def test_confirm_reads_preview_tokens_over_the_default_form_field_size(admin, engine):
    client, csrf = admin
    huge = "x" * (1024 * 1024 + 10)  # a long article's token passes 1 MB, the default field limit
    response = client.post("/admin/upload/confirm", data={"csrf_token": csrf, "token": huge})
    assert response.status_code == 400
    assert "expired or was altered" in response.text  # our token check ran: the form was read
    assert article_count(engine) == 0


def test_deep_json_in_a_batch_is_one_rejected_item_beside_the_stored_files(admin, engine):
    client, csrf = admin
    deep = ("deep.json", b"[" * 200_000 + b"]" * 200_000, "application/json")
    files = [("files", deep), *seed_files()[:2]]
    response = client.post(
        "/admin/upload", data={"csrf_token": csrf}, files=files, follow_redirects=False
    )
    job = wait_for_job(client, response.headers["location"])
    assert job["status"] == "done"
    assert [item["reason"] for item in job["report"]["rejected"]] == [
        "JSON nested more than 64 levels deep"
    ]
    assert article_count(engine) == 2


def test_a_front_matter_alias_bomb_previews_as_plain_text(admin):
    client, csrf = admin
    levels = "\n".join(
        f"{n}: &{n} [" + ", ".join([f"*{p}"] * 9) + "]"
        for p, n in zip("abcdef", "bcdefg", strict=True)
    )
    story = WSJ.read_text()
    text = f"---\na: &a [{', '.join(['lol'] * 9)}]\n{levels}\ntitle: *g\n---\n{story}"
    response = client.post("/admin/upload", data={"csrf_token": csrf, "text": text}, files=NO_FILES)
    assert response.status_code == 200
    assert len(response.content) < 20 * len(text.encode())
