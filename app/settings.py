"""Runtime configuration from PARALLAX_* environment variables, read once by the app's starter."""

from typing import Literal

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
    # Feeds: every fetch is bounded in time and bytes; one host is asked at most once per delay.
    feed_timeout: float = 10.0  # seconds per fetch, from connecting to the last byte
    feed_max_bytes: int = 5_000_000  # per feed document or article page
    feed_host_delay: float = 1.0  # seconds between two requests to the same host
    feed_loop_seconds: float = 60.0  # `parallax feeds poll` looks for due feeds this often
