"""Turns a backend's highlighted text (hits between two control characters) into plain text and
[{"text", "hit"}] segments, so templates escape the text and mark hits safely."""

from typing import Any

HIT_START = "\x02"
HIT_END = "\x03"


def segments(marked: str | None) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    for chunk in (marked or "").split(HIT_START):
        hit, sep, rest = chunk.partition(HIT_END)
        if sep:
            parts.append({"text": hit, "hit": True})
            chunk = rest
        if chunk:
            parts.append({"text": chunk, "hit": False})
    return parts


def plain(marked: str | None) -> str:
    return (marked or "").replace(HIT_START, "").replace(HIT_END, "")
