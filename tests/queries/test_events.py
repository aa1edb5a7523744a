"""app/queries/events.py: articles, the claims × outlets grid, its filters and the export rows."""

import json

import pytest

from app.models import Article, Claim, Mention
from app.queries.common import Moved, NotFound
from app.queries.events import event_detail, export_rows
from queries.bali import GUARDIAN, REUTERS

OUTLETS = ["NPR", "Reuters", "The Guardian", "The Wall Street Journal"]


def cells(event, claim_id):
    claim = next(c for c in event["claims"] if c["id"] == claim_id)
    return {cell["outlet"]: cell["state"] for cell in claim["cells"]}


def test_articles_link_page_and_original(session, bali):
    event = event_detail(session, bali.event)
    assert event["outlets"] == OUTLETS
    guardian = next(a for a in event["articles"] if a["outlet"] == "The Guardian")
    assert guardian["url"] == f"/articles/{bali.articles['001']}"
    assert guardian["source_url"].startswith("https://example.org/001_")
    assert guardian["title"].startswith("Beijing’s ‘alignment with Russia’")


def test_an_undated_article_comes_first_on_every_store(session, bali):
    guardian = session.get(Article, bali.articles["001"])
    guardian.published_at = None  # SQLite sorts NULL first, PostgreSQL last unless told
    session.add(guardian)
    session.commit()
    articles = event_detail(session, bali.event)["articles"]
    assert articles[0]["id"] == guardian.id
    dated = [article["published_at"] for article in articles[1:]]
    assert None not in dated and dated == sorted(dated)


def test_cells_are_verbatim_paraphrased_or_not_reported(session, bali):
    event = event_detail(session, bali.event)
    assert cells(event, bali.claims["alignment"]) == {
        "The Guardian": "verbatim",
        "NPR": "verbatim",
        "Reuters": "paraphrased",
        "The Wall Street Journal": "not_reported",
    }
    claim = next(c for c in event["claims"] if c["id"] == bali.claims["alignment"])
    assert [cell["symbol"] for cell in claim["cells"]] == ["●", "◐", "●", "○"]


def test_default_sort_puts_most_reported_first_and_hides_merged_and_removed(session, bali):
    event = event_detail(session, bali.event)
    ids = [claim["id"] for claim in event["claims"]]
    assert ids[0] == bali.claims["neutral"]
    assert ids[-1] == bali.claims["four_months"]
    assert bali.merged_claim not in ids and bali.removed_claim not in ids
    assert [claim["outlet_count"] for claim in event["claims"]] == [4, 3, 3, 1]


def test_order_sort_follows_first_appearance(session, bali):
    ids = [c["id"] for c in event_detail(session, bali.event, sort="order")["claims"]]
    # The WSJ article (stored first) carries "four months" and "neutral".
    assert ids[:2] == [bali.claims["four_months"], bali.claims["neutral"]]


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("quotes", {"alignment", "neutral", "four_months"}),
        ("figures", {"five_hours"}),
        ("disputed", {"alignment", "neutral", "five_hours"}),
        ("single", {"four_months"}),
    ],
)
def test_filters(session, bali, show, expected):
    ids = {c["id"] for c in event_detail(session, bali.event, show=show)["claims"]}
    assert ids == {bali.claims[key] for key in expected}


def test_merged_event_moves_and_unknown_is_not_found(session, bali):
    with pytest.raises(Moved) as moved:
        event_detail(session, bali.merged_event)
    assert moved.value.new_id == bali.event
    with pytest.raises(NotFound):
        event_detail(session, 9999)


def test_export_has_one_row_per_claim_and_outlet(session, bali):
    rows = export_rows(event_detail(session, bali.event))
    assert len(rows) == 4 * 4
    wsj = next(
        r
        for r in rows
        if r["claim_id"] == bali.claims["neutral"] and r["outlet"].endswith("Journal")
    )
    assert wsj["state"] == "paraphrased"
    assert wsj["phrasing"].startswith("“I don’t think that China is in fact engaging")
    assert wsj["similarity"] == 64.0
    assert "quote wording differs" in wsj["flags"]
    missing = next(
        r
        for r in rows
        if r["claim_id"] == bali.claims["alignment"] and r["outlet"].endswith("Journal")
    )
    assert (missing["state"], missing["phrasing"], missing["article_id"]) == (
        "not_reported",
        "",
        None,
    )


def test_coverage_flags_alone_do_not_make_a_claim_disputed(session, bali):
    claim = session.get(Claim, bali.claims["four_months"])
    claim.flags = json.dumps(
        [
            {"kind": "not_reported_by", "detail": "NPR, Reuters, The Guardian"},
            {"kind": "wire_copy", "detail": "same wire copy"},
        ]
    )
    session.add(claim)
    session.commit()
    disputed = {c["id"] for c in event_detail(session, bali.event, show="disputed")["claims"]}
    assert claim.id not in disputed
    assert bali.claims["five_hours"] in disputed


def test_wire_copy_is_marked_apart_from_wording(session, bali):
    """A reprint of other wire copy is not 'verbatim' unless it is worded like the reference."""
    reprint = session.get(Mention, bali.mentions[("neutral", REUTERS)])
    reprint.wire_copy_of_id = bali.articles[GUARDIAN]
    session.add(reprint)
    session.commit()
    claim = next(
        c for c in event_detail(session, bali.event)["claims"] if c["id"] == bali.claims["neutral"]
    )
    reuters = next(cell for cell in claim["cells"] if cell["outlet"] == "Reuters")
    assert (reuters["state"], reuters["wire_copy"]) == ("paraphrased", True)
