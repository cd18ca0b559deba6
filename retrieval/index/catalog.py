"""The catalog: a SQLite file on the data dir holding, per chunk, what search and answers read
besides Chroma's nearest neighbours: text, sentence spans and days, sentence vectors, and a
full-text (BM25) index. Processes of one machine share it; each write is one transaction, so a
reader sees an article whole or not at all, and nothing of it lives in a process's memory.

Chroma stays the store of record: the catalog can be rebuilt from it (see `rebuild.py`).
"""

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from retrieval.index.encoder import Vectors
from retrieval.index.filters import NO_DAY
from retrieval.index.terms import terms
from retrieval.records import Article, Chunk

BUSY_TIMEOUT_S = 30.0  # a reader or writer waits this long for another process's write
STORED = np.float16  # vectors on disk: half the bytes, cosines within 1e-3 of float32
_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    author TEXT NOT NULL,
    published_day INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    vectors TEXT NOT NULL,
    n_chunks INTEGER NOT NULL,
    text TEXT NOT NULL,
    written_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_day ON articles (published_day);
CREATE TABLE IF NOT EXISTS outlets (
    source_key TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    articles INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL REFERENCES articles ON DELETE CASCADE,
    source_key TEXT NOT NULL,
    published_day INTEGER NOT NULL,
    start INTEGER NOT NULL,
    text TEXT NOT NULL,
    sentences TEXT NOT NULL,
    terms TEXT NOT NULL,
    sentence_terms TEXT NOT NULL,
    vector BLOB NOT NULL,
    sentence_vectors BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks (article_id);
CREATE INDEX IF NOT EXISTS chunks_day ON chunks (published_day);
CREATE INDEX IF NOT EXISTS chunks_source_day ON chunks (source_key, published_day);
CREATE TABLE IF NOT EXISTS chunk_days (
    day INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    month_day INTEGER NOT NULL,
    chunk INTEGER NOT NULL REFERENCES chunks ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS chunk_days_day ON chunk_days (day);
CREATE INDEX IF NOT EXISTS chunk_days_chunk ON chunk_days (chunk);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5 (
    terms, content='chunks', content_rowid='id',
    tokenize="unicode61 remove_diacritics 0 tokenchars ''''"
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_vocabulary USING fts5vocab (chunk_terms, row);
CREATE TRIGGER IF NOT EXISTS chunk_terms_in AFTER INSERT ON chunks BEGIN
    INSERT INTO chunk_terms (rowid, terms) VALUES (new.id, new.terms);
END;
CREATE TRIGGER IF NOT EXISTS chunk_terms_out AFTER DELETE ON chunks BEGIN
    INSERT INTO chunk_terms (chunk_terms, rowid, terms) VALUES ('delete', old.id, old.terms);
END;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


@dataclass(frozen=True)
class Embedded:
    """An article, its chunks and their vectors: what one write stores."""

    article: Article
    chunks: list[Chunk]
    vectors: list[Vectors]  # per chunk: its own vector, then one per sentence


class Catalog:
    """The SQLite file; a connection per thread, so search threads read at once."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            db.executescript(_SCHEMA)

    def connection(self) -> sqlite3.Connection:
        """This thread's connection."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            db.execute("PRAGMA foreign_keys=ON")
        return db

    def _connect(self) -> closing[sqlite3.Connection]:
        return closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None))

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One consistent view for reading (or, with `write`, the one writer) until the block
        ends; a write is undone whole if the block fails."""
        db = self.connection()
        db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def states(self, articles: Sequence[Article], vectors_id: str) -> dict[str, str]:
        """'added', 'updated' or 'unchanged' for each article id: what writing it would do."""
        ids = [a.article_id for a in articles]
        with self.transaction() as db:
            rows = db.execute(
                f"SELECT article_id, content_hash, vectors FROM articles "
                f"WHERE article_id IN ({', '.join('?' * len(ids))})",
                ids,
            ).fetchall()
        stored = {article_id: (content, vectors) for article_id, content, vectors in rows}
        return {
            a.article_id: "added"
            if a.article_id not in stored
            else "unchanged"
            if stored[a.article_id] == (a.content_hash, vectors_id)
            else "updated"
            for a in articles
        }

    def write(self, batch: Sequence[Embedded], vectors_id: str) -> None:
        """Store articles, each replacing any older version of itself, in one transaction."""
        now = time.time()
        with self.transaction(write=True) as db:
            for item in batch:
                article = item.article
                _remove(db, article.article_id)
                day = article.published_at.toordinal() if article.published_at else NO_DAY
                db.execute(
                    "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.article_id,
                        article.title,
                        article.source,
                        article.url,
                        article.author,
                        day,
                        article.content_hash,
                        vectors_id,
                        len(item.chunks),
                        article.text,
                        now,
                    ),
                )
                for chunk, vectors in zip(item.chunks, item.vectors, strict=True):
                    self._insert_chunk(db, article, day, chunk, vectors)
                _count(db, article.source, 1, len(item.chunks))
            _add(db, "revision", 1)

    def _insert_chunk(
        self, db: sqlite3.Connection, article: Article, day: int, chunk: Chunk, vectors: Vectors
    ) -> None:
        texts = [article.text[s.start : s.end] for s in chunk.sentences]
        row = db.execute(
            "INSERT INTO chunks (chunk_id, article_id, source_key, published_day, start, text, "
            "sentences, terms, sentence_terms, vector, sentence_vectors) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                chunk.chunk_id,
                article.article_id,
                article.source.lower(),
                day,
                chunk.start,
                chunk.text,
                json.dumps([[s.start, s.end, " ".join(s.event_dates)] for s in chunk.sentences]),
                " ".join(terms(f"{article.title}\n{chunk.text}")),
                "|".join(" ".join(terms(text)) for text in texts),
                vectors[0].astype(STORED).tobytes(),
                vectors[1:].astype(STORED).tobytes(),
            ),
        ).lastrowid
        days = {d for s in chunk.sentences for d in s.event_dates if "/" not in d}
        db.executemany(
            "INSERT INTO chunk_days VALUES (?, ?, ?, ?)",
            [_day_row(d, row) for d in sorted(days)],
        )

    def delete(self, article_id: str) -> bool:
        """Remove an article; False when it was not there."""
        with self.transaction(write=True) as db:
            found = _remove(db, article_id)
            if found:
                _add(db, "revision", 1)
        return found

    def revision(self) -> int:
        """A number that changes with every write, from any process."""
        return meta_value(self.connection(), "revision")


def _remove(db: sqlite3.Connection, article_id: str) -> bool:
    """Delete an article and what hangs on it (chunks, days, terms), keeping the counts."""
    old = db.execute(
        "SELECT source, n_chunks FROM articles WHERE article_id = ?", (article_id,)
    ).fetchone()
    if old is None:
        return False
    db.execute("DELETE FROM articles WHERE article_id = ?", (article_id,))
    _count(db, old[0], -1, -old[1])
    return True


def _count(db: sqlite3.Connection, source: str, articles: int, chunks: int) -> None:
    """Keep the totals and the articles per outlet, so no search has to count them."""
    _add(db, "articles", articles)
    _add(db, "chunks", chunks)
    if source:
        db.execute(
            "INSERT INTO outlets VALUES (?, ?, ?) ON CONFLICT (source_key) "
            "DO UPDATE SET articles = articles + excluded.articles",
            (source.lower(), source, articles),
        )
        db.execute("DELETE FROM outlets WHERE articles <= 0")


def _add(db: sqlite3.Connection, key: str, amount: int) -> None:
    db.execute(
        "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = value + ?",
        (key, amount, amount),
    )


def meta_value(db: sqlite3.Connection, key: str) -> int:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else 0


def _day_row(iso: str, chunk: int | None) -> tuple[int, int, int, int | None]:
    day = date.fromisoformat(iso)
    return day.toordinal(), day.weekday(), day.month * 100 + day.day, chunk
