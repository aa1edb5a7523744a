"""Fixtures of the feed tests: a loopback site, settings without per-host delay, a poller."""

import pytest

from app.bench.local_site import local_site
from app.feeds.poll import Poller


@pytest.fixture
def site():
    with local_site() as site:
        yield site


@pytest.fixture
def feed_settings(settings):
    return settings.model_copy(update={"feed_host_delay": 0.0, "feed_timeout": 2.0})


@pytest.fixture
def poller(engine, feed_settings):
    with Poller(engine, feed_settings) as poller:
        yield poller
