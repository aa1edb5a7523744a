"""Tests for app/uploads.py: parsing uploads with form metadata, previews, tokens, storing."""

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.ingest.parse import GivenMeta, RawArticle
from app.models import Article, AuditLog
from app.uploads import (
    PreviewTokens,
    Upload,
    UploadRefused,
    parse_uploads,
    preview_context,
    single_article,
    store,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
MAX_BYTES = 2_000_000


def seed_upload(name: str = "001_d197b4e38ea34f01.txt") -> Upload:
    return Upload(name, (SEEDS / name).read_bytes())


def test_form_metadata_wins_over_the_files():
    items = parse_uploads([seed_upload()], GivenMeta(outlet="Form Outlet"), MAX_BYTES)
    assert [item.given.outlet for item in items] == ["Form Outlet"]


def test_one_article_is_previewed_and_a_file_of_many_goes_to_a_job():
    text = (SEEDS / "001_d197b4e38ea34f01.txt").read_text(encoding="utf-8")
    many = json.dumps([{"text": text}, {"text": text + " More."}]).encode()
    assert single_article("", [Upload("many.json", many)], GivenMeta(), MAX_BYTES) is None
    one = single_article("", [seed_upload()], GivenMeta(), MAX_BYTES)
    assert isinstance(one, RawArticle) and one.source == "001_d197b4e38ea34f01.txt"
    pasted = single_article(text, [], GivenMeta(outlet="Pasted"), MAX_BYTES)
    assert pasted.given.outlet == "Pasted"


def test_nothing_readable_is_refused_with_the_reason():
    with pytest.raises(UploadRefused, match="Nothing could be read as an article"):
        single_article("", [Upload("empty.json", b"[]")], GivenMeta(), MAX_BYTES)


def test_preview_tokens_keep_the_text_and_refuse_another_key():
    raw = RawArticle("paste", "Some text.", given=GivenMeta(outlet="NPR"))
    token = PreviewTokens("key one").dumps(raw)
    kept = PreviewTokens("key one").loads(token)
    assert (kept.source, kept.text, kept.given) == ("paste", "Some text.", GivenMeta())
    with pytest.raises(UploadRefused, match="expired or was altered"):
        PreviewTokens("key two").loads(token)


def test_preview_context_writes_nothing_and_names_the_event(engine):
    npr = seed_upload("002_1369dc01825edf46.txt")
    raw = parse_uploads([npr], GivenMeta(), MAX_BYTES)[0]
    context = preview_context(engine, raw, PreviewTokens("key"))
    assert context["event"]["new"] is True
    assert context["preview"]["duplicate_of"] is None and context["preview"]["clean_text"]
    removed = [line["text"] for line in context["lines"] if line["removed"]]
    assert "Play Live Radio" in "\n".join(removed)
    with Session(engine) as session:
        assert session.exec(select(Article)).all() == []


def test_store_adds_then_names_the_duplicate_and_audits_both(engine):
    raw = parse_uploads([seed_upload()], GivenMeta(), MAX_BYTES)[0]
    first = store(engine, "ada", raw)
    second = store(engine, "ada", raw)
    assert (first.duplicate, second.duplicate) == (False, True)
    assert first.article_id == second.article_id
    with Session(engine) as session:
        entries = session.exec(select(AuditLog).where(AuditLog.action == "upload article")).all()
    assert [entry.username for entry in entries] == ["ada", "ada"]
