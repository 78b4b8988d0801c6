"""Ingesting many articles through the real app: POST /api/v1/articles:batch (per-article
answers) and NDJSON upload jobs (POST /api/v1/ingest-jobs, polled with GET)."""

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import make_settings

BATCH = "/api/v1/articles:batch"
JOBS = "/api/v1/ingest-jobs"
NDJSON = {"content-type": "application/x-ndjson"}

STORED_BEFORE = {
    "text": "Niger expelled French troops on Friday.",
    "url": "https://api.geokg.invalid/niger",
    "published_at": "2023-12-22",
}
JAPAN = {"text": "Japan pledged economic aid to Ukraine on Monday.", "published_at": "2024-02-19"}
INDIA = {
    "text": "India criticised Pakistan over a border attack.",
    "url": "https://api.geokg.invalid/india",
    "title": "India and Pakistan",
}
JOB_ARTICLES = [
    {"text": "Russian military instructors arrived in Niger on Wednesday.", "url": "https://j/1"},
    {"text": "Poland accused Belarus of pushing migrants across the border."},
    {"text": "Kenya's president visited Ethiopia on Saturday.", "published_at": "2024-06-08"},
    {"text": "The United States imposed sanctions on Venezuela on Monday."},
    {"text": "Burkina Faso recalled its ambassador from Ivory Coast.", "source": "Job Wire"},
]


@contextmanager
def app_client(tmp_path: Path, extractor, **overrides) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, jobs_dir=tmp_path / "jobs", **overrides)
    with TestClient(create_app(settings, extractor=extractor)) as client:
        yield client


def ndjson(*rows: dict | str) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows).encode()


def wait_for(client: TestClient, job_id: str, timeout: float = 60.0) -> dict:
    """Poll a job until it is done or failed (bounded; not a speed test)."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(f"{JOBS}/{job_id}")
        assert response.status_code == 200, response.text
        job = response.json()
        if job["status"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, f"job still {job['status']} after {timeout} s"
        time.sleep(0.05)


def stored_texts(tmp_path: Path) -> list[str]:
    connection = sqlite3.connect(tmp_path / "geokg.db")
    try:
        return sorted(text for (text,) in connection.execute("SELECT text FROM article"))
    finally:
        connection.close()


def article_count(client: TestClient) -> int:
    return client.get("/api/v1/health").json()["articles"]


# --- articles:batch -----------------------------------------------------------------------


def test_batch_answers_each_article(tmp_path, extractor):
    with app_client(tmp_path, extractor, max_article_chars=300) as client:
        before = client.post(BATCH, json={"articles": [STORED_BEFORE]})
        assert before.status_code == 200, before.text
        assert before.json()["stored"] == 1
        stored_id = before.json()["results"][0]["id"]

        articles = [
            JAPAN,  # 0 new
            {"title": "no text here"},  # 1 missing text
            INDIA,  # 2 new
            dict(JAPAN),  # 3 the same as 0
            {"text": "Mali's junta accused Algeria.", "author": "someone"},  # 4 unknown field
            {**STORED_BEFORE, "text": STORED_BEFORE["text"].upper()},  # 5 stored before
            {"text": "Turkey condemned Israel.", "published_at": "2024-13-45"},  # 6 bad date
            {"text": "Egypt hosted talks. " * 20},  # 7 over 300 characters
        ]
        response = client.post(BATCH, json={"articles": articles})
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["stored"], body["duplicate"], body["errors"]) == (2, 2, 4)
        results = body["results"]
        assert [r["index"] for r in results] == list(range(len(articles)))
        assert [r["status"] for r in results] == [
            "stored",
            "error",
            "stored",
            "duplicate",
            "error",
            "duplicate",
            "error",
            "error",
        ]
        assert results[3]["id"] == results[0]["id"]
        assert results[5]["id"] == stored_id
        assert results[0]["events"] >= 1 and results[2]["events"] >= 1
        assert results[3]["events"] == 0
        assert results[1]["error"].startswith("text:")
        assert "author" in results[4]["error"]
        assert "published_at" in results[6]["error"]
        assert "text" in results[7]["error"] and "300" in results[7]["error"]
        assert all(r["id"] is None for r in results if r["status"] == "error")

        # the valid ones were stored despite the others
        assert article_count(client) == 3
        for index in (0, 2):
            article = client.get(f"/api/v1/articles/{results[index]['id']}").json()
            assert article["text"] == articles[index]["text"]
            assert article["event_count"] == results[index]["events"]
        india = client.get(f"/api/v1/articles/{results[2]['id']}").json()
        assert (india["url"], india["title"]) == (INDIA["url"], INDIA["title"])

        # the same batch again: nothing new
        again = client.post(BATCH, json={"articles": articles}).json()
        assert (again["stored"], again["duplicate"], again["errors"]) == (0, 4, 4)
        assert article_count(client) == 3


def test_batch_size_limits(tmp_path, extractor):
    with app_client(tmp_path, extractor) as client:
        many = [{"text": f"Article number {n} about nothing in particular."} for n in range(501)]
        response = client.post(BATCH, json={"articles": many})
        assert response.status_code == 422
        assert client.post(BATCH, json={"articles": []}).status_code == 422
        assert client.post(BATCH, json={}).status_code == 422
        assert client.post(BATCH, json={"articles": "not a list"}).status_code == 422
        assert article_count(client) == 0
        response = client.post(BATCH, json={"articles": many[:500]})
        assert response.status_code == 200, response.text
        assert response.json()["stored"] == 500
        assert article_count(client) == 500


def test_batch_and_jobs_need_the_api_key_when_set(tmp_path, extractor):
    with app_client(tmp_path, extractor, api_key="s3cret") as client:
        payload = {"articles": [JAPAN]}
        assert client.post(BATCH, json=payload).status_code == 401
        assert client.post(BATCH, json=payload, headers={"X-API-Key": "wrong"}).status_code == 401
        assert client.post(JOBS, content=ndjson(JAPAN), headers=NDJSON).status_code == 401
        assert list((tmp_path / "jobs").iterdir()) == []  # no upload kept
        assert article_count(client) == 0
        ok = client.post(BATCH, json=payload, headers={"X-API-Key": "s3cret"})
        assert ok.status_code == 200 and ok.json()["stored"] == 1
        job = client.post(JOBS, content=ndjson(INDIA), headers={**NDJSON, "X-API-Key": "s3cret"})
        assert job.status_code == 202, job.text
        assert wait_for(client, job.json()["id"])["new"] == 1


# --- ingest jobs -----------------------------------------------------------------------------


def test_ingest_job_runs_to_done_with_errors_by_line(tmp_path, extractor):
    with app_client(tmp_path, extractor) as client:
        assert client.post(BATCH, json={"articles": [STORED_BEFORE]}).json()["stored"] == 1
        upload = ndjson(
            JOB_ARTICLES[0],
            JOB_ARTICLES[1],
            '{"text": "Mali\'s junta accused Algeria", ',  # line 3: malformed
            JOB_ARTICLES[2],
            {**STORED_BEFORE, "url": None},  # line 5: stored before (same text)
            JOB_ARTICLES[3],
            {"title": "no text"},  # line 7: no text
            JOB_ARTICLES[4],
        )
        response = client.post(JOBS, content=upload, headers=NDJSON)
        assert response.status_code == 202, response.text
        accepted = response.json()
        assert accepted["status"] in ("queued", "running")
        assert accepted["received"] == len(upload)
        job_id = accepted["id"]

        job = wait_for(client, job_id)
        assert job["status"] == "done", job
        assert job["id"] == job_id
        assert (job["new"], job["duplicate"], job["failed"]) == (5, 1, 2)
        assert job["processed"] == 8
        assert job["events"] >= 5
        assert job["events"] == client.get("/api/v1/health").json()["events"] - 1
        assert job["finished_at"] and job["started_at"]
        errors = {Path(e["location"]).name: e["message"] for e in job["errors"]}
        assert set(errors) == {"upload:3", "upload:7"}  # no server path in the answer
        assert "malformed JSON" in errors["upload:3"]
        assert errors["upload:7"].startswith("text:")

        # stored, once each, readable through the API
        assert article_count(client) == 1 + len(JOB_ARTICLES)
        assert stored_texts(tmp_path) == sorted(
            [STORED_BEFORE["text"], *(a["text"] for a in JOB_ARTICLES)]
        )
        # the upload is gone once the job is done
        assert list((tmp_path / "jobs").iterdir()) == []

        # the same upload again: all duplicates, nothing new
        again = client.post(JOBS, content=upload, headers=NDJSON).json()
        assert again["id"] != job_id
        job = wait_for(client, again["id"])
        assert (job["status"], job["new"], job["duplicate"], job["failed"]) == ("done", 0, 6, 2)
        assert job["events"] == 0
        assert article_count(client) == 1 + len(JOB_ARTICLES)


def test_ingest_job_rejections(tmp_path, extractor):
    with app_client(tmp_path, extractor, max_upload_bytes=200) as client:
        jobs = tmp_path / "jobs"
        response = client.get(f"{JOBS}/no-such-job")
        assert response.status_code == 404
        assert "no-such-job" in response.json()["detail"]

        response = client.post(JOBS, content=b"", headers=NDJSON)
        assert response.status_code == 422
        assert "empty" in response.json()["detail"]
        assert list(jobs.iterdir()) == []

        big = ndjson(*JOB_ARTICLES)
        assert len(big) > 200
        response = client.post(JOBS, content=big, headers=NDJSON)
        assert response.status_code == 413
        assert "200" in response.json()["detail"]
        assert list(jobs.iterdir()) == []
        assert article_count(client) == 0

        small = ndjson(JOB_ARTICLES[2])
        assert len(small) <= 200
        response = client.post(JOBS, content=small, headers=NDJSON)
        assert response.status_code == 202
        job = wait_for(client, response.json()["id"])
        assert (job["status"], job["new"], job["failed"]) == ("done", 1, 0)
