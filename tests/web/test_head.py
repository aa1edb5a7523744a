"""app/web/head.py: HEAD answers with a GET's status and headers and no body."""


def test_head_gets_the_headers_of_a_get_and_no_body(client, bali):
    for path in ("/", f"/events/{bali.event}", "/api/events", "/static/htmx-2.0.11.min.js"):
        got = client.get(path)
        head = client.head(path)
        assert head.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-length"] == got.headers["content-length"]
        for name in ("etag", "content-type", "cache-control"):
            assert head.headers.get(name) == got.headers.get(name), (path, name)


def test_head_of_a_missing_page_is_404_and_post_only_routes_refuse_it(client):
    assert client.head("/events/999999").status_code == 404
    assert client.head("/admin/logout").status_code == 405
