"""POST/GET articles through the real app on a real SQLite file."""

import json

from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import make_settings


def test_post_sahel_article_codes_russia_niger_cooperation(client, sahel_article):
    response = client.post("/api/v1/articles", json=sahel_article)
    assert response.status_code == 201
    body = response.json()
    assert body["duplicate"] is False
    dyads = {(e["source"]["country"], e["target"]["country"], e["plover"]) for e in body["events"]}
    assert ("RUS", "NER", "AID") in dyads
    assert ("NER", "RUS", "COOPERATE") in dyads
    assert ("NER", "RUS", "CONSULT") in dyads  # spoke by telephone
    assert ("NER", "FRA", "SANCTION") in dyads
    assert ("USA", "NER", "SANCTION") in dyads
    event = next(e for e in body["events"] if e["plover"] == "AID")
    assert event["cameo"] == "072" and event["root"] == "07" and event["quad_class"] == 2
    assert event["goldstein"] == 8.3
    assert event["date"] == "2024-04-10" and event["date_precision"] == "day"
    evidence = event["evidence"][0]
    assert evidence["sentence"].startswith("Russian military instructors arrived in Niger")
    text = sahel_article["text"]
    assert text[evidence["start"] : evidence["end"]] == evidence["sentence"]
    assert evidence["trigger"] == "arrived" and evidence["rule"]


def test_same_article_again_is_a_duplicate_with_no_new_events(client, sahel_article):
    first = client.post("/api/v1/articles", json=sahel_article).json()
    events_before = client.get("/api/v1/health").json()["events"]
    again = client.post("/api/v1/articles", json=sahel_article)
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert again.json()["id"] == first["id"]
    assert {e["id"] for e in again.json()["events"]} == {e["id"] for e in first["events"]}
    # Same text, other url, different whitespace and case: still the same article.
    reworded = dict(sahel_article, url=None, text="  " + sahel_article["text"].upper() + "\n")
    assert client.post("/api/v1/articles", json=reworded).json()["duplicate"] is True
    assert client.get("/api/v1/health").json()["events"] == events_before


def test_read_article_and_list(client, sahel_article):
    created = client.post("/api/v1/articles", json=sahel_article).json()
    article = client.get(f"/api/v1/articles/{created['id']}").json()
    assert article["title"] == sahel_article["title"]
    assert article["text"] == sahel_article["text"]
    assert len(article["events"]) == len(created["events"]) == article["event_count"]
    page = client.get("/api/v1/articles?limit=10&offset=0").json()
    assert page["count"] == 1 and page["limit"] == 10 and page["offset"] == 0
    assert page["data"][0]["id"] == created["id"]


def test_health(client):
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok" and body["articles"] == 0 and body["events"] == 0
    assert body["version"]


def test_bad_inputs_get_clear_errors(client):
    post = lambda payload: client.post("/api/v1/articles", json=payload)  # noqa: E731
    missing = post({"title": "no text"})
    assert missing.status_code == 422 and "text" in json.dumps(missing.json())
    empty = post({"text": "   "})
    assert empty.status_code == 422 and "text" in json.dumps(empty.json())
    unknown = post({"text": "Niger expelled French troops.", "author": "me"})
    assert unknown.status_code == 422 and "author" in json.dumps(unknown.json())
    bad_date = post({"text": "Niger expelled French troops.", "published_at": "2024-02-30"})
    assert bad_date.status_code == 422 and "published_at" in json.dumps(bad_date.json())
    malformed = client.post(
        "/api/v1/articles", content=b'{"text": ', headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 422 and "JSON" in json.dumps(malformed.json())
    assert client.get("/api/v1/health").json()["articles"] == 0


def test_text_over_the_limit_is_413(tmp_path, extractor):
    app = create_app(make_settings(tmp_path, max_article_chars=50), extractor=extractor)
    with TestClient(app) as client:
        response = client.post(
            "/api/v1/articles", json={"text": "Niger expelled French troops. " * 5}
        )
        assert response.status_code == 413
        assert "limit is 50" in response.json()["detail"]
        assert client.get("/api/v1/health").json()["articles"] == 0


def test_paging_limits(client):
    assert client.get("/api/v1/articles?limit=1001").status_code == 422
    assert client.get("/api/v1/articles?limit=0").status_code == 422
    assert client.get("/api/v1/articles?offset=-1").status_code == 422
    assert client.get("/api/v1/articles?limit=1000").status_code == 200


def test_unknown_ids_are_404(client):
    for path in ("/api/v1/articles/999", "/api/v1/events/999", "/api/v1/actors/NOPE"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["detail"].endswith("not found")


def test_failed_extraction_stores_nothing(tmp_path, extractor, monkeypatch, sahel_article):
    def broken(article):
        raise RuntimeError("parser exploded")

    app = create_app(make_settings(tmp_path), extractor=extractor)
    with TestClient(app) as client:
        monkeypatch.setattr(extractor, "extract", broken)
        response = client.post("/api/v1/articles", json=sahel_article)
        assert response.status_code == 500
        assert "parser exploded" in response.json()["detail"]
        monkeypatch.undo()
        assert client.get("/api/v1/health").json()["articles"] == 0


def test_api_key_guards_writes_only(tmp_path, extractor, sahel_article):
    app = create_app(make_settings(tmp_path, api_key="s3cret"), extractor=extractor)
    with TestClient(app) as client:
        assert client.post("/api/v1/articles", json=sahel_article).status_code == 401
        wrong = client.post("/api/v1/articles", json=sahel_article, headers={"X-API-Key": "no"})
        assert wrong.status_code == 401
        ok = client.post("/api/v1/articles", json=sahel_article, headers={"X-API-Key": "s3cret"})
        assert ok.status_code == 201
        assert client.get("/api/v1/health").status_code == 200


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/api/v1/articles" in spec["paths"]
