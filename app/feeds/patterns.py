"""Patterns the feed poller matches in fetched bytes: entity declarations and paywall markers."""

import re

# A feed or sitemap has no use for its own entities; declaring them is how entity-expansion
# ("billion laughs") and external-entity attacks start, even in a document that is otherwise broken.
ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
# schema.org's marker for content behind a paywall, as publishers state it in JSON-LD or microdata.
PAYWALL = re.compile(
    r"""["']?isAccessibleForFree["']?\s*(?::|content=)\s*["']?false""", re.IGNORECASE
)
