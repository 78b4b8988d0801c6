"""Shared fixtures: one extractor per test session, a fresh SQLite file per test app."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from graph import SEEDS_DIR
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


def sample_articles() -> list[dict]:
    """The sample articles shipped in seeds/ (written for geokg)."""
    lines = (SEEDS_DIR / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def seeded_client(tmp_path_factory, extractor: Extractor) -> Iterator[TestClient]:
    """An app whose store holds the sample articles, ingested through the API."""
    settings = make_settings(tmp_path_factory.mktemp("seeded"))
    with TestClient(create_app(settings, extractor=extractor)) as test_client:
        response = test_client.post("/api/v1/articles:batch", json={"articles": sample_articles()})
        assert response.status_code == 200, response.text
        assert response.json()["errors"] == 0
        yield test_client
