"""A claim's comparison dict into its share image: a PNG of the phrasings side by side."""

import hashlib
import io
import json
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 630)  # what link previews (OpenGraph, Twitter large cards) expect
MARGIN = 40
GAP = 20
COLUMNS_SHOWN = 3
CACHE_SIZE = 256
INK, MUTED, PAPER, WASH, LINE = "#1b1f24", "#57606a", "#ffffff", "#f6f8fa", "#d0d7de"


class ShareImages:
    """PNG bytes per claim and data version (a digest of its phrasings), least recently used
    dropped first: a claim re-aligned or edited gets a new image."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._images: OrderedDict[tuple[int, str], bytes] = OrderedDict()

    def get(self, claim: dict[str, Any]) -> tuple[bytes, str]:
        """(png, version) for a `claim_detail` dict."""
        version = data_version(claim)
        key = (claim["id"], version)
        if key in self._images:
            self._images.move_to_end(key)
        else:
            self._images[key] = draw(claim)
            if len(self._images) > self.size:
                self._images.popitem(last=False)
        return self._images[key], version


def data_version(claim: dict[str, Any]) -> str:
    content = [claim["speaker"], claim["kind_label"]] + [
        (mention["outlet"], mention["text"]) for mention in claim["mentions"]
    ]
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()[:16]


def draw(claim: dict[str, Any]) -> bytes:
    image = Image.new("RGB", SIZE, PAPER)
    canvas = ImageDraw.Draw(image)
    title_font, outlet_font, body_font = _font(30), _font(24), _font(22)
    heading = claim["kind_label"] + (f" by {claim['speaker']}" if claim["speaker"] else "")
    canvas.text((MARGIN, MARGIN), f"Parallax · {heading}", font=title_font, fill=INK)
    mentions = sorted(claim["mentions"], key=lambda mention: not mention["is_reference"])
    shown = mentions[:COLUMNS_SHOWN]
    width = (SIZE[0] - 2 * MARGIN - GAP * (len(shown) - 1)) // max(len(shown), 1)
    top = MARGIN + 60
    for index, mention in enumerate(shown):
        left = MARGIN + index * (width + GAP)
        canvas.rectangle((left, top, left + width, SIZE[1] - MARGIN - 40), fill=WASH, outline=LINE)
        canvas.text((left + 16, top + 14), mention["outlet"], font=outlet_font, fill=INK)
        _paragraph(canvas, mention["text"], (left + 16, top + 56), width - 32, body_font)
    more = len(mentions) - len(shown)
    footer = f"{len(mentions)} outlets' phrasings" + (f" ({more} more on the page)" if more else "")
    canvas.text((MARGIN, SIZE[1] - MARGIN - 24), footer, font=body_font, fill=MUTED)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _paragraph(canvas, text: str, origin: tuple[int, int], width: int, font) -> None:
    """`text` wrapped to `width` pixels, cut with "…" where the column ends."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and canvas.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    line_height = int(font.size * 1.35)
    fits = (SIZE[1] - MARGIN - 60 - origin[1]) // line_height
    if len(lines) > fits:
        lines = lines[:fits]
        lines[-1] = lines[-1].rstrip(" ,.;:") + " …"
    for number, line in enumerate(lines):
        canvas.text((origin[0], origin[1] + number * line_height), line, font=font, fill=INK)


@lru_cache(maxsize=8)
def _font(size: int):
    return ImageFont.load_default(size=size)
