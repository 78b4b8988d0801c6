"""Annotated dependencies shared by the routers."""

import secrets
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from sqlalchemy import Engine
from sqlmodel import Session

from app.settings import Settings
from graph.extract.pipeline import Extractor
from graph.ontology import Codebook


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_engine(request: Request) -> Engine:
    return request.app.state.engine


async def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> AsyncIterator[Session]:
    # async dependencies run on the event loop: no thread hand-off per request (the
    # session connects lazily, in the endpoint's worker thread)
    with Session(engine) as session:
        yield session


async def get_extractor(request: Request) -> Extractor:
    return request.app.state.extractor


async def get_codebook(request: Request) -> Codebook:
    return request.app.state.codebook


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_session)]
ExtractorDep = Annotated[Extractor, Depends(get_extractor)]
CodebookDep = Annotated[Codebook, Depends(get_codebook)]


async def require_api_key(
    settings: SettingsDep,
    x_api_key: Annotated[
        str | None, Header(description="Required when GEOKG_API_KEY is set.")
    ] = None,
) -> None:
    """Write endpoints: when an API key is configured, the X-API-Key header must match it."""
    if settings.api_key is None:
        return
    if x_api_key is None or not secrets.compare_digest(x_api_key, settings.api_key):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="missing or wrong X-API-Key header: this endpoint needs the service's API key",
        )


ApiKeyDep = Annotated[None, Depends(require_api_key)]
