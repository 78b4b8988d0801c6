"""Ingesting many articles: a batch in one request, or a large NDJSON upload as a job."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Request, status
from pydantic import BaseModel, Field, ValidationError

from app.api.schemas import ErrorMessage
from app.deps import ApiKeyDep, CodebookDep, EngineDep, ExtractorDep, SessionDep, SettingsDep
from graph.ingest.articles import ExtractionError, ingest_many
from graph.ingest.jobs import JobRunner, public
from graph.ingest.readers import describe
from graph.store.models import IngestJob, IngestJobPublic
from graph.types import ArticleIn

router = APIRouter(tags=["ingest"])

MAX_BATCH = 500


class BatchIn(BaseModel):
    articles: list[Any] = Field(min_length=1, max_length=MAX_BATCH)


class BatchItem(BaseModel):
    index: int
    status: str  # stored | duplicate | error
    id: int | None = None
    events: int = 0
    error: str | None = None


class BatchOut(BaseModel):
    stored: int
    duplicate: int
    errors: int
    results: list[BatchItem]


@router.post(
    "/articles:batch",
    response_model=BatchOut,
    responses={401: {"model": ErrorMessage}, 422: {"model": ErrorMessage}},
)
def create_articles(
    batch: Annotated[BatchIn, Body()],
    engine: EngineDep,
    extractor: ExtractorDep,
    codebook: CodebookDep,
    settings: SettingsDep,
    _: ApiKeyDep,
) -> BatchOut:
    """Up to 500 articles at once; each answered on its own: stored, duplicate, or error
    with the reason (a bad article does not stop the others)."""
    results: list[BatchItem] = []
    valid: list[tuple[int, ArticleIn]] = []
    for index, raw in enumerate(batch.articles):
        if not isinstance(raw, dict):
            message = f"expected an article object, got {type(raw).__name__}"
            results.append(BatchItem(index=index, status="error", error=message))
            continue
        try:
            article = ArticleIn.model_validate(raw)
        except ValidationError as error:
            results.append(BatchItem(index=index, status="error", error=describe(error)))
            continue
        if len(article.text) > settings.max_article_chars:
            limit = settings.max_article_chars
            message = f"text has {len(article.text)} characters; the limit is {limit}"
            results.append(BatchItem(index=index, status="error", error=message))
            continue
        valid.append((index, article))
    outcomes = ingest_many(
        engine, extractor, codebook, [a for _, a in valid], settings.merge_window_days
    )
    for (index, _), outcome in zip(valid, outcomes, strict=True):
        if isinstance(outcome, ExtractionError):
            results.append(BatchItem(index=index, status="error", error=str(outcome)))
        elif outcome.duplicate:
            results.append(BatchItem(index=index, status="duplicate", id=outcome.article.id))
        else:
            results.append(
                BatchItem(
                    index=index,
                    status="stored",
                    id=outcome.article.id,
                    events=len(outcome.event_ids),
                )
            )
    results.sort(key=lambda item: item.index)
    count = lambda name: sum(item.status == name for item in results)  # noqa: E731
    return BatchOut(
        stored=count("stored"), duplicate=count("duplicate"), errors=count("error"), results=results
    )


def job_runner(request: Request) -> JobRunner:
    return request.app.state.jobs


@router.post(
    "/ingest-jobs",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=IngestJobPublic,
    responses={401: {"model": ErrorMessage}, 413: {"model": ErrorMessage}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
            "description": "One article JSON object per line.",
        }
    },
)
async def create_ingest_job(request: Request, settings: SettingsDep, _: ApiKeyDep):
    """Upload NDJSON (one article a line) to be ingested in the background; poll
    `GET /api/v1/ingest-jobs/{id}` for progress and errors."""
    runner = job_runner(request)
    job_id, path = runner.new_upload_path()
    received = 0
    with path.open("wb") as upload:
        async for chunk in request.stream():
            received += len(chunk)
            if received > settings.max_upload_bytes:
                upload.close()
                path.unlink(missing_ok=True)
                raise HTTPException(
                    status.HTTP_413_CONTENT_TOO_LARGE,
                    detail=f"upload over {settings.max_upload_bytes} bytes "
                    "(GEOKG_MAX_UPLOAD_BYTES)",
                )
            upload.write(chunk)
    if received == 0:
        path.unlink(missing_ok=True)
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, detail="empty upload: send NDJSON"
        )
    return runner.submit(job_id, path, received)


@router.get(
    "/ingest-jobs/{job_id}",
    response_model=IngestJobPublic,
    responses={404: {"model": ErrorMessage}},
)
def read_ingest_job(job_id: str, session: SessionDep):
    """A job's status (queued, running, done, failed), counts so far and errors."""
    job = session.get(IngestJob, job_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"ingest job {job_id!r} not found")
    return public(job)
