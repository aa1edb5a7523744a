"""Two phrasings into word-level changes, typography ignored and changes grouped into phrases."""

import re
from difflib import SequenceMatcher
from functools import lru_cache

from app.text import patterns as p

# A word and the spaces or dashes after it: "responsibly—as" is two words, as "responsibly as".
WORD = re.compile(r"[^\s\u2013\u2014\u2015]+[\s\u2013\u2014\u2015]*|[\s\u2013\u2014\u2015]+")
PUNCTUATION = ",.;:!?\"'()-…"
SPACES = re.compile(r"[ \t]+")


def typography(text: str) -> str:
    """Straight quotes and apostrophes, plain hyphens and single spaces for their variants."""
    return SPACES.sub(" ", text.translate(p.TYPOGRAPHY))


def same_words(a: str, b: str) -> bool:
    """The same words in the same order, whatever the typography, case or punctuation."""
    return _keys(_words(a)) == _keys(_words(b))


def word_diff(old: str, new: str) -> list[dict]:
    """Edit operations turning `old` into `new`, word by word (case, punctuation and typography
    ignored), short unchanged runs between changes folded in so each change reads as a phrase.
    Ops are {"op": "equal"|"insert"|"delete"|"replace", "text": ..., "old": ...}."""
    old_words, new_words = _words(old), _words(new)
    matcher = SequenceMatcher(None, _keys(old_words), _keys(new_words), autojunk=False)
    ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(old_words[i1:i2]), "".join(new_words[j1:j2])
        if tag == "equal":
            ops.append({"op": "equal", "text": new_text, "words": i2 - i1})
        elif tag == "insert":
            ops.append({"op": "insert", "text": new_text})
        elif tag == "delete":
            ops.append({"op": "delete", "text": old_text})
        else:
            ops.append({"op": "replace", "old": old_text, "text": new_text})
    return [_public(op) for op in _grouped(ops)]


def _words(text: str) -> list[str]:
    """The text's words with what follows each; a lone dash or mark joins the word before it."""
    words: list[str] = []
    for word in WORD.findall(text):
        if words and not _key(word):
            words[-1] += word
        else:
            words.append(word)
    return words


def _keys(words: list[str]) -> list[str]:
    return [_key(word) for word in words]


@lru_cache(maxsize=65536)  # the same words recur in every outlet's mention a panel compares
def _key(word: str) -> str:
    return typography(word).strip(PUNCTUATION + " \t\r\n").lower()


def _grouped(ops: list[dict]) -> list[dict]:
    """change, short equal run, change -> one replacement phrase."""
    result: list[dict] = []
    for op in ops:
        if op["op"] != "equal" and len(result) >= 2 and _glue(result[-1]):
            glue = result.pop()
            unchanged = {"op": "replace", "old": glue["text"], "text": glue["text"]}
            result[-1] = _merge(_merge(result[-1], unchanged), op)
        else:
            result.append(op)
    return result


def _glue(op: dict) -> bool:
    return op["op"] == "equal" and op["words"] <= p.PHRASE_GLUE_WORDS


def _merge(first: dict, second: dict) -> dict:
    old = _old(first) + _old(second)
    new = _new(first) + _new(second)
    if not old:
        return {"op": "insert", "text": new}
    if not new:
        return {"op": "delete", "text": old}
    return {"op": "replace", "old": old, "text": new}


def _old(op: dict) -> str:
    return op.get("old", op["text"]) if op["op"] != "insert" else ""


def _new(op: dict) -> str:
    return op["text"] if op["op"] != "delete" else ""


def _public(op: dict) -> dict:
    return {key: value for key, value in op.items() if key != "words"}
