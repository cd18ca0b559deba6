"""One search's reading of the catalog: every query inside one SQLite read transaction, so the
search sees the archive as it stood when it began, whatever is written meanwhile."""

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from retrieval.index.catalog import STORED, meta_value
from retrieval.index.encoder import Vectors
from retrieval.index.filters import Filters
from retrieval.records import Article, Hit, Sentence

# Rows a date question may draw from, the latest first: "on Saturday" without as_of matches a
# seventh of all dated chunks.
MAX_DATED_ROWS = 5000
# BM25 reads the lists of chunks holding the question's words, the rarest first, up to about this
# many entries: the time goes on the long lists of common words, which add little to the ranking.
# At 200k chunks that is about 15 ms; archives of a few thousand chunks keep every word.
POSTINGS = 8_000


@dataclass(frozen=True)
class ChunkTerms:
    chunk: list[str]  # the headline's and text's terms, in order
    sentences: list[frozenset[str]]


@dataclass(frozen=True)
class Candidate:
    """A chunk as scoring reads it: the hit to cite, its vectors and its terms."""

    hit: Hit
    vector: Vectors
    sentence_vectors: Vectors
    terms: ChunkTerms


@dataclass(frozen=True)
class DaysAsked:
    """The days a question is about, in the catalog's terms."""

    spans: Sequence[tuple[date, date]]
    weekdays: Iterable[int]  # 0 = Monday
    month_days: Iterable[tuple[int, int]]


class View:
    """Reads of the catalog for one search; rows are the catalog's chunk ids (integers)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def size(self) -> int:
        """Chunks in the index."""
        return meta_value(self.db, "chunks")

    def articles(self) -> int:
        return meta_value(self.db, "articles")

    def count(self, filters: Filters, at_most: int) -> int:
        """Chunks the filters admit, counted up to `at_most`."""
        where, values = filters.sql()
        return int(
            self.db.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM chunks WHERE {where} LIMIT ?)",
                [*values, at_most],
            ).fetchone()[0]
        )

    def lexical(
        self, words: Sequence[str], frequencies: Mapping[str, int], n: int, filters: Filters
    ) -> list[tuple[int, float]]:
        """BM25's n best chunks with any of the words' rarer ones (terms), best first;
        `frequencies` are the words' document frequencies, a word absent from it in no chunk."""
        held = [w for w in dict.fromkeys(words) if frequencies.get(w, 0)]
        rare, postings = [], 0
        for word in sorted(held, key=frequencies.__getitem__):
            postings += frequencies[word]
            if postings > POSTINGS:
                break
            rare.append(word)
        if not rare:
            return []
        match = " OR ".join(f'"{w}"' for w in rare)
        where, values = filters.sql()
        # Only a filter needs the chunks' rows: the join looks up every chunk matched.
        joined = " JOIN chunks ON chunks.id = chunk_terms.rowid" if filters.any else ""
        rows = self.db.execute(
            f"SELECT chunk_terms.rowid, bm25(chunk_terms) FROM chunk_terms{joined} "
            f"WHERE chunk_terms MATCH ? AND {where} ORDER BY bm25(chunk_terms) LIMIT ?",
            [match, *values, n],
        ).fetchall()
        return [(int(row), -float(score)) for row, score in rows]  # bm25() is lower for better

    def nearest(self, vector: Vectors, n: int, filters: Filters) -> list[tuple[int, float]]:
        """The n chunks closest to the vector among those the filters admit, by exact
        comparison: for narrow filters, where an approximate index finds too few."""
        where, values = filters.sql()
        rows = self.db.execute(f"SELECT id, vector FROM chunks WHERE {where}", values).fetchall()
        if not rows:
            return []
        ids = np.array([r for r, _ in rows])
        similarity = _vectors(b"".join(v for _, v in rows)).reshape(len(rows), -1) @ vector
        best = np.argsort(-similarity)[:n]
        return [(int(ids[i]), float(similarity[i])) for i in best]

    def rows(self, chunk_ids: Sequence[str], filters: Filters) -> dict[str, int]:
        """The catalog rows of these chunks that the filters admit (a chunk Chroma found may
        not be here yet, or any more)."""
        if not chunk_ids:
            return {}
        where, values = filters.sql()
        # By the chunk ids' own index: left to itself, SQLite walks every chunk of a filtered
        # outlet instead (at 200k chunks, 50 ms for 1000 ids instead of 5).
        found = self.db.execute(
            "SELECT chunk_id, id FROM chunks INDEXED BY sqlite_autoindex_chunks_1 "
            f"WHERE chunk_id IN ({', '.join('?' * len(chunk_ids))}) AND {where}",
            [*chunk_ids, *values],
        ).fetchall()
        return {str(chunk_id): int(row) for chunk_id, row in found}

    def rows_about(self, asked: DaysAsked, filters: Filters) -> list[int]:
        """Rows with a sentence about a day asked for, of the latest articles first."""
        tests, values = [], []
        for start, end in asked.spans:
            tests.append("chunk_days.day BETWEEN ? AND ?")
            values += [start.toordinal(), end.toordinal()]
        weekdays = sorted(asked.weekdays)
        if weekdays:
            tests.append(f"chunk_days.weekday IN ({', '.join('?' * len(weekdays))})")
            values += weekdays
        month_days = sorted(month * 100 + day for month, day in asked.month_days)
        if month_days:
            tests.append(f"chunk_days.month_day IN ({', '.join('?' * len(month_days))})")
            values += month_days
        if not tests:
            return []
        where, filter_values = filters.sql()
        found = self.db.execute(
            "SELECT DISTINCT chunks.id FROM chunk_days JOIN chunks ON chunks.id = chunk_days.chunk "
            f"WHERE ({' OR '.join(tests)}) AND {where} ORDER BY chunks.published_day DESC LIMIT ?",
            [*values, *filter_values, MAX_DATED_ROWS],
        ).fetchall()
        return [int(row) for (row,) in found]

    def vectors(self, rows: Sequence[int]) -> dict[int, Vectors]:
        found = self.db.execute(
            f"SELECT id, vector FROM chunks WHERE id IN ({', '.join('?' * len(rows))})", list(rows)
        ).fetchall()
        return {int(row): _vectors(v) for row, v in found}

    def candidates(self, rows: Sequence[int]) -> dict[int, Candidate]:
        """Everything scoring needs of these chunks."""
        found = self.db.execute(
            "SELECT chunks.id, chunk_id, chunks.article_id, title, url, source, "
            "chunks.published_day, start, chunks.text, sentences, terms, sentence_terms, vector, "
            "sentence_vectors FROM chunks JOIN articles USING (article_id) "
            f"WHERE chunks.id IN ({', '.join('?' * len(rows))})",
            list(rows),
        ).fetchall()
        return {int(r[0]): _candidate(r) for r in found}

    def document_frequencies(self, words: Sequence[str]) -> dict[str, int]:
        """How many chunks hold each term."""
        if not words:
            return {}
        found = self.db.execute(
            f"SELECT term, doc FROM chunk_vocabulary WHERE term IN ({', '.join('?' * len(words))})",
            list(words),
        ).fetchall()
        return {str(term): int(doc) for term, doc in found}

    def sources(self) -> dict[str, tuple[str, int]]:
        """Indexed outlets, lower-cased: how each is written, and its number of articles."""
        found = self.db.execute("SELECT source_key, source, articles FROM outlets").fetchall()
        return {str(key): (str(written), int(n)) for key, written, n in found}

    def article(self, article_id: str) -> Article | None:
        found = self.db.execute(
            f"SELECT {_ARTICLE} FROM articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return _article(found) if found else None

    def articles_page(self, limit: int, offset: int, source: str | None) -> list[Article]:
        """Articles, the latest published first (undated last), without their text."""
        where, values = ("lower(source) = ?", [source.lower()]) if source else ("1", [])
        found = self.db.execute(
            f"SELECT {_LISTED} FROM articles WHERE {where} "
            "ORDER BY published_day DESC, written_at DESC, article_id LIMIT ? OFFSET ?",
            [*values, limit, offset],
        ).fetchall()
        return [_article(row) for row in found]

    def newest_day(self) -> date | None:
        (day,) = self.db.execute("SELECT max(published_day) FROM articles").fetchone()
        return date.fromordinal(day) if day and day > 0 else None


_ARTICLE = "article_id, title, text, source, url, author, published_day"
_LISTED = _ARTICLE.replace("text", "''")  # a listing leaves the texts out


def _article(row: Any) -> Article:
    article_id, title, text, source, url, author, day = row
    published = date.fromordinal(day) if day > 0 else None
    return Article(article_id, title, text, source, url, author, published)


def _candidate(row: Any) -> Candidate:
    (_, chunk_id, article_id, title, url, source, day, start, text, sentences, chunk_terms,
     sentence_terms, vector, sentence_vectors) = row  # fmt: skip
    spans = json.loads(sentences)
    hit = Hit(
        chunk_id=chunk_id,
        article_id=article_id,
        title=title,
        url=url,
        source=source,
        published_at=date.fromordinal(day) if day > 0 else None,
        text=text,
        start=start,
        score=0.0,
        sentences=tuple(Sentence(s, e, tuple(d.split())) for s, e, d in spans),
    )
    chunk_vector = _vectors(vector)
    return Candidate(
        hit=hit,
        vector=chunk_vector,
        sentence_vectors=_vectors(sentence_vectors).reshape(len(spans), len(chunk_vector)),
        terms=ChunkTerms(
            chunk_terms.split(), [frozenset(s.split()) for s in sentence_terms.split("|")]
        ),
    )


def _vectors(stored: bytes) -> Vectors:
    return np.frombuffer(stored, dtype=STORED).astype(np.float32)
