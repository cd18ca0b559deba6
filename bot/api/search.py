"""POST /search: the best passage of each of the k best articles."""

from typing import Any

from fastapi import APIRouter

from bot.api.deps import GUARDED, Ready
from bot.api.schemas import ERRORS, SearchBody, SearchResponse
from bot.render import hit_json
from retrieval.search.fusion import best_per_article

router = APIRouter(dependencies=GUARDED)


@router.post("/search", response_model=SearchResponse, responses=ERRORS)
def search(body: SearchBody, svc: Ready) -> dict[str, Any]:
    """The best matching passage of each of the k best articles."""
    retrieval = svc.searcher.retrieve(body.request())
    hits = best_per_article(retrieval.hits)[: body.k]
    return {"hits": [hit_json(h) for h in hits], "took_ms": retrieval.elapsed_ms()}
