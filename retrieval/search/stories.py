"""A developing story is told again as it changes: its latest telling leads."""

from collections.abc import Mapping, Sequence
from dataclasses import replace

from retrieval.index.encoder import Vectors
from retrieval.records import Hit

SAME_STORY = 0.8  # chunks whose vectors are this alike tell the same story
STORY_MARGIN = 0.1  # a newer telling scoring this close to an older one supersedes it


def latest_tellings_first(hits: Sequence[Hit], vectors: Mapping[str, Vectors]) -> list[Hit]:
    """Hits, best first, where a telling of a story superseded by a newer one falls
    STORY_MARGIN behind it, and the newer one takes the better of their two scores."""
    ranked = list(hits)
    for i, hit in enumerate(ranked):
        newer = [
            j
            for j, other in enumerate(ranked)
            if _newer(other, hit)
            and other.score >= hit.score - STORY_MARGIN
            and float(vectors[other.chunk_id] @ vectors[hit.chunk_id]) >= SAME_STORY
        ]
        if newer:
            j = max(newer, key=lambda j: ranked[j].score)
            best = max(hit.score, ranked[j].score)
            ranked[j] = replace(ranked[j], score=best)
            ranked[i] = replace(hit, score=best - STORY_MARGIN)
    return sorted(ranked, key=lambda h: h.score, reverse=True)


def _newer(a: Hit, b: Hit) -> bool:
    if a.published_at is None or b.published_at is None:
        return False
    return a.published_at > b.published_at
