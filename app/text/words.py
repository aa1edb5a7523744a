"""A text into its lower-case words, contractions spelled out: the tokens every table is read in."""

from app.text import patterns as p


def words_of(text: str) -> tuple[str, ...]:
    return tuple(p.WORD.findall(spelled_out(text)))


def spelled_out(text: str) -> str:
    """Lower case, straight quotes, contractions spelled out ("didn't" -> "did not")."""
    text = text.lower().replace("’", "'").replace("“", '"').replace("”", '"')
    for pattern, replacement in p.CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text
