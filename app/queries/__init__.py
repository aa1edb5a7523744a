"""The one query layer: ids and filters in, plain dicts out, for both the pages and the API."""
