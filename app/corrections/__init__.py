"""Admin corrections: each function changes the store in the caller's transaction."""
