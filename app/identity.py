"""A claim or event id into the row it now stands for, following merges to the survivor.

Store-level and neutral: ingestion, corrections and queries all resolve merged ids through here.
"""

from sqlmodel import Session


def follow_merges(session: Session, model, row_id: int):
    """The row `row_id` resolves to through `merged_into_id` links, or None when there is no such
    row. A link to a missing row or back into the chain stops at the last row reached."""
    row = session.get(model, row_id)
    seen = set()
    while row is not None and row.merged_into_id is not None and row.id not in seen:
        seen.add(row.id)
        survivor = session.get(model, row.merged_into_id)
        if survivor is None:
            break
        row = survivor
    return row
