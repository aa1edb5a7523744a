"""The ingest pipeline: parse, clean, meta, sentences, claims, events, align, orchestrated by run."""
