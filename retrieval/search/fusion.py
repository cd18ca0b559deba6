"""Merging ranked lists, and picking what a result list shows."""

from collections.abc import Sequence

from retrieval.records import Hit

RRF_K = 60  # Cormack et al. 2009: larger values flatten the difference between ranks


def match_sources(wanted: str, known: dict[str, str] | Sequence[str]) -> frozenset[str]:
    """Indexed source names matching what a user typed: 'nbc' finds 'nbc news', 'pbs.org'."""
    key = wanted.strip().lower()
    return frozenset(s for s in known if key == s or key in s.split() or s.startswith(key))


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[tuple[str, float]]],
) -> list[tuple[str, float]]:
    """Merge ranked lists: each item scores the sum of 1 / (RRF_K + rank) over the lists."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, (item, _) in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda pair: pair[1], reverse=True)


def best_per_article(hits: Sequence[Hit]) -> list[Hit]:
    """Keep the first (best) hit of each article."""
    seen: set[str] = set()
    out = []
    for hit in hits:
        if hit.article_id not in seen:
            seen.add(hit.article_id)
            out.append(hit)
    return out
