"""Shared fixtures: one extractor per test session, a fresh SQLite file per test app."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from graph.extract.pipeline import Extractor

SAHEL_ARTICLE = {
    "title": "Russian instructors arrive in Niger",
    "published_at": "2024-04-12",
    "source": "Test Wire",
    "url": "https://test.geokg.invalid/sahel-1",
    "text": (
        "Russian military instructors arrived in Niger on Wednesday with an air defence "
        "system, state television said. Niger's junta announced in January its decision to "
        "enhance military cooperation with Moscow. General Abdourahamane Tiani spoke by "
        "telephone with Russian President Vladimir Putin about security. French forces were "
        "expelled by Niger last year. Washington cut its assistance to Niamey after the coup."
    ),
}


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


def make_settings(tmp_path: Path, **overrides) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'geokg.db'}", **overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def client(settings: Settings, extractor: Extractor) -> Iterator[TestClient]:
    with TestClient(create_app(settings, extractor=extractor)) as test_client:
        yield test_client


@pytest.fixture
def sahel_article() -> dict:
    return dict(SAHEL_ARTICLE)
