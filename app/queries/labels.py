"""Reader-facing words and symbols for grid cells, claim kinds and flags (data apart from logic)."""

# At or above this similarity to the reference phrasing, an outlet reported the claim verbatim.
VERBATIM_SIMILARITY = 95.0

CELL_STATES = {
    "verbatim": {"symbol": "●", "label": "same words"},
    "paraphrased": {"symbol": "◐", "label": "reworded"},
    "not_reported": {"symbol": "○", "label": "not reported"},
}

# A phrasing in the comparison panel, against the reader's chosen reference ("{reference}").
PANEL_STATES = {
    "reference": {"symbol": "●", "label": "reference"},
    "same_words": {"symbol": "●", "label": "same words as {reference}"},
    "reworded": {"symbol": "◐", "label": "reworded"},
}

# Alignment's reasons ("same quote; same speaker; shared words concern, align") in plain words.
MATCH_REASONS = {
    "same quote": "it quotes the same words",
    "same speaker": "it names the same speaker",
    "same figures": "it gives the same figures",
    "shared words": "it uses many of the same distinctive words",
    "continues": "it continues the sentence matched before it",
}

KIND_LABELS = {"quote": "Quote", "statement": "Statement", "figure": "Figure"}

GRID_FILTERS = {
    "all": "All claims",
    "quotes": "Quotes",
    "figures": "Figures",
    "disputed": "Disagreements",
    "single": "Single-outlet",
}

GRID_SORTS = {"outlets": "Most outlets first", "order": "Order of appearance"}

# Flags that describe coverage rather than disagreement: they do not make a claim "disputed".
COVERAGE_FLAGS = {"wire_copy", "not_reported_by"}

FLAG_LABELS = {
    "quote_differs": "quote wording differs",
    "quote_wording_differs": "quote wording differs",
    "figures_differ": "figures differ",
    "figure_differs": "figures differ",
    "wire_copy": "wire copy",
    "not_reported_by": "not reported by",
    "speaker_differs": "speaker differs",
    "attribution_differs": "attribution differs",
}


def flag_label(kind: str) -> str:
    return FLAG_LABELS.get(kind, kind.replace("_", " "))


def match_reasons(reason: str | None) -> list[str]:
    """Alignment's stored reason as plain sentences for readers, in its order."""
    said = []
    for part in (reason or "").split(";"):
        part = part.strip()
        plain = next((text for key, text in MATCH_REASONS.items() if part.startswith(key)), None)
        if plain and plain not in said:
            said.append(plain)
    return said
