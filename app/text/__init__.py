"""Text helpers shared by ingestion and comparison: one normalization of words and numbers."""
