"""All configuration in one place: ``FANZHA_*`` environment variables (pydantic-settings).

Embedded by default: with nothing set, workflow state lives in SQLite and events in Parquet under
``data_dir``. ``FANZHA_DATABASE_URL`` moves workflow state to PostgreSQL, ``FANZHA_REDIS_URL`` moves
online state to Redis.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# A development-only secret. Deployments must set FANZHA_SECRET; `fanzha serve` warns when they don't.
DEV_SECRET = "fanzha-dev-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FANZHA_", env_file=None, extra="ignore")

    data_dir: Path = Field(default=Path("./var"), description="Root of all embedded state")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default is SQLite under data_dir"
    )
    redis_url: str | None = Field(default=None, description="Redis URL for shared online state")
    secret: str = Field(default=DEV_SECRET, description="Platform secret for keyed hashes (HMAC)")
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    public_lookup_rate_per_minute: int = 30

    @property
    def lake_dir(self) -> Path:
        return self.data_dir / "lake"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'fanzha.db').resolve()}"

    @property
    def secret_bytes(self) -> bytes:
        return self.secret.encode("utf-8")

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.lake_dir.mkdir(parents=True, exist_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    """Tests change the environment; this makes the next ``get_settings()`` read it again."""
    get_settings.cache_clear()
