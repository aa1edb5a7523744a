"""Parsing every accepted format, the seeds' manifest, and every kind of bad input."""

import json
from pathlib import Path

import pytest

from app.ingest.parse import (
    GivenMeta,
    RawArticle,
    Rejected,
    Skipped,
    parse_bytes,
    parse_path,
    parse_text,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "tests" / "data" / "ingest"
DATES = ROOT / "tests" / "data" / "dates"  # pages whose publication day is the point
STORY = (
    "KYIV, Ukraine — Ukraine's president said on Sunday that air defences had shot down most of "
    "the drones launched overnight, while officials in the capital reported damage to homes."
)


def test_seed_folder_uses_its_manifest_and_does_not_ingest_it():
    items = parse_path(SEEDS)
    assert [type(item) for item in items] == [RawArticle] * 5
    wsj = items[0]
    assert wsj.source.endswith("000_7dde30d644e8acaf.txt")
    assert wsj.given == GivenMeta(
        outlet="The Wall Street Journal",
        title="Blinken Reproves China Counterpart Over Support for Russia",
        published_at="2022-07-09",
        dateline="NUSA DUA, Indonesia",
    )
    assert wsj.text == (SEEDS / "000_7dde30d644e8acaf.txt").read_text(encoding="utf-8")
    assert items[1].given.dateline is None


def test_single_file_also_gets_its_folders_manifest():
    [item] = parse_path(SEEDS / "004_7071959f35e2adea.txt")
    assert item.given.outlet == "The Washington Post"
    assert item.given.published_at == "2024-04-26"


def test_markdown_with_front_matter():
    [item] = parse_path(FIXTURES / "ap_wire.md")
    assert item.given == GivenMeta(
        outlet="The Associated Press",
        url="https://apnews.com/article/japan-earthquake-noto-2024",
        title="Japan quake death toll rises as rescuers race to reach cut-off towns",
        published_at="2024-01-03",
    )
    assert item.text.startswith("Japan quake death toll rises")  # heading mark stripped
    assert "more than 1,000 troops" in item.text  # bold marks stripped
    assert "at our Asia page." in item.text  # link keeps its text
    assert "---" not in item.text


def test_front_matter_in_pasted_text_and_given_values_win():
    text = "---\noutlet: NPR\npublished_at: 2022-07-09\n---\n" + STORY
    [item] = parse_text(text, given=GivenMeta(outlet="BBC"))
    assert item.source == "paste"
    assert item.text == STORY
    assert item.given.outlet == "BBC"
    assert item.given.published_at == "2022-07-09"


def test_text_that_only_looks_like_front_matter_is_kept():
    text = "---\njust a rule, not metadata\n---\n" + STORY
    [item] = parse_text(text)
    assert item.text == text


def test_html_page_extracts_text_and_metadata():
    [item] = parse_path(FIXTURES / "reuters_page.html")
    assert isinstance(item, RawArticle)
    assert item.html.startswith("<!DOCTYPE html>")
    assert "BRUSSELS, Jan 27 (Reuters) - European Union governments agreed on Friday" in item.text
    assert "Skip to main content" not in item.text
    assert "Markets" not in item.text
    assert item.given.outlet == "Reuters"
    assert item.given.title == "EU agrees to extend Russia sanctions for six months"
    assert item.given.published_at == "2023-01-27"
    assert item.given.url.startswith("https://www.reuters.com/world/europe/")


def test_html_without_an_article_is_rejected():
    [item] = parse_path(FIXTURES / "empty_page.html")
    assert item == Rejected(str(FIXTURES / "empty_page.html"), "HTML page with no article text")


def test_json_lines_keep_good_lines_and_reject_bad_ones_with_reasons():
    items = parse_path(FIXTURES / "articles.jsonl")
    source = str(FIXTURES / "articles.jsonl")
    assert [type(item) for item in items] == [RawArticle, Rejected, Rejected, Rejected, RawArticle]
    assert items[0].source == f"{source}#1"
    assert items[0].given.outlet == "BBC"
    assert items[0].text.startswith("Thousands of farmers drove tractors")
    assert items[1] == Rejected(f"{source}#2", "missing field 'text' or 'html'")
    assert items[2] == Rejected(f"{source}#3", "field 'published_at' must be a string, got int")
    assert items[3].source == f"{source}#4" and items[3].reason.startswith("invalid JSON")
    assert items[4].given.outlet == "Al Jazeera"  # from the page's site name
    assert items[4].given.title == "Dutch farmers block roads in nitrogen protest"  # JSON key wins
    assert "burning hay bales" in items[4].text


def test_json_list_and_single_object():
    items = parse_path(FIXTURES / "list.json")
    assert isinstance(items[0], RawArticle) and items[0].given.outlet == "France 24"
    assert items[1].reason == "field 'outlet' must be a string, got list"
    [single] = parse_bytes("one.json", json.dumps({"text": STORY, "outlet": "DW"}).encode())
    assert single.given.outlet == "DW" and single.text == STORY
    [bad] = parse_bytes("bad.json", b'{"text": "unterminated')
    assert isinstance(bad, Rejected) and bad.reason.startswith("invalid JSON")
    [scalar] = parse_bytes("n.json", b"42")
    assert scalar.reason == "JSON must be an article object or a list of them"


def test_wrong_encodings_are_decoded():
    [latin] = parse_path(FIXTURES / "latin_cafe.txt")
    assert "Le café “Chez Hélène” a rouvert" in latin.text
    [utf16] = parse_bytes("a.txt", STORY.encode("utf-16"))
    assert utf16.text == STORY
    [bom] = parse_bytes("b.txt", b"\xef\xbb\xbf" + STORY.encode())
    assert bom.text == STORY


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n\t\n", "empty file"),
        (
            "photo.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
            "binary file, not text",
        ),
        ("control.html", bytes(range(1, 32)) * 100, "binary file, not text"),
        ("front-only.txt", b"---\noutlet: NPR\n---\n", "empty: no article text"),
    ],
)
def test_bad_bytes_are_rejected_with_one_line_reason(name, data, reason):
    [item] = parse_bytes(name, data)
    assert item == Rejected(name, reason)


def test_unsupported_extensions_are_skipped_not_rejected(tmp_path):
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / ".hidden.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text(STORY, encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "deep.md").write_text(STORY, encoding="utf-8")
    items = parse_path(tmp_path)
    assert [(type(item), Path(item.source).name) for item in items] == [
        (RawArticle, "deep.md"),
        (Skipped, "photo.jpg"),
        (RawArticle, "story.txt"),
    ]
    assert items[1].reason == "unsupported file type .jpg"


def test_huge_file_is_rejected_without_reading_it(tmp_path, monkeypatch):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a too-large file"))
    [item] = parse_path(huge)
    assert item == Rejected(str(huge), "too large: 52.4 MB over the 5.0 MB limit")


def test_size_limit_applies_to_uploads_and_json_lines(tmp_path):
    [upload] = parse_bytes("big.txt", b"x" * 2000, max_bytes=1000)
    assert upload.reason == "too large: 0.0 MB over the 0.0 MB limit"
    lines = tmp_path / "mixed.jsonl"
    lines.write_text(
        json.dumps({"text": "y" * 2000}) + "\n" + json.dumps({"text": STORY[:500]}) + "\n",
        encoding="utf-8",
    )
    big, small = parse_path(lines, max_bytes=1000)
    assert isinstance(big, Rejected) and big.reason.startswith("too large")
    assert isinstance(small, RawArticle)


def test_missing_path_is_rejected(tmp_path):
    [item] = parse_path(tmp_path / "nope")
    assert item == Rejected(str(tmp_path / "nope"), "no such file or folder")


def test_given_meta_override_keeps_unset_fields():
    base = GivenMeta(outlet="NPR", title="T", published_at="2022-07-09")
    merged = base.overridden_by(GivenMeta(outlet="Reuters", url="https://example.org/x"))
    assert merged == GivenMeta(
        outlet="Reuters", title="T", url="https://example.org/x", published_at="2022-07-09"
    )


def alias_bomb(levels: int) -> str:
    """Front matter of a few hundred bytes whose nested aliases expand to 9**levels strings."""
    lines = ["a: &a [" + ", ".join(["lol"] * 9) + "]"]
    names = "abcdefghijklmnop"
    for previous, name in zip(names, names[1 : levels + 1], strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "---\n" + "\n".join(lines) + f"\ntitle: *{names[levels]}\n---\n{STORY}\n"


def test_front_matter_aliases_are_refused_not_expanded():
    text = alias_bomb(6)  # 9**7 strings: ~35 MB as a title on the old parser
    assert len(text.encode()) < 600
    for item in (
        parse_text(text)[0],
        parse_bytes("bomb.md", text.encode())[0],
    ):
        assert item.given.title is None  # the block is not metadata; the text is kept as it is
        assert len(item.text) < 1000


def test_front_matter_values_must_be_short_scalars():
    listed = parse_text(f"---\ntitle: [a, b]\n---\n{STORY}")[0]
    assert isinstance(listed, Rejected)
    assert listed.reason == "front matter: field 'title' must be a string, got list"
    long_title = parse_text(f"---\ntitle: {'x' * 1001}\n---\n{STORY}")[0]
    assert long_title.reason == "front matter: field 'title' too long: over 1000 characters"
    dated = parse_text(f"---\ndate: 2024-03-01\ntitle: 1984\n---\n{STORY}")[0]
    assert (dated.given.published_at, dated.given.title) == ("2024-03-01", "1984")


def test_json_fields_are_length_limited():
    item = parse_bytes("a.json", json.dumps({"text": STORY, "outlet": "x" * 201}).encode())[0]
    assert item == Rejected("a.json", "field 'outlet' too long: over 200 characters")


DEEP_JSON = b"[" * 200_000 + b"]" * 200_000


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_deeply_nested_json_is_one_rejected_item(name):
    assert parse_bytes(name, DEEP_JSON) == [
        Rejected(
            name if name.endswith(".json") else f"{name}#1", "JSON nested more than 64 levels deep"
        )
    ]


def test_deep_json_beside_good_files_rejects_only_itself(tmp_path):
    (tmp_path / "deep.json").write_bytes(DEEP_JSON)
    (tmp_path / "deep.jsonl").write_bytes(json.dumps({"text": STORY}).encode() + b"\n" + DEEP_JSON)
    (tmp_path / "good.txt").write_text(STORY)
    items = parse_path(tmp_path)
    assert [type(item).__name__ for item in items] == [
        "Rejected",
        "RawArticle",
        "Rejected",
        "RawArticle",
    ]


def test_brackets_inside_json_strings_do_not_count_as_nesting():
    text = json.dumps({"text": STORY + " [" * 100, "title": "{" * 100})
    assert isinstance(parse_bytes("a.json", text.encode())[0], RawArticle)


@pytest.mark.parametrize(("name", "data"), [("empty.json", b"[]"), ("blank.jsonl", b"\n \n")])
def test_a_json_file_without_articles_is_one_rejected_item(name, data):
    (item,) = parse_bytes(name, data)
    assert isinstance(item, Rejected)
    assert item.reason in {"an empty JSON list: no articles", "empty file"}


def test_html_dated_only_in_its_text_gets_the_extensive_search_s_local_day():
    # The markup states no date; the page's own line says 11:10 p.m. EST on 19 January, which is
    # 20 January in UTC: the outlet's day is kept.
    [item] = parse_path(DATES / "late_evening_page.html")
    assert item.given.published_at == "2023-01-19"


def test_html_whose_only_date_is_a_copyright_year_keeps_the_year_only():
    [item] = parse_path(DATES / "copyright_only_page.html")
    assert item.given.published_at == "2021"
