"""app/web/caching.py: ETags and 304s on reader pages and the API, cached responses never served
after a write, admins and signed-in readers never cached."""

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text, update
from sqlmodel import Session, select
from stores import postgres_only

from app.ingest.run import ingest_paths
from app.models import Article, Claim, Event, Mention, Outlet, utcnow
from app.web import create_app
from app.web.caching import (
    READER_CACHE_CONTROL,
    REFRESHES_AT_ONCE,
    HttpCacheMiddleware,
    ResponseCache,
    StoredResponse,
    VersionReader,
    code_fingerprint,
)

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def statements(engine):
    """The SQL statements the app's engine runs, as a list that grows."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_rest) -> None:
        seen.append(statement)

    event.listen(engine.__class__, "before_cursor_execute", record)
    yield seen
    event.remove(engine.__class__, "before_cursor_execute", record)


def reader_paths(bali) -> list[str]:
    return [
        "/",
        f"/events/{bali.event}",
        f"/claims/{bali.claims['alignment']}",
        f"/articles/{bali.articles['001']}",
        "/search?q=Blinken",
        "/api/events",
        f"/api/events/{bali.event}",
        f"/api/claims/{bali.claims['alignment']}",
    ]


def test_reader_pages_and_api_carry_an_etag_and_answer_304(client, bali):
    for path in reader_paths(bali):
        first = client.get(path)
        assert first.status_code == 200, path
        assert first.headers["Cache-Control"] == READER_CACHE_CONTROL
        assert first.headers["Vary"] == "HX-Request"
        etag = first.headers["ETag"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"", path
        assert again.headers["ETag"] == etag and again.headers["Vary"] == "HX-Request"
        assert again.headers["Cache-Control"] == READER_CACHE_CONTROL
        weak_in_a_list = client.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
        assert weak_in_a_list.status_code == 304
        assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_an_htmx_block_has_its_own_etag(client, bali):
    path = f"/claims/{bali.claims['alignment']}"
    page, block = client.get(path), client.get(path, headers=HTMX)
    assert page.headers["ETag"] != block.headers["ETag"]
    assert "<!doctype html>" in page.text.lower() and "<!doctype html>" not in block.text.lower()
    cached_block = client.get(path, headers=HTMX)
    assert cached_block.text == block.text
    assert client.get(path).text == page.text


def test_repeat_reads_are_answered_from_memory(client, bali, statements):
    path = f"/events/{bali.event}"
    first = client.get(path)
    statements.clear()
    second = client.get(path)
    assert second.text == first.text and second.headers["ETag"] == first.headers["ETag"]
    assert len(statements) == 1 and "event_version" in statements[0]


def test_a_write_changes_the_etag_and_is_never_hidden_by_the_cache(client, engine, bali):
    path = f"/events/{bali.event}"
    before = client.get(path)
    assert "Blinken meets Wang Yi in Bali" in before.text
    with Session(engine) as session:
        session.get(Event, bali.event).title = "Blinken and Wang Yi talk in Bali"
        session.commit()
    after = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "Blinken and Wang Yi talk in Bali" in after.text


def test_an_ingest_changes_every_etag(client, engine):
    before = client.get("/api/events")
    assert before.json()["events"] == []
    ingest_paths(engine, [SEEDS_DIR / "000_7dde30d644e8acaf.txt"])
    after = client.get("/api/events")
    assert after.headers["ETag"] != before.headers["ETag"]
    assert len(after.json()["events"]) == 1


def bali_event_paths(bali) -> list[str]:
    """Responses that show only the Bali event (Beijing is its sibling in a storyline)."""
    claim = bali.claims["alignment"]
    return [
        f"/events/{bali.event}",
        f"/claims/{claim}",
        f"/articles/{bali.articles['001']}",
        f"/api/events/{bali.event}",
        f"/api/events/{bali.event}/export.csv",
        f"/api/claims/{claim}",
    ]


LISTING_PATHS = ["/", "/api/events", "/search?q=Blinken", "/api/search?q=Blinken"]


def etags(client, paths: list[str], headers=None) -> dict[str, str]:
    responses = {path: client.get(path, headers=headers) for path in paths}
    assert all(response.status_code == 200 for response in responses.values())
    return {path: response.headers["ETag"] for path, response in responses.items()}


def beijing_article(session: Session, bali) -> Article:
    return session.exec(select(Article).where(Article.event_id == bali.beijing)).first()


def test_a_write_to_one_event_leaves_other_events_pages_cached(client, engine, bali, statements):
    before = etags(client, bali_event_paths(bali) + LISTING_PATHS)
    with Session(engine) as session:
        article = beijing_article(session, bali)
        article.title = "Blinken lands in Beijing"
        session.commit()
        beijing_paths = [f"/articles/{article.id}", f"/events/{bali.beijing}"]
    statements.clear()
    after = etags(client, bali_event_paths(bali))
    assert after == {path: before[path] for path in bali_event_paths(bali)}
    assert len(statements) == len(after)  # one version read each: no rendering
    for path in LISTING_PATHS + beijing_paths:
        assert client.get(path, headers={"If-None-Match": before.get(path, "")}).status_code == 200
    assert "Blinken lands in Beijing" in client.get(f"/events/{bali.beijing}").text


def test_a_write_to_an_event_shows_on_its_claim_panel_at_once(client, engine, bali):
    path = f"/claims/{bali.claims['alignment']}"
    before = client.get(path, headers=HTMX)
    with Session(engine) as session:
        mention = session.get(Mention, bali.mentions[("alignment", "001")])
        mention.text = "“We are deeply concerned about the PRC’s alignment with Russia,” he said."
        session.commit()
    after = client.get(path, headers={**HTMX, "If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "deeply concerned" in after.text
    assert "deeply concerned" not in before.text


def test_a_sibling_events_new_title_shows_on_the_event_page(client, engine, bali):
    path = f"/events/{bali.event}"
    before = client.get(path)
    with Session(engine) as session:
        session.get(Event, bali.beijing).title = "Blinken meets Xi in Beijing"
        session.commit()
    after = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "Blinken meets Xi in Beijing" in after.text


def test_a_sibling_described_again_alike_leaves_the_event_page_cached(client, engine, bali):
    """Ingest describes an article's event anew each time: when its title, dates and place come
    out the same, the pages of its storyline's other events stay valid."""
    path = f"/events/{bali.event}"
    before = client.get(path)
    with Session(engine) as session:
        sibling = session.get(Event, bali.beijing)
        sibling.title = str(sibling.title)
        sibling.updated_at = utcnow()
        session.commit()
    assert client.get(path, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304
    assert client.get(f"/events/{bali.beijing}").status_code == 200


def test_a_bulk_write_changes_the_pages_of_the_events_its_rows_belong_to(client, engine, bali):
    before = etags(client, bali_event_paths(bali))
    with Session(engine) as session:
        session.execute(update(Claim).where(Claim.event_id == bali.beijing).values(kind="figure"))
        session.commit()
    assert etags(client, bali_event_paths(bali)) == before
    mention = bali.mentions[("alignment", "001")]
    with Session(engine) as session:
        session.execute(update(Mention).where(Mention.id == mention).values(speaker="Tony Blinken"))
        session.commit()
    respelt = etags(client, bali_event_paths(bali))
    assert all(respelt[path] != before[path] for path in before)


def test_claims_moved_to_a_given_event_change_only_the_pages_of_both_events(client, engine, bali):
    """An event merge moves the absorbed event's claims by a bulk UPDATE: the pages of the event
    they leave and of the one they join change, other events' pages stay cached."""
    with Session(engine) as session:
        kept = Event(title="Blinken in Asia")
        session.add(kept)
        session.commit()
        kept_id = kept.id
    moving_paths = [f"/events/{bali.beijing}", f"/events/{kept_id}", f"/api/events/{kept_id}"]
    before = etags(client, bali_event_paths(bali) + moving_paths)
    with Session(engine) as session:
        moving = update(Claim).where(Claim.event_id == bali.beijing).values(event_id=kept_id)
        session.execute(moving)
        session.commit()
    after = etags(client, bali_event_paths(bali) + moving_paths)
    assert all(after[path] == before[path] for path in bali_event_paths(bali))
    assert all(after[path] != before[path] for path in moving_paths)


def test_writes_that_name_no_event_change_every_events_pages(client, engine, bali):
    before = etags(client, bali_event_paths(bali))
    with Session(engine) as session:
        session.execute(
            text("UPDATE claim SET kind = 'figure' WHERE event_id = :beijing"),
            {"beijing": bali.beijing},
        )
        session.commit()
    raw = etags(client, bali_event_paths(bali))
    assert all(raw[path] != before[path] for path in before)
    with Session(engine) as session:
        session.execute(update(Claim).where(Claim.event_id == bali.beijing).values(event_id=None))
        session.commit()
    moved = etags(client, bali_event_paths(bali))
    assert all(moved[path] != raw[path] for path in before)
    with Session(engine) as session:
        outlet = session.exec(select(Outlet).where(Outlet.name == "Reuters")).one()
        outlet.name = "Reuters News"
        session.commit()
    renamed = etags(client, bali_event_paths(bali))
    assert all(renamed[path] != moved[path] for path in before)
    assert "Reuters News" in client.get(f"/events/{bali.event}").text


def test_the_version_reader_replaces_a_connection_that_failed(engine, bali):
    reader = VersionReader(engine)
    first = reader.read(f"/events/{bali.event}")
    reader.connection.connection.dbapi_connection.close()  # as a restarted server would
    assert reader.read(f"/events/{bali.event}") == first
    with Session(engine) as session:
        session.get(Event, bali.event).title = "Blinken and Wang Yi talk in Bali"
        session.commit()
    assert reader.read(f"/events/{bali.event}") > first
    reader.close()


def test_version_reads_run_off_the_event_loop_and_requests_join_a_read_not_started(
    engine, bali, statements
):
    """While the reader's thread is busy, the loop goes on; the requests that came meanwhile
    for one version wait for one query, which starts after they came (it sees a write
    committed before), and a request for another version queues its own."""
    reader = VersionReader(engine)
    busy = threading.Event()
    reader.thread.submit(busy.wait)  # the reader's thread busy with an earlier read

    async def read_while_busy():
        reads = [asyncio.ensure_future(reader.read_off_loop(path)) for path in ("/", "/search")]
        reads.append(asyncio.ensure_future(reader.read_off_loop(f"/events/{bali.event}")))
        await asyncio.sleep(0.05)
        waiting = not any(read.done() for read in reads)  # the loop ran on meanwhile
        write_something(engine)
        statements.clear()
        busy.set()
        return waiting, await asyncio.gather(*reads)

    waiting, (timeline, search, event_page) = run_alone(read_while_busy())
    assert waiting
    assert len(statements) == 2  # one per version, not one per request
    assert timeline == search == reader.read("/")
    assert event_page == reader.read(f"/events/{bali.event}")
    reader.close()


@postgres_only
def test_the_version_reader_leaves_no_transaction_open_between_requests(engine, bali):
    reader = VersionReader(engine)
    reader.read(f"/events/{bali.event}")
    backend = reader.connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with engine.connect() as other:
        state = other.execute(
            text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": backend}
        ).scalar()
    reader.close()
    assert state == "idle"  # "idle in transaction" would hold back vacuum of every updated row


def test_admin_pages_are_never_stored(admin):
    client, _csrf = admin
    for path in ("/admin", "/admin/login"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        assert "ETag" not in response.headers


def test_signed_in_readers_get_private_uncached_pages(admin, bali):
    client, _csrf = admin
    response = client.get(f"/events/{bali.event}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def test_missing_pages_get_no_etag(client, bali):
    response = client.get("/events/999999")
    assert response.status_code == 404 and "ETag" not in response.headers


def stored(body: bytes) -> StoredResponse:
    return StoredResponse(200, [], body)


def test_response_cache_drops_the_least_recently_used_beyond_its_size():
    cache = ResponseCache(max_bytes=10)
    assert cache.get(1, "a") is None
    cache.put(1, "a", stored(b"12345"))
    cache.put(1, "b", stored(b"12345"))
    assert cache.get(1, "a").body == b"12345"  # now the most recently used
    cache.put(1, "c", stored(b"12345"))
    assert cache.get(1, "b") is None and cache.get(1, "a") is not None
    assert cache.used_bytes == 10


def test_response_cache_forgets_older_versions_and_refuses_late_renders():
    cache = ResponseCache()
    cache.get(1, "a")
    cache.put(1, "a", stored(b"old"))
    assert cache.get(2, "a") is None
    cache.put(1, "a", stored(b"rendered while version 2 landed"))
    assert cache.get(2, "a") is None and cache.used_bytes == 0


def test_response_cache_never_goes_back_to_an_older_version():
    cache = ResponseCache()
    cache.get(2, "a")
    cache.put(2, "a", stored(b"two"))
    assert cache.get(1, "a").body == b"two"  # newer than the version that request read
    cache.put(1, "a", stored(b"one"))
    assert cache.get(2, "a").body == b"two"


def test_response_cache_serves_an_older_version_only_within_its_staleness_bound():
    now = [100.0]
    cache = ResponseCache(max_stale=2.0, clock=lambda: now[0])
    cache.put(1, "a", stored(b"one"))
    now[0] += 1.5
    assert cache.get(5, "a").body == b"one"
    now[0] += 1.0
    assert cache.get(5, "a") is None and cache.used_bytes == 0
    cache.put(5, "a", stored(b"five"))
    now[0] += 60
    assert cache.get(5, "a").body == b"five"  # current: no bound


def test_response_cache_bounds_staleness_from_when_a_response_was_last_found_current():
    now = [100.0]
    cache = ResponseCache(max_stale=2.0, clock=lambda: now[0])
    cache.put(1, "a", stored(b"one"))
    now[0] += 600
    assert cache.get(1, "a").body == b"one"  # still current: the next write is yet to come
    now[0] += 1.5
    assert cache.get(5, "a").body == b"one"  # outdated by a write at most 1.5 s old
    now[0] += 1.0
    assert cache.get(5, "a") is None and cache.used_bytes == 0


def test_response_cache_serves_a_response_found_current_within_half_its_bound_unchecked():
    now = [100.0]
    cache = ResponseCache(max_stale=2.0, clock=lambda: now[0])
    cache.put(1, "a", stored(b"one"))
    now[0] += 0.9
    assert cache.recent("a").body == b"one"
    now[0] += 0.1
    assert cache.recent("a") is None
    cache.get(1, "a")  # the version read finds it current
    assert cache.recent("a").body == b"one"
    unbounded = ResponseCache()
    unbounded.put(1, "a", stored(b"one"))
    assert unbounded.recent("a") is None  # no staleness allowed: every read checks the version


def test_a_micro_cached_site_shows_a_write_once_the_bound_has_passed(settings, engine, bali):
    settings.cache_max_stale = 0.5
    path = f"/events/{bali.event}"
    with TestClient(create_app(settings)) as client:
        before = client.get(path)
        with Session(engine) as session:
            session.get(Event, bali.event).title = "Blinken and Wang Yi talk in Bali"
            session.commit()
        soon = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
        assert soon.status_code == 304 and soon.headers["ETag"] == before.headers["ETag"]
        time.sleep(0.6)
        later = client.get(path)
        assert later.headers["ETag"] != before.headers["ETag"]
        assert "Blinken and Wang Yi talk in Bali" in later.text


def test_response_cache_finds_an_outdated_response_due_a_refresh_past_half_its_bound():
    now = [100.0]
    cache = ResponseCache(max_stale=2.0, clock=lambda: now[0])
    cache.put(1, "a", stored(b"one"))
    now[0] += 0.5
    assert not cache.is_due(5, cache.get(5, "a"))
    now[0] += 0.5
    assert cache.is_due(5, cache.get(5, "a"))
    assert not cache.is_due(1, cache.get(1, "a"))  # current: never due


def counting_page(renderings: list[str]):
    async def page(scope, receive, send):
        renderings.append(scope["path"])
        await asyncio.sleep(0.05)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": f"render {len(renderings)}".encode()})

    return page


def run_alone(coroutine):
    """On a thread of its own: an event loop independent of whatever the other tests left."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def micro_cached(engine, renderings: list[str]) -> tuple[HttpCacheMiddleware, list[float]]:
    """A counting page behind a 2 s staleness bound, on a clock the test moves."""
    app = HttpCacheMiddleware(
        counting_page(renderings), engine=engine, fingerprint="t", max_stale=2
    )
    now = [100.0]
    app.cache.clock = lambda: now[0]
    return app, now


def asgi_client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def write_something(engine) -> None:
    with Session(engine) as session:
        session.add(Outlet(name=f"Outlet {time.monotonic()}"))
        session.commit()


def test_an_outdated_page_is_served_at_once_and_rendered_again_once_in_the_background(engine):
    renderings: list[str] = []
    app, now = micro_cached(engine, renderings)

    async def read_write_read():
        async with asgi_client(app) as client:
            first = await client.get("/")
            write_something(engine)
            early = await client.get("/")  # outdated, but kept less than half the bound
            now[0] += 1.5
            stale = await asyncio.gather(*(client.get("/") for _ in range(5)))
            refreshing = list(app.refreshing.values())
            await asyncio.gather(*refreshing)
            return first, early, stale, len(refreshing), await client.get("/")

    first, early, stale, refreshes, fresh = run_alone(read_write_read())
    assert early.text == first.text == "render 1"
    assert {response.text for response in stale} == {"render 1"}
    assert {response.headers["ETag"] for response in stale} == {first.headers["ETag"]}
    assert refreshes == 1 and renderings == ["/", "/"]
    assert fresh.text == "render 2" and fresh.headers["ETag"] != first.headers["ETag"]


def test_a_page_found_current_moments_ago_is_served_without_reading_the_version(engine, statements):
    renderings: list[str] = []
    app, now = micro_cached(engine, renderings)

    async def read_three_times():
        async with asgi_client(app) as client:
            first = await client.get("/")
            statements.clear()
            again = await client.get("/", headers={"If-None-Match": first.headers["ETag"]})
            now[0] += 1.0
            later = await client.get("/")
            return first, again, later, list(statements)

    first, again, later, seen = run_alone(read_three_times())
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
    assert later.text == first.text and renderings == ["/"]
    assert len(seen) == 1 and "data_version" in seen[0]  # only the read half the bound later


def test_an_outdated_page_is_rendered_again_at_three_quarters_of_the_bound_unasked(engine):
    renderings: list[str] = []
    app, now = micro_cached(engine, renderings)

    async def read_write_read_wait():
        async with asgi_client(app) as client:
            first = await client.get("/")
            write_something(engine)
            now[0] += 1.2  # past half the bound: due, planned for 1.5 s after the first read
            stale = await client.get("/")
            started_at_once = len(app.refreshing)
            await asyncio.sleep(0.3 + 0.1)
            await asyncio.gather(*app.refreshing.values())
            return first, stale, started_at_once, await client.get("/")

    first, stale, started_at_once, fresh = run_alone(read_write_read_wait())
    assert stale.text == first.text and started_at_once == 0
    assert renderings == ["/", "/"] and fresh.text == "render 2"
    assert fresh.headers["ETag"] != first.headers["ETag"]


SEARCHES = [f"/search?q={word}" for word in ("a", "b", "c", "d")]


async def fill_write_read(engine, client, now: list[float], seconds: float) -> None:
    """Each of SEARCHES read, something written, and each read again `seconds` later."""
    for path in SEARCHES:
        await client.get(path)
    write_something(engine)
    now[0] += seconds
    await asyncio.gather(*(client.get(path) for path in SEARCHES))


def test_planned_refreshes_that_fall_due_together_all_run_a_few_at_once(engine):
    renderings: list[str] = []
    app, now = micro_cached(engine, renderings)

    async def fill_write_read_wait():
        async with asgi_client(app) as client:
            await fill_write_read(engine, client, now, 1.2)
            most_at_once = 0
            for _ in range(40):  # the planned ones start 0.3 s later, two at a time
                most_at_once = max(most_at_once, len(app.refreshing))
                await asyncio.sleep(0.025)
            await asyncio.gather(*app.refreshing.values())
            return most_at_once

    assert run_alone(fill_write_read_wait()) == REFRESHES_AT_ONCE
    assert len(renderings) == 2 * len(SEARCHES)  # each page once more, none left to expire


def test_background_refreshes_run_a_few_at_once(engine):
    renderings: list[str] = []
    app, now = micro_cached(engine, renderings)

    async def fill_write_read_now():
        async with asgi_client(app) as client:
            await fill_write_read(engine, client, now, 1.5)
            running = len(app.refreshing)
            await asyncio.gather(*app.refreshing.values())
            return running

    assert run_alone(fill_write_read_now()) == REFRESHES_AT_ONCE < len(SEARCHES)
    assert len(renderings) == len(SEARCHES) + REFRESHES_AT_ONCE


def test_a_page_past_the_staleness_bound_is_rendered_before_it_is_served(engine):
    renderings: list[str] = []
    app, now = micro_cached(engine, renderings)

    async def read_write_wait_read():
        async with asgi_client(app) as client:
            await client.get("/")
            write_something(engine)
            now[0] += 2.5
            return await client.get("/")

    assert run_alone(read_write_wait_read()).text == "render 2"
    assert renderings == ["/", "/"]


def test_concurrent_requests_for_one_page_wait_for_a_single_rendering(engine):
    renderings: list[str] = []

    async def five_at_once_then_another():
        app = HttpCacheMiddleware(counting_page(renderings), engine=engine, fingerprint="test")
        async with asgi_client(app) as client:
            together = await asyncio.gather(*(client.get("/events/1") for _ in range(5)))
            return together, await client.get("/events/2")

    responses, other = run_alone(five_at_once_then_another())
    assert renderings == ["/events/1", "/events/2"]
    assert {response.text for response in responses} == {"render 1"}
    assert len({response.headers["ETag"] for response in responses}) == 1
    assert other.text == "render 2"


def test_code_fingerprint_follows_the_templates(tmp_path):
    for folder in ("app", "templates", "static"):
        (tmp_path / folder).mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>one</p>")
    first = code_fingerprint(tmp_path)
    assert code_fingerprint(tmp_path) == first
    (tmp_path / "templates" / "page.html").write_text("<p>two</p>")
    assert code_fingerprint(tmp_path) != first
