"""Runtime configuration read from PARALLAX_* environment variables, once, by whoever starts the app."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARALLAX_")

    database_url: str = "sqlite:///data/parallax.db"
    host: str = "127.0.0.1"
    port: int = 8000
