"""Following outlets: RSS/Atom feeds and news sitemaps polled into the one ingest path."""
