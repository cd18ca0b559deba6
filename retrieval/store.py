"""The article index: chunk and sentence vectors in Chroma, and a BM25 view kept in step with it."""

import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.collection_configuration import CreateCollectionConfiguration
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Metadata, Where

from retrieval.documents import Article, Chunk, Hit, Sentence
from retrieval.embed import Embedder, Vectors
from retrieval.errors import StoreUnavailable
from retrieval.lexical import LexicalIndex

NO_DAY = -1  # published_day of an undated article: never inside a date filter
# How stale the BM25 view may be when another process writes to a shared Chroma server.
REFRESH_SECONDS = 1.0
_SPACE: CreateCollectionConfiguration = {"hnsw": {"space": "cosine"}}


@dataclass(frozen=True)
class Filters:
    """Restrictions on which articles may answer: sources and publication days (inclusive)."""

    sources: frozenset[str] | None = None  # lower-cased source names; None = any
    since: date | None = None
    until: date | None = None

    def where(self) -> dict[str, Any] | None:
        """The same restriction as a Chroma `where` clause."""
        clauses: list[dict[str, Any]] = []
        if self.sources is not None:
            clauses.append({"source_key": {"$in": sorted(self.sources) or [""]}})
        if self.since:
            clauses.append({"published_day": {"$gte": self.since.toordinal()}})
        if self.until:
            clauses.append({"published_day": {"$lte": self.until.toordinal()}})
            clauses.append({"published_day": {"$gt": NO_DAY}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass(frozen=True)
class Lexicon:
    """BM25 over every chunk, with the metadata needed to filter without asking Chroma."""

    ids: list[str]
    index: LexicalIndex
    source_keys: np.ndarray
    published_days: np.ndarray

    def allowed(self, filters: Filters) -> np.ndarray | None:
        mask = np.ones(len(self.ids), dtype=bool)
        if filters.sources is not None:
            mask &= np.isin(self.source_keys, list(filters.sources))
        if filters.since:
            mask &= self.published_days >= filters.since.toordinal()
        if filters.until:
            mask &= (self.published_days <= filters.until.toordinal()) & (
                self.published_days > NO_DAY
            )
        return None if mask.all() else mask

    @property
    def sources(self) -> list[str]:
        return sorted(set(self.source_keys.tolist()) - {""})


class Index:
    """Articles in two Chroma collections: chunks (searched) and their sentences (for quoting)."""

    def __init__(
        self, client: ClientAPI, embedder: Embedder, name: str = "newsdesk", location: str = ""
    ) -> None:
        self.client = client
        self.embedder = embedder
        self.location = location or name
        with _unavailable_as_error(self.location):
            self.chunks = self._collection(f"{name}-chunks")
            self.sentences = self._collection(f"{name}-sentences")
        self._lexicon: Lexicon | None = None
        self._lexicon_revision: str | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def _collection(self, name: str) -> Collection:
        # No embedding function: Chroma's default one would try to download a model.
        return self.client.get_or_create_collection(
            name,
            configuration=_SPACE,
            embedding_function=None,
        )

    # --- writing -------------------------------------------------------------------------

    def state(self, article: Article) -> str:
        """'added', 'updated' or 'unchanged': what writing this article would do."""
        with _unavailable_as_error(self.location):
            found = self.chunks.get(where={"article_id": article.article_id}, include=["metadatas"])
            sentences = self.sentences.get(where={"article_id": article.article_id}, include=[])
        metadatas = found["metadatas"] or []
        if not metadatas:
            return "added"
        complete = (
            all(
                m["content_hash"] == article.content_hash and m["n_chunks"] == len(metadatas)
                for m in metadatas
            )
            and len(sentences["ids"]) == metadatas[0]["n_sentences"]
        )
        return "unchanged" if complete else "updated"

    def write(self, batch: Sequence[tuple[Article, list[Chunk]]]) -> None:
        """Embed and store articles, each replacing any older version of itself.

        Each collection gets one upsert for the whole batch, so an article is never half
        written; its sentences land before its chunks, which are what search finds first."""
        chunk_ids, chunk_texts, chunk_documents = [], [], []
        sentence_ids, sentence_texts = [], []
        chunk_metadatas: list[Metadata] = []
        sentence_metadatas: list[Metadata] = []
        for article, chunks in batch:
            base = _article_metadata(article, chunks)
            for chunk in chunks:
                chunk_ids.append(chunk.chunk_id)
                chunk_texts.append(embedded_text(article, chunk))
                chunk_documents.append(chunk.text)
                chunk_metadatas.append({**base, **_chunk_metadata(chunk)})
                for j, sentence in enumerate(chunk.sentences):
                    sentence_ids.append(f"{chunk.chunk_id}::{j}")
                    sentence_texts.append(article.text[sentence.start : sentence.end])
                    sentence_metadatas.append({**base, "chunk_id": chunk.chunk_id})
        vectors = self.embedder.encode(chunk_texts + sentence_texts)
        article_ids = [article.article_id for article, _ in batch]
        with _unavailable_as_error(self.location):
            if sentence_ids:
                self.sentences.upsert(
                    ids=sentence_ids,
                    embeddings=vectors[len(chunk_ids) :],
                    documents=sentence_texts,
                    metadatas=sentence_metadatas,
                )
            self.chunks.upsert(
                ids=chunk_ids,
                embeddings=vectors[: len(chunk_ids)],
                documents=chunk_documents,
                metadatas=chunk_metadatas,
            )
            self._drop_stale(self.chunks, article_ids, set(chunk_ids))
            self._drop_stale(self.sentences, article_ids, set(sentence_ids))
            self._touch()

    def _drop_stale(self, collection: Collection, article_ids: list[str], keep: set[str]) -> None:
        """Delete what older versions of these articles had beyond their new records."""
        where = cast(Where, {"article_id": {"$in": article_ids}})
        old = collection.get(where=where, include=[])["ids"]
        stale = [i for i in old if i not in keep]
        if stale:
            collection.delete(ids=stale)

    def delete(self, article_id: str) -> bool:
        """Remove an article; False when it was not there."""
        with _unavailable_as_error(self.location):
            found = self.chunks.get(where={"article_id": article_id}, include=[])["ids"]
            self.chunks.delete(where={"article_id": article_id})
            self.sentences.delete(where={"article_id": article_id})
            self._touch()
        return bool(found)

    def _touch(self) -> None:
        """Record a new revision so every process rebuilds its BM25 view."""
        self.chunks.modify(metadata={"revision": uuid.uuid4().hex})

    # --- reading -------------------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        """(articles, chunks) in the index."""
        lexicon = self.lexicon()
        return len({i.split("::")[0] for i in lexicon.ids}), len(lexicon.ids)

    def lexicon(self) -> Lexicon:
        """The BM25 view of the chunks, rebuilt when any process has written since."""
        now = time.monotonic()
        if self._lexicon is not None and now - self._checked_at < REFRESH_SECONDS:
            return self._lexicon
        with self._lock:
            with _unavailable_as_error(self.location):
                revision = (self.client.get_collection(self.chunks.name).metadata or {}).get(
                    "revision"
                )
            if self._lexicon is None or revision != self._lexicon_revision:
                self._lexicon = self._build_lexicon()
                self._lexicon_revision = revision
            self._checked_at = now
            return self._lexicon

    def _build_lexicon(self) -> Lexicon:
        ids: list[str] = []
        texts: list[str] = []
        sources: list[str] = []
        days: list[int] = []
        with _unavailable_as_error(self.location):
            for rows in _pages(self.chunks, include=["documents", "metadatas"]):
                for chunk_id, text, meta in zip(
                    rows["ids"], rows["documents"] or [], rows["metadatas"] or [], strict=True
                ):
                    ids.append(chunk_id)
                    texts.append(f"{meta['title']}\n{text}")
                    sources.append(str(meta["source_key"]))
                    days.append(int(str(meta["published_day"])))
        return Lexicon(ids, LexicalIndex(texts), np.array(sources), np.array(days))

    def dense(
        self, vector: Vectors, n: int, filters: Filters, sentences: bool = False
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the n nearest chunks, or of the chunks of the n
        nearest sentences (best sentence per chunk) when `sentences` is set."""
        collection = self.sentences if sentences else self.chunks
        with _unavailable_as_error(self.location):
            found = collection.query(
                query_embeddings=vector.reshape(1, -1),
                n_results=n,
                where=filters.where(),
                include=["distances", "metadatas"] if sentences else ["distances"],
            )
        ids = found["ids"][0]
        similarities = [1.0 - d for d in (found["distances"] or [[]])[0]]
        if sentences:
            ids = [str(m["chunk_id"]) for m in (found["metadatas"] or [[]])[0]]
        best: dict[str, float] = {}
        for chunk_id, similarity in zip(ids, similarities, strict=True):
            best.setdefault(chunk_id, similarity)
        return list(best.items())

    def hits(self, scored: Sequence[tuple[str, float]]) -> list[Hit]:
        """Load chunks by id, in the given order, as Hits carrying the given scores."""
        if not scored:
            return []
        with _unavailable_as_error(self.location):
            rows = self.chunks.get(
                ids=[chunk_id for chunk_id, _ in scored], include=["documents", "metadatas"]
            )
        by_id = {
            chunk_id: (text, meta)
            for chunk_id, text, meta in zip(
                rows["ids"], rows["documents"] or [], rows["metadatas"] or [], strict=True
            )
        }
        return [
            _hit(chunk_id, *by_id[chunk_id], score)
            for chunk_id, score in scored
            if chunk_id in by_id
        ]

    def sentence_vectors(self, hits: Sequence[Hit]) -> dict[str, Vectors]:
        """Stored sentence vectors of each hit, keyed by chunk id, in sentence order."""
        ids = [f"{h.chunk_id}::{j}" for h in hits for j in range(len(h.sentences))]
        if not ids:
            return {}
        with _unavailable_as_error(self.location):
            rows = self.sentences.get(ids=ids, include=["embeddings"])
        embeddings = rows["embeddings"] if rows["embeddings"] is not None else []
        found = dict(zip(rows["ids"], embeddings, strict=True))
        out: dict[str, Vectors] = {}
        for h in hits:
            keys = [f"{h.chunk_id}::{j}" for j in range(len(h.sentences))]
            if all(k in found for k in keys):
                out[h.chunk_id] = np.asarray([found[k] for k in keys], dtype=np.float32)
        return out

    def ping(self) -> None:
        """Raise StoreUnavailable unless Chroma answers."""
        with _unavailable_as_error(self.location):
            self.client.heartbeat()


def embedded_text(article: Article, chunk: Chunk) -> str:
    return f"{article.title}\n{chunk.text}" if article.title else chunk.text


def _article_metadata(article: Article, chunks: list[Chunk]) -> dict[str, Any]:
    published = article.published_at
    return {
        "article_id": article.article_id,
        "title": article.title,
        "source": article.source,
        "source_key": article.source.lower(),
        "url": article.url,
        "author": article.author,
        "published_at": published.isoformat() if published else "",
        "published_day": published.toordinal() if published else NO_DAY,
        "weekday": published.weekday() if published else -1,
        "content_hash": article.content_hash,
        "n_chunks": len(chunks),
        "n_sentences": sum(len(c.sentences) for c in chunks),
    }


def _chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    event_dates = sorted({d for s in chunk.sentences for d in s.event_dates})
    metadata: dict[str, Any] = {
        "index": chunk.index,
        "start": chunk.start,
        "sentence_starts": [s.start for s in chunk.sentences],
        "sentence_ends": [s.end for s in chunk.sentences],
        "sentence_dates": [" ".join(s.event_dates) for s in chunk.sentences],
    }
    if event_dates:  # Chroma refuses empty lists
        metadata["event_dates"] = event_dates
    return metadata


def _hit(chunk_id: str, text: str, meta: Mapping[str, Any], score: float) -> Hit:
    starts, ends, dates = meta["sentence_starts"], meta["sentence_ends"], meta["sentence_dates"]
    sentences = tuple(
        Sentence(s, e, tuple(d.split())) for s, e, d in zip(starts, ends, dates, strict=True)
    )
    published = meta["published_at"]
    return Hit(
        chunk_id=chunk_id,
        article_id=str(meta["article_id"]),
        title=str(meta["title"]),
        url=str(meta["url"]),
        source=str(meta["source"]),
        published_at=date.fromisoformat(published) if published else None,
        text=text,
        start=int(meta["start"]),
        score=score,
        sentences=sentences,
    )


def _pages(collection: Collection, include: list[Any], size: int = 5000) -> Iterator[Any]:
    offset = 0
    while True:
        rows = collection.get(include=include, limit=size, offset=offset)
        if not rows["ids"]:
            return
        yield rows
        offset += len(rows["ids"])


@contextmanager
def _unavailable_as_error(where: str) -> Iterator[None]:
    try:
        yield
    except (ConnectionError, OSError, TimeoutError) as error:
        raise StoreUnavailable(where) from error
    except Exception as error:
        if type(error).__module__.startswith(("httpx", "httpcore")):
            raise StoreUnavailable(where) from error
        raise
