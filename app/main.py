"""The ASGI application: `app.main:app`."""

import gc
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from app.api import api_router
from app.settings import Settings, get_settings
from graph import __version__
from graph.extract.pipeline import Extractor
from graph.ingest.bulk import BulkOptions
from graph.ingest.jobs import JobRunner
from graph.network import GraphCache
from graph.ontology import load_codebook
from graph.store.db import make_engine
from graph.store.migrate import upgrade

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None, extractor: Extractor | None = None) -> FastAPI:
    """Build the service. Migrates the database and loads the extractor at start-up."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        upgrade(settings.database_url)
        app.state.settings = settings
        app.state.engine = make_engine(settings.database_url)
        app.state.codebook = load_codebook(settings.seeds_dir)
        app.state.extractor = extractor or Extractor(settings.seeds_dir, settings.spacy_model)
        app.state.graph_cache = GraphCache()
        app.state.jobs = JobRunner(
            app.state.engine,
            app.state.extractor,
            app.state.codebook,
            BulkOptions(
                seeds_dir=settings.seeds_dir,
                model=settings.spacy_model,
                max_chars=settings.max_article_chars,
                merge_window_days=settings.merge_window_days,
            ),
            settings.jobs_dir,
        )
        app.state.jobs.start()
        gc.freeze()  # the model and dictionaries live as long as the app: keep full
        # collections from walking them during requests
        yield
        app.state.jobs.stop()
        app.state.engine.dispose()

    app = FastAPI(
        title="geokg",
        version=__version__,
        summary="Geopolitical event knowledge graph: news text to coded actor–relation–actor "
        "events, served as a queryable graph.",
        lifespan=lifespan,
    )
    app.include_router(api_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def explorer() -> FileResponse:
        """The in-browser graph explorer."""
        return FileResponse(STATIC_DIR / "index.html")

    return app


app = create_app()
