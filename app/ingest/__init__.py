"""The ingest pipeline: parse, clean, meta, sentences, claims, events, align; run drives it."""
