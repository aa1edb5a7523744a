"""Runtime configuration from PARALLAX_* environment variables, read once by the app's starter."""

from typing import Literal
from urllib.parse import urlsplit

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARALLAX_")

    database_url: str = "sqlite:///data/parallax.db"
    host: str = "127.0.0.1"
    port: int = 8000
    # Ingest: a file (or JSON line) over this size is rejected unread.
    max_article_bytes: int = 5_000_000

    # Admin sessions. With no secret_key set, one is generated once and kept (mode 0600) in
    # `secret_key` next to the SQLite database, so every app on that data dir shares it.
    secret_key: str | None = None
    session_max_age: int = 8 * 3600  # seconds a sign-in lasts
    secure_cookies: Literal["auto", "always", "never"] = "auto"  # auto: Secure when https
    signin_max_failures: int = 5  # per account and per client address, in the window below
    signin_window: int = 15 * 60  # seconds
    # Admin uploads: over any limit the whole request is refused and nothing is stored.
    upload_max_file_bytes: int = 2 * 1024 * 1024
    upload_max_request_bytes: int = 20 * 1024 * 1024
    upload_max_files: int = 200
    # Ingest jobs (batch uploads, pushed batches) are queued in the database. The web process runs
    # them on a thread of its own unless this is false (then `parallax worker` processes run them).
    serve_runs_jobs: bool = True
    # `parallax ingest` and `parallax worker` lower their own CPU priority by this much (os.nice;
    # 0: not at all), so web workers on the same cores answer readers first while an ingest runs.
    ingest_nice: int = 10
    # Readers may see a page up to this many seconds older than the last write (0: never). While
    # an ingest commits several articles a second, 1-2 s spare re-rendering every page for each.
    cache_max_stale: float = 0.0
    # Feeds: every fetch is bounded in time and bytes; one host is asked at most once per delay.
    feed_timeout: float = 10.0  # seconds per fetch, from connecting to the last byte
    feed_max_bytes: int = 5_000_000  # per feed document or article page
    feed_host_delay: float = 1.0  # seconds between two requests to the same host
    feed_loop_seconds: float = 60.0  # `parallax feeds poll` looks for due feeds this often

    # Deployment. Absolute links (canonical, og:url, "Copy link") use base_url when set, else the
    # request's (checked) host. Requests for any other host than allowed_hosts (comma-separated;
    # default: localhost, 127.0.0.1 and base_url's host) are refused.
    base_url: str | None = None
    allowed_hosts: str = ""
    # Comma-separated proxy addresses whose X-Forwarded-For/-Proto are believed; none by default.
    trusted_proxies: str = ""
    # The interactive API docs (/docs, /redoc) load Swagger UI/ReDoc from a CDN: off unless asked.
    api_docs: bool = False

    def host_names(self) -> list[str]:
        """The hosts the app answers for."""
        if self.allowed_hosts.strip():
            return comma_list(self.allowed_hosts)
        base_host = urlsplit(self.base_url).hostname if self.base_url else None
        return ["localhost", "127.0.0.1", "::1", "testserver", *([base_host] if base_host else [])]

    def proxy_addresses(self) -> list[str]:
        return comma_list(self.trusted_proxies)


def comma_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]
