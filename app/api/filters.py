"""Query parameters shared by relation, dyad and graph endpoints, validated into an EventFilter."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from app.api.validation import check_cameo, check_plover, check_window, unprocessable
from app.deps import CodebookDep
from graph.store.analytics import ROLLUPS, EventFilter


async def event_filter(
    codebook: CodebookDep,
    start: Annotated[date | None, Query(description="Earliest event date, YYYY-MM-DD.")] = None,
    end: Annotated[date | None, Query(description="Latest event date, YYYY-MM-DD.")] = None,
    cameo: Annotated[
        str | None, Query(description="CAMEO code or prefix: `06` is the root.")
    ] = None,
    plover: Annotated[str | None, Query(description="PLOVER type, e.g. COOPERATE.")] = None,
    quad_class: Annotated[
        int | None, Query(ge=1, le=4, description="GDELT quad class 1–4.")
    ] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    include_negated: Annotated[bool, Query(description="Count negated events too.")] = False,
    rollup: Annotated[
        str, Query(description="`actor`, or `country` to merge RUSMIL, RUSGOV, Putin into RUS.")
    ] = "actor",
) -> EventFilter:
    check_window(start, end)
    if cameo:
        check_cameo(cameo, codebook)
    if rollup not in ROLLUPS:
        raise unprocessable(f"unknown rollup {rollup!r}; allowed: {', '.join(ROLLUPS)}")
    return EventFilter(
        start=start,
        end=end,
        cameo=cameo,
        plover=check_plover(plover) if plover else None,
        quad_class=quad_class,
        min_confidence=min_confidence,
        include_negated=include_negated,
        rollup=rollup,
    )


FilterDep = Annotated[EventFilter, Depends(event_filter)]
