"""Helpers of tests where workers run at once: an engine per worker (as separate processes have)
and threads released together."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine

from app.db import make_engine


@contextmanager
def separate_engines(database_url: str, count: int) -> Iterator[list[Engine]]:
    engines = [make_engine(database_url) for _ in range(count)]
    try:
        yield engines
    finally:
        for engine in engines:
            engine.dispose()


def at_once(work: Callable[[Engine], None], engines: list[Engine]) -> None:
    """Runs work(engine) for every engine, each on a thread of its own, all released together."""
    start = threading.Barrier(len(engines))

    def run(engine: Engine) -> None:
        start.wait()
        work(engine)

    threads = [threading.Thread(target=run, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
