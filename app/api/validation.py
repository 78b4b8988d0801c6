"""Checks shared by routers; each failure is a 422 that says what is allowed."""

from datetime import date

from fastapi import HTTPException, status

from graph.ontology import PLOVER_TYPES, Codebook


def unprocessable(message: str) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=message)


def check_window(start: date | None, end: date | None) -> None:
    """`start` must not come after `end`."""
    if start and end and start > end:
        raise unprocessable(f"start {start} is after end {end}; give start <= end")


def check_cameo(cameo: str, codebook: Codebook) -> None:
    """`cameo` must be a code or code prefix in the codebook."""
    if not codebook.codes_with_prefix(cameo):
        raise unprocessable(
            f"unknown CAMEO code {cameo!r}: use a code or prefix such as '06' or '062' "
            "(GET /api/v1/ontology lists them)"
        )


def check_plover(plover: str) -> str:
    """`plover` must be one of the 16 PLOVER types (any case); returns it upper-cased."""
    upper = plover.upper()
    if upper not in PLOVER_TYPES:
        raise unprocessable(f"unknown PLOVER type {plover!r}; allowed: {', '.join(PLOVER_TYPES)}")
    return upper
