"""The codebook: every CAMEO code with its meaning."""

from fastapi import APIRouter
from pydantic import BaseModel

from app.deps import CodebookDep
from graph.ontology import PLOVER_TYPES, QUAD_CLASS_NAMES

router = APIRouter(prefix="/ontology", tags=["ontology"])


class CodePublic(BaseModel):
    code: str
    name: str
    root: str
    quad_class: int
    goldstein: float
    plover: str | None
    plover_mode: str | None


class Ontology(BaseModel):
    codes: list[CodePublic]
    plover_types: list[str]
    quad_classes: dict[int, str]


@router.get("", response_model=Ontology)
def read_ontology(codebook: CodebookDep) -> Ontology:
    """All CAMEO codes (name, root, GDELT quad class, Goldstein, PLOVER type and mode)."""
    codes = [
        CodePublic(
            code=entry.code,
            name=entry.name,
            root=entry.root,
            quad_class=entry.quad_class,
            goldstein=entry.goldstein,
            plover=entry.plover,
            plover_mode=entry.mode,
        )
        for entry in codebook
    ]
    return Ontology(codes=codes, plover_types=list(PLOVER_TYPES), quad_classes=QUAD_CLASS_NAMES)
