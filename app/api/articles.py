"""Articles: ingest one, list them, read one with its events."""

from fastapi import APIRouter, HTTPException, Response, status

from app.api.schemas import ArticleIngested, ErrorMessage, Limit, Offset, Page
from app.deps import ApiKeyDep, CodebookDep, EngineDep, ExtractorDep, SessionDep, SettingsDep
from graph.ingest.articles import ExtractionError, ingest_article
from graph.store.models import Article, ArticleSummary, EventPublic
from graph.store.queries import article_event_ids, events_public, list_articles
from graph.types import ArticleIn

router = APIRouter(prefix="/articles", tags=["articles"])


class ArticleDetail(ArticleSummary):
    text: str
    events: list[EventPublic]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ArticleIngested,
    responses={
        200: {"model": ArticleIngested, "description": "Already stored: the stored article."},
        401: {"model": ErrorMessage},
        413: {"model": ErrorMessage},
        500: {"model": ErrorMessage, "description": "Extraction failed; nothing was stored."},
    },
)
def create_article(
    article: ArticleIn,
    response: Response,
    engine: EngineDep,
    session: SessionDep,
    extractor: ExtractorDep,
    codebook: CodebookDep,
    settings: SettingsDep,
    _: ApiKeyDep,
) -> ArticleIngested:
    """Extract the events of an article and store both; the same url or text again is
    answered with the stored article (`duplicate: true`, status 200) and adds nothing."""
    if len(article.text) > settings.max_article_chars:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            detail=f"text has {len(article.text)} characters; the limit is "
            f"{settings.max_article_chars} (GEOKG_MAX_ARTICLE_CHARS)",
        )
    try:
        result = ingest_article(engine, extractor, codebook, article, settings.merge_window_days)
    except ExtractionError as error:
        raise HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, detail=str(error)) from None
    if result.duplicate:
        response.status_code = status.HTTP_200_OK
        event_ids = article_event_ids(session, result.article.id)
    else:
        event_ids = result.event_ids
    events = events_public(session, event_ids, codebook)
    return ArticleIngested(id=result.article.id, duplicate=result.duplicate, events=events)


@router.get("", response_model=Page[ArticleSummary])
def read_articles(session: SessionDep, limit: Limit = 50, offset: Offset = 0):
    """Stored articles, newest first."""
    data, total = list_articles(session, limit, offset)
    return Page(data=data, count=total, limit=limit, offset=offset)


@router.get("/{article_id}", response_model=ArticleDetail, responses={404: {"model": ErrorMessage}})
def read_article(article_id: int, session: SessionDep, codebook: CodebookDep):
    """One article with its text and every event it gives evidence for."""
    article = session.get(Article, article_id)
    if article is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"article {article_id} not found")
    events = events_public(session, article_event_ids(session, article_id), codebook)
    return ArticleDetail.model_validate(
        article, update={"events": events, "event_count": len(events)}
    )
