"""GET /sources: the outlets the index holds, for the page's filter."""

from typing import Any

from fastapi import APIRouter

from bot.api.deps import GUARDED, Ready
from bot.api.schemas import ERRORS, SourcesResponse

router = APIRouter(dependencies=GUARDED)


@router.get("/sources", response_model=SourcesResponse, responses=ERRORS)
def sources(svc: Ready) -> dict[str, Any]:
    """Every outlet in the index, with how many of its articles it holds."""
    counts = svc.index.sources()
    names = sorted(counts, key=str.casefold)
    return {"sources": [{"name": name, "articles": counts[name]} for name in names]}
