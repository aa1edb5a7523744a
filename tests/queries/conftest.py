"""The Bali store for query tests."""

import pytest

from queries.bali import BaliStore, build_bali_store


@pytest.fixture
def bali(session) -> BaliStore:
    return build_bali_store(session)
