"""BM25 over chunk texts."""

from collections import Counter

import bm25s
import numpy as np
from numpy.typing import NDArray

from retrieval.index.terms import terms


class LexicalIndex:
    """An in-memory BM25 index over a fixed list of documents."""

    def __init__(self, texts: list[str]) -> None:
        self.size = len(texts)
        self._bm25 = bm25s.BM25()
        self.documents = [terms(t) for t in texts]  # each text's terms, for scoring candidates
        self.document_frequency = Counter(term for doc in self.documents for term in set(doc))
        if texts:
            self._bm25.index([doc or ["\x00"] for doc in self.documents], show_progress=False)

    def scores(self, query: str) -> NDArray[np.float32]:
        """BM25 score of every document for the query (0 where no term matches)."""
        if not self.size:
            return np.zeros(0, dtype=np.float32)
        tokens = [t for t in terms(query) if t in self._bm25.vocab_dict]
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def top(
        self, query: str, n: int, allowed: NDArray[np.bool_] | None = None
    ) -> list[tuple[int, float]]:
        """The n best (document position, score) pairs with a positive score."""
        scores = self.scores(query)
        if allowed is not None and scores.size:
            scores = np.where(allowed, scores, 0.0)
        n = min(n, int(np.count_nonzero(scores)))
        if n <= 0:
            return []
        best = np.argpartition(-scores, n - 1)[:n]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(i), float(scores[i])) for i in best]

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term; rare terms weigh more."""
        df = self.document_frequency.get(term, 0)
        return float(np.log(1 + (self.size - df + 0.5) / (df + 0.5)))
