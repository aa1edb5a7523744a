"""Article pages made from the seed articles, the feed formats that list them, and XML attacks
(entity expansion, external entities; LINK stands for an article link)."""

import csv
from pathlib import Path

from app.bench.local_site import Reply, article_page

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed_articles() -> list[dict]:
    """The five seeds with their manifest metadata: title, outlet, date, paragraphs."""
    with (SEEDS / "manifest.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        text = (SEEDS / row["file"]).read_text(encoding="utf-8")
        row["paragraphs"] = [line for line in text.splitlines() if line.strip()][1:]
    return rows


def serve_seed(site, seed: dict, path: str, *, canonical: str | None = None, **extra) -> str:
    """Serves `seed` as an article page at `path`; returns its URL."""
    site.replies[path] = Reply(
        article_page(
            seed["title"],
            seed["paragraphs"],
            site_name=seed["outlet"],
            canonical=canonical,
            published=seed["published_at"],
            **extra,
        ),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    return site.url(path)


def atom_feed(title: str, links: list[str]) -> bytes:
    entries = "".join(
        f"<entry><title>Story {n}</title><link href='{link}'/><id>{link}</id>"
        "<updated>2022-07-09T10:00:00Z</updated><author><name>Desk</name></author></entry>"
        for n, link in enumerate(links)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>{title}</title><id>urn:test</id><updated>2022-07-09T10:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


def news_sitemap(links: list[str]) -> bytes:
    urls = "".join(
        f"<url><loc>{link}</loc><news:news><news:publication><news:name>Wire</news:name>"
        "<news:language>en</news:language></news:publication>"
        "<news:publication_date>2022-07-09</news:publication_date>"
        f"<news:title>Story {n}</news:title></news:news></url>"
        for n, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{urls}</urlset>"
    ).encode()


def sitemap_index(links: list[str]) -> bytes:
    maps = "".join(f"<sitemap><loc>{link}</loc></sitemap>" for link in links)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>'
    ).encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]><rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>LINK</link></item></channel></rss>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title><link>LINK</link>
</item></channel></rss>"""
SITEMAP_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>LINK?&b;</loc></url></urlset>"""
BROKEN_BOMB = BILLION_LAUGHS.replace(b"]>", b"]", 1)  # malformed, yet declaring entities
