"""Ingest jobs: an uploaded NDJSON file processed in the background, progress kept in the
store so a client can poll it (and a restart re-queues unfinished jobs: stored articles are
skipped, so a job resumes where it stopped)."""

import json
import queue
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from graph.extract.pipeline import Extractor
from graph.ingest.bulk import BulkOptions, run_bulk
from graph.ingest.readers import read_path
from graph.ontology import Codebook
from graph.store.models import IngestJob, IngestJobPublic

MAX_ERRORS = 100


def public(job: IngestJob) -> IngestJobPublic:
    return IngestJobPublic.model_validate(job, update={"errors": json.loads(job.errors)})


class JobRunner:
    """One background thread working through queued jobs in order."""

    def __init__(
        self,
        engine: Engine,
        extractor: Extractor,
        codebook: Codebook,
        options: BulkOptions,
        folder: Path,
    ):
        self.engine = engine
        self.extractor = extractor
        self.codebook = codebook
        self.options = options
        self.folder = folder
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="geokg-ingest-jobs", daemon=True)

    def start(self) -> None:
        """Start working, re-queuing jobs a previous run left unfinished."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with Session(self.engine) as session:
            unfinished = session.exec(
                select(IngestJob)
                .where(col(IngestJob.status).in_(["queued", "running"]))
                .order_by(IngestJob.created_at)
            ).all()
            for job in unfinished:
                if Path(job.path).exists():
                    job.status = "queued"
                    self._queue.put(job.id)
                else:
                    job.status, job.message = "failed", "upload lost before processing"
                session.add(job)
            session.commit()
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

    def new_upload_path(self) -> tuple[str, Path]:
        job_id = uuid.uuid4().hex
        return job_id, self.folder / f"{job_id}.jsonl"

    def submit(self, job_id: str, path: Path, received: int) -> IngestJobPublic:
        """Record an uploaded file as a queued job."""
        job = IngestJob(id=job_id, path=str(path), received=received, created_at=datetime.now(UTC))
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(job)
            session.commit()
        self._queue.put(job_id)
        return public(job)

    def _work(self) -> None:
        while (job_id := self._queue.get()) is not None:
            self._run(job_id)

    def _run(self, job_id: str) -> None:
        with Session(self.engine, expire_on_commit=False) as session:
            job = session.get(IngestJob, job_id)
            if job is None:
                return
            job.status, job.started_at = "running", datetime.now(UTC)
            session.add(job)
            session.commit()

        def progress(done: int, events: int) -> None:
            self._update(job_id, processed=done, events=events)

        try:
            summary = run_bulk(
                read_path(Path(job.path)),
                self.engine,
                self.codebook,
                self.options,
                extractor=self.extractor,
                progress=progress,
            )
        except Exception as error:  # the job fails, the service carries on
            self._update(job_id, status="failed", message=f"{type(error).__name__}: {error}")
            return
        # locations name the upload by its line, not by the server's file path
        errors = [
            {"location": loc.replace(job.path, "upload"), "message": msg}
            for loc, msg in summary.failures
        ]
        self._update(
            job_id,
            status="done",
            processed=summary.new + summary.duplicate + summary.failed,
            new=summary.new,
            duplicate=summary.duplicate,
            failed=summary.failed,
            events=summary.events,
            errors=json.dumps(errors[:MAX_ERRORS]),
            message=None if len(errors) <= MAX_ERRORS else f"first {MAX_ERRORS} errors shown",
            finished_at=datetime.now(UTC),
        )
        Path(job.path).unlink(missing_ok=True)

    def _update(self, job_id: str, **values) -> None:
        with Session(self.engine) as session:
            job = session.get(IngestJob, job_id)
            if job is None:
                return
            for key, value in values.items():
                setattr(job, key, value)
            session.add(job)
            session.commit()
