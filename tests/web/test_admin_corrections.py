"""Admin correction routes on the ingested seeds: each change applied, audited, or refused."""

import argparse
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.ingest.run import ingest_paths
from app.ingest.run import web_url as cli_web_url
from app.models import Article, AuditLog, Claim, Event, Mention

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def seeded(engine):
    report = ingest_paths(engine, [SEEDS_DIR])
    return {Path(item.source).name[:3]: item.article_id for item in report.added}


def audit_entries(engine, action: str) -> list[AuditLog]:
    with Session(engine) as session:
        return session.exec(select(AuditLog).where(AuditLog.action == action)).all()


def event_of(engine, article_id: int) -> int:
    with Session(engine) as session:
        return session.get(Article, article_id).event_id


def claims_by_mentions(engine, event_id: int) -> list[tuple[int, int]]:
    """(claim id, mention count) of the event's live claims, most mentioned first."""
    with Session(engine) as session:
        live = session.exec(
            select(Claim.id).where(
                Claim.event_id == event_id,
                Claim.removed_at.is_(None),
                Claim.merged_into_id.is_(None),
            )
        ).all()
        counts = Counter(
            session.exec(select(Mention.claim_id).where(Mention.claim_id.in_(live))).all()
        )
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def test_article_page_and_metadata_edit_is_audited(admin, engine, seeded):
    client, csrf = admin
    guardian = seeded["001"]
    page = client.get(f"/admin/articles/{guardian}")
    assert page.status_code == 200
    assert 'value="The Guardian"' in page.text
    form = {
        "csrf_token": csrf,
        "outlet": "The Observer",
        "title": "New title",
        "published_at": "2022-07-10",
        "url": "https://example.org/x",
        "dateline": "JAKARTA, Indonesia",
    }
    response = client.post(f"/admin/articles/{guardian}/edit", data=form, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(f"/admin/articles/{guardian}").text
    assert 'value="The Observer"' in page and 'value="2022-07-10"' in page
    assert 'value="JAKARTA, Indonesia"' in page
    [entry] = audit_entries(engine, "edit article")
    assert entry.username == "ada" and entry.target == f"article {guardian}"
    assert json.loads(entry.detail)["outlet"] == ["The Guardian", "The Observer"]
    audit_page = client.get("/admin/audit").text
    assert "edit article" in audit_page and "The Observer" in audit_page


def test_every_post_form_on_admin_pages_carries_the_csrf_token(admin, engine, seeded):
    client, csrf = admin
    bali = event_of(engine, seeded["000"])
    for path in [
        "/admin",
        "/admin/upload",
        f"/admin/articles/{seeded['000']}",
        f"/admin/events/{bali}",
    ]:
        html = client.get(path).text
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S)
        assert forms, path
        for form in forms:
            assert f'name="csrf_token" value="{csrf}"' in form, (path, form[:80])


def test_stored_text_is_escaped_on_admin_pages(admin, engine, seeded):
    client, csrf = admin
    npr = seeded["002"]
    form = {"csrf_token": csrf, "outlet": "<b>NPR</b>", "title": "<script>alert(1)</script>"}
    client.post(f"/admin/articles/{npr}/edit", data=form)
    for path in [
        f"/admin/articles/{npr}",
        "/admin/audit",
        f"/admin/events/{event_of(engine, npr)}",
    ]:
        html = client.get(path).text
        assert "<script>alert(1)</script>" not in html and "<b>NPR</b>" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_edit_refusals_change_nothing(admin, client, engine, seeded):
    _, csrf = admin
    guardian = seeded["001"]
    form = {"csrf_token": csrf, "outlet": "Hacked", "published_at": "2022-07-10"}
    forged = client.post(f"/admin/articles/{guardian}/edit", data={**form, "csrf_token": "x"})
    assert forged.status_code == 403
    bad_date = client.post(f"/admin/articles/{guardian}/edit", data={**form, "published_at": "9th"})
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.text
    missing = client.post("/admin/articles/999/edit", data=form)
    assert missing.status_code == 404
    client.cookies.clear()
    anonymous = client.post(f"/admin/articles/{guardian}/edit", data=form)
    assert anonymous.status_code == 401
    with Session(engine) as session:
        assert session.get(Article, guardian).title != "Hacked"
    assert audit_entries(engine, "edit article") == []


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "example.org/x"])
def test_metadata_edit_refuses_urls_that_are_not_web_addresses(admin, engine, seeded, url):
    client, csrf = admin
    guardian = seeded["001"]
    form = {"csrf_token": csrf, "outlet": "The Guardian", "url": url}
    response = client.post(f"/admin/articles/{guardian}/edit", data=form)
    assert response.status_code == 400 and "http:// or https://" in response.text
    with Session(engine) as session:
        assert session.get(Article, guardian).url != url
    assert audit_entries(engine, "edit article") == []


@pytest.mark.parametrize(
    "url", ["https://example.org/a b", "https://example.org/\x01x", "https://exa\tmple.org/"]
)
def test_metadata_edit_refuses_what_the_ingest_command_refuses(admin, engine, seeded, url):
    with pytest.raises(argparse.ArgumentTypeError):
        cli_web_url(url)
    client, csrf = admin
    guardian = seeded["001"]
    form = {"csrf_token": csrf, "outlet": "The Guardian", "url": url}
    response = client.post(f"/admin/articles/{guardian}/edit", data=form)
    assert response.status_code == 400 and "http:// or https://" in response.text
    assert audit_entries(engine, "edit article") == []


def test_attention_list_shows_unknown_metadata_until_fixed(admin, engine, seeded):
    client, csrf = admin
    npr = seeded["002"]
    with Session(engine) as session:
        article = session.get(Article, npr)
        article.outlet_id = None
        article.needs_attention, article.attention_reasons = True, "unknown outlet"
        session.add(article)
        session.commit()
    page = client.get("/admin/attention").text
    assert f'href="/admin/articles/{npr}"' in page and "unknown outlet" in page
    form = {"csrf_token": csrf, "outlet": "NPR", "title": "t", "published_at": "2022-07-09"}
    client.post(f"/admin/articles/{npr}/edit", data=form)
    assert f'href="/admin/articles/{npr}"' not in client.get("/admin/attention").text


def test_delete_article_leaves_removed_claims_with_a_removed_permalink(admin, engine, seeded):
    client, csrf = admin
    wsj = seeded["000"]
    event_id = event_of(engine, wsj)
    with Session(engine) as session:
        counts = Counter(session.exec(select(Mention.claim_id)).all())
        own = session.exec(select(Mention.claim_id).where(Mention.article_id == wsj)).all()
        only_wsj = next(claim for claim in own if counts[claim] == 1)
    response = client.post(
        f"/admin/articles/{wsj}/delete", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/events/{event_id}"
    assert client.get(f"/admin/articles/{wsj}").status_code == 404
    permalink = client.get(f"/claims/{only_wsj}")
    assert permalink.status_code < 500
    assert "removed" in permalink.text
    [entry] = audit_entries(engine, "delete article")
    assert only_wsj in json.loads(entry.detail)["removed_claims"]


def test_deleting_the_only_article_of_an_event_takes_the_event_off_the_timeline(
    admin, engine, seeded
):
    client, csrf = admin
    beijing = seeded["004"]
    event_id = event_of(engine, beijing)
    with Session(engine) as session:
        claim_id = session.exec(select(Claim.id).where(Claim.event_id == event_id)).first()
    assert "Blinken warns China" in client.get("/").text
    response = client.post(
        f"/admin/articles/{beijing}/delete", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert response.headers["location"] == "/admin"
    assert "Blinken warns China" not in client.get("/").text
    assert client.get(f"/events/{event_id}").status_code == 404
    permalink = client.get(f"/claims/{claim_id}")
    assert permalink.status_code < 500 and "removed" in permalink.text


def test_delete_needs_session_and_token(admin, client, engine, seeded):
    client.post(f"/admin/articles/{seeded['000']}/delete", data={"csrf_token": "wrong"})
    client.cookies.clear()
    client.post(f"/admin/articles/{seeded['000']}/delete", data={})
    with Session(engine) as session:
        assert session.get(Article, seeded["000"]) is not None


def test_move_article_into_another_event(admin, engine, seeded):
    client, csrf = admin
    beijing, bali = seeded["004"], event_of(engine, seeded["000"])
    old_event = event_of(engine, beijing)
    response = client.post(
        f"/admin/articles/{beijing}/move",
        data={"csrf_token": csrf, "event_id": bali},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with Session(engine) as session:
        article = session.get(Article, beijing)
        assert (article.event_id, article.event_locked) == (bali, True)
        assert session.get(Event, old_event).merged_into_id == bali
    [entry] = audit_entries(engine, "move article")
    assert json.loads(entry.detail) == {"from_event": old_event, "to_event": bali}


def test_article_page_offers_only_other_events_to_move_to(admin, engine, seeded):
    client, csrf = admin
    beijing, bali = seeded["004"], event_of(engine, seeded["000"])
    page = client.get(f"/admin/articles/{beijing}").text
    assert f'<option value="{bali}">' in page
    assert f'<option value="{event_of(engine, beijing)}">' not in page
    client.post(f"/admin/articles/{beijing}/move", data={"csrf_token": csrf, "event_id": bali})
    page = client.get(f"/admin/articles/{beijing}").text
    assert 'name="event_id"' not in page and "No other event to move it to." in page


def test_split_then_merge_events(admin, engine, seeded):
    client, csrf = admin
    bali = event_of(engine, seeded["000"])
    page = client.get(f"/admin/events/{bali}")
    assert page.status_code == 200 and 'name="article_ids"' in page.text
    split = client.post(
        f"/admin/events/{bali}/split",
        data={"csrf_token": csrf, "article_ids": [seeded["000"]]},
        follow_redirects=False,
    )
    assert split.status_code == 303
    new_event = event_of(engine, seeded["000"])
    assert new_event != bali
    assert split.headers["location"] == f"/admin/events/{new_event}"
    assert event_of(engine, seeded["002"]) == bali

    merge = client.post(
        f"/admin/events/{bali}/merge",
        data={"csrf_token": csrf, "other_id": new_event},
        follow_redirects=False,
    )
    assert merge.status_code == 303
    assert event_of(engine, seeded["000"]) == bali
    assert [e.action for e in audit_entries(engine, "split event")] == ["split event"]
    assert json.loads(audit_entries(engine, "merge events")[0].detail) == {
        "absorbed_event": new_event
    }


def test_impossible_event_corrections_are_refused_with_the_reason(admin, engine, seeded):
    client, csrf = admin
    bali = event_of(engine, seeded["000"])
    everything = [seeded[n] for n in ("000", "001", "002", "003")]
    split = client.post(
        f"/admin/events/{bali}/split", data={"csrf_token": csrf, "article_ids": everything}
    )
    assert split.status_code == 400 and "some, but not all" in split.text
    itself = client.post(f"/admin/events/{bali}/merge", data={"csrf_token": csrf, "other_id": bali})
    assert itself.status_code == 400 and "cannot be merged into itself" in itself.text
    assert client.get("/admin/events/999").status_code == 404
    assert audit_entries(engine, "split event") == []


def test_realign_event_is_audited(admin, engine, seeded):
    client, csrf = admin
    bali = event_of(engine, seeded["000"])
    before = claims_by_mentions(engine, bali)
    response = client.post(
        f"/admin/events/{bali}/realign", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    assert claims_by_mentions(engine, bali) == before  # claim ids are stable across re-runs
    assert len(audit_entries(engine, "re-align event")) == 1
    assert client.post("/admin/events/999/realign", data={"csrf_token": csrf}).status_code == 404


def test_merge_claims_and_split_a_mention(admin, engine, seeded):
    client, csrf = admin
    bali = event_of(engine, seeded["000"])
    (big, big_count), *_, (small, _) = claims_by_mentions(engine, bali)
    assert big_count > 1
    merge = client.post(
        f"/admin/claims/{small}/merge",
        data={"csrf_token": csrf, "into_id": big},
        follow_redirects=False,
    )
    assert merge.status_code == 303
    assert merge.headers["location"] == f"/admin/events/{bali}#claim-{big}"
    with Session(engine) as session:
        assert session.get(Claim, small).merged_into_id == big
        mention = session.exec(select(Mention.id).where(Mention.claim_id == big)).first()
    split = client.post(
        f"/admin/claims/{big}/split",
        data={"csrf_token": csrf, "mention_id": mention},
        follow_redirects=False,
    )
    assert split.status_code == 303
    with Session(engine) as session:
        assert session.get(Mention, mention).claim_id != big
    wrong = client.post(
        f"/admin/claims/{big}/split", data={"csrf_token": csrf, "mention_id": mention}
    )
    assert wrong.status_code == 400 and "is not part of claim" in wrong.text
    assert len(audit_entries(engine, "merge claims")) == 1
    assert len(audit_entries(engine, "split claim")) == 1


HUGE = "99999999999999999999"


def test_oversized_ids_and_pages_are_refused_not_a_server_error(admin, engine, seeded):
    client, csrf = admin
    for path in [
        f"/admin/articles/{HUGE}",
        f"/admin/events/{HUGE}",
        f"/admin/jobs/{HUGE}",
        f"/admin/audit?page={HUGE}000",
    ]:
        assert client.get(path).status_code in (404, 422), path
    guardian = seeded["001"]
    bali = event_of(engine, guardian)
    for path, form in [
        (f"/admin/articles/{guardian}/move", {"event_id": HUGE}),
        (f"/admin/articles/{HUGE}/delete", {}),
        (f"/admin/events/{bali}/merge", {"other_id": HUGE}),
        (f"/admin/events/{bali}/split", {"article_ids": [guardian, HUGE]}),
        (f"/admin/claims/{HUGE}/merge", {"into_id": 1}),
        ("/admin/claims/1/split", {"mention_id": HUGE}),
    ]:
        response = client.post(path, data={"csrf_token": csrf, **form})
        assert response.status_code in (404, 422), path
    assert event_of(engine, guardian) == bali


def option_values(html: str, field: str) -> list[int]:
    """The ids the picker of id `field` offers (its select's options)."""
    picker = re.search(rf'<select id="{field}" name="[^"]+">(.*?)</select>', html, re.S)
    return [int(value) for value in re.findall(r'<option value="(\d+)">', picker.group(1))]


@pytest.fixture
def many_events(engine, seeded) -> list[int]:
    """A store of many events besides the seeds' (thousands in a real newsroom)."""
    with Session(engine) as session:
        fillers = [Event(title=f"Filler story {n} about harbour works") for n in range(120)]
        session.add_all(fillers)
        session.commit()
        return [event.id for event in fillers]


@pytest.mark.parametrize("kind", ["article", "event"])
def test_event_pickers_offer_the_likely_events_not_every_event(
    admin, engine, seeded, many_events, kind
):
    client, csrf = admin
    bali = event_of(engine, seeded["000"])
    alone = client.post(
        f"/admin/events/{bali}/split",
        data={"csrf_token": csrf, "article_ids": [seeded["001"]]},
        follow_redirects=False,
    ).headers["location"]
    path, field = {
        "article": (f"/admin/articles/{seeded['001']}", "event_id"),
        "event": (alone, "other_id"),
    }[kind]
    offered = option_values(client.get(path).text, field)
    assert offered[0] == bali and len(offered) <= 10
    assert not set(offered) & set(many_events)

    found = client.get(path, params={"find": "harbour FILLER"}).text
    assert len(option_values(found, field)) == 20 + len(offered)
    assert 'value="harbour FILLER"' in found
    by_number = option_values(client.get(path, params={"find": f"#{many_events[7]}"}).text, field)
    assert by_number[0] == many_events[7]
    nothing = client.get(path, params={"find": "100%_"}).text
    assert "No event matches “100%_”." in nothing and option_values(nothing, field) == offered


@pytest.mark.parametrize("kind", ["article", "event"])
def test_an_htmx_search_renders_the_choices_alone_and_the_same_url_renders_the_page(
    admin, engine, seeded, many_events, kind
):
    client, csrf = admin
    path = {
        "article": f"/admin/articles/{seeded['001']}",
        "event": f"/admin/events/{event_of(engine, seeded['000'])}",
    }[kind]
    url = f"{path}?find=filler+story+12"
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="event-choices"')
    assert "<h1>" not in fragment.text and f'name="csrf_token" value="{csrf}"' in fragment.text
    assert fragment.headers["vary"] == "HX-Request"
    assert fragment.headers["cache-control"] == "no-store"
    cold = client.get(url).text
    assert "<h1>" in cold and 'id="event-choices"' in cold


def test_a_move_to_an_event_found_by_search_is_a_locked_move(admin, engine, seeded, many_events):
    client, csrf = admin
    guardian, target = seeded["001"], many_events[3]
    page = client.get(f"/admin/articles/{guardian}", params={"find": str(target)}).text
    assert option_values(page, "event_id")[0] == target
    response = client.post(
        f"/admin/articles/{guardian}/move",
        data={"csrf_token": csrf, "event_id": target},
        follow_redirects=False,
    )
    assert response.headers["location"] == f"/admin/articles/{guardian}"
    with Session(engine) as session:
        moved = session.get(Article, guardian)
        assert (moved.event_id, moved.event_locked) == (target, True)


def test_a_claim_is_offered_the_most_alike_claims_of_its_event_to_merge_into(admin, engine, seeded):
    client, _ = admin
    bali = event_of(engine, seeded["000"])
    html = client.get(f"/admin/events/{bali}").text
    with Session(engine) as session:
        claims = {
            claim.id: claim.text
            for claim in session.exec(
                select(Claim).where(
                    Claim.event_id == bali,
                    Claim.merged_into_id.is_(None),
                    Claim.removed_at.is_(None),
                )
            ).all()
        }
    assert len(claims) > 9  # each claim listing every other would be 9 options or more
    for claim_id in claims:
        offered = option_values(html, f"into-{claim_id}")
        assert 1 <= len(offered) <= 8 and claim_id not in offered
        assert set(offered) <= set(claims)


def test_an_untitled_event_is_named_in_a_picker_by_its_first_report(admin, engine, seeded):
    client, _ = admin
    bali = event_of(engine, seeded["000"])
    with Session(engine) as session:
        event = session.get(Event, bali)
        event.title = ""  # its articles came without titles
        session.add(event)
        first = session.exec(
            select(Article).where(Article.event_id == bali).order_by(Article.id)
        ).first()
        session.commit()
        named = first.title
    page = client.get(f"/admin/articles/{seeded['004']}", params={"find": str(bali)}).text
    assert re.search(rf'<option value="{bali}">{re.escape(named[:40])}', page.replace("&#39;", "'"))
