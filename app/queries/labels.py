"""Reader-facing words and symbols for grid cells, claim kinds and flags (data apart from logic)."""

# At or above this similarity to the reference phrasing, an outlet reported the claim verbatim.
VERBATIM_SIMILARITY = 95.0

CELL_STATES = {
    "verbatim": {"symbol": "●", "label": "verbatim"},
    "paraphrased": {"symbol": "◐", "label": "paraphrased"},
    "not_reported": {"symbol": "○", "label": "not reported"},
}

KIND_LABELS = {"quote": "Quote", "statement": "Statement", "figure": "Figure"}

GRID_FILTERS = {
    "all": "All claims",
    "quotes": "Quotes",
    "figures": "Figures",
    "disputed": "Disputed (flagged)",
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
