"""A developing story is told again as it changes: its latest telling leads, and last year's
story of the same kind falls behind this year's news."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import timedelta

from retrieval.index.encoder import Vectors
from retrieval.records import Hit

SAME_STORY = 0.8  # chunks whose vectors are this alike tell the same story
STORY_MARGIN = 0.1  # a newer telling scoring this close to an older one supersedes it
# Asked about a story the archive holds recent news of, an article much older than that news
# tells of an earlier event (last year's final, a past election): it falls STALE behind.
ON_TOPIC = 5  # the best hits, among which the recent news of the story is looked for
STALE_DAYS = 90
STALE = 1.0


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


def stale_last(hits: Sequence[Hit], on_topic: Callable[[Hit], bool]) -> list[Hit]:
    """Hits, best first, where one published more than STALE_DAYS before the newest on-topic
    hit among the best ON_TOPIC falls STALE behind."""
    days = [h.published_at for h in hits[:ON_TOPIC] if h.published_at and on_topic(h)]
    if not days:
        return list(hits)
    cutoff = max(days) - timedelta(days=STALE_DAYS)
    ranked = [
        replace(h, score=h.score - STALE) if h.published_at and h.published_at < cutoff else h
        for h in hits
    ]
    return sorted(ranked, key=lambda h: h.score, reverse=True)


def _newer(a: Hit, b: Hit) -> bool:
    if a.published_at is None or b.published_at is None:
        return False
    return a.published_at > b.published_at
