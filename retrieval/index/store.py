"""The article index: chunk and sentence vectors in Chroma, and a snapshot kept in step with it."""

import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from chromadb.api import ClientAPI
from chromadb.api.collection_configuration import CreateCollectionConfiguration
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Metadata, Where

from retrieval.errors import StoreUnavailable
from retrieval.index.embed import Embedder
from retrieval.index.encoders import Vectors
from retrieval.index.snapshot import NO_DAY, Filters, Snapshot, load_snapshot
from retrieval.records import Article, Chunk

VECTOR_FORMAT = 2  # bump when what is embedded changes (2: sentences carry their headline)
# How stale the snapshot may be when another process writes to a shared Chroma server.
REFRESH_SECONDS = 1.0
WARM_CHUNKS = 50_000  # beyond this the words of every chunk would hold too much memory
_SPACE: CreateCollectionConfiguration = {"hnsw": {"space": "cosine"}}


class Index:
    """Articles in two Chroma collections: chunks (searched) and their sentences (for quoting)."""

    def __init__(
        self, client: ClientAPI, embedder: Embedder, name: str = "newsdesk", location: str = ""
    ) -> None:
        self.client = client
        self.embedder = embedder
        self.location = location or name
        # What the stored vectors were made with; anything else means re-embedding.
        self.vectors = f"{VECTOR_FORMAT}:{Path(embedder.model_name).name}"
        with _unavailable_as_error(self.location):
            self.chunks = self._collection(f"{name}-chunks")
            self.sentences = self._collection(f"{name}-sentences")
        self._snapshot: Snapshot | None = None
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

    def states(self, articles: Sequence[Article]) -> dict[str, str]:
        """'added', 'updated' or 'unchanged' for each article id: what writing it would do.

        One query per collection for the whole group: one per article costs a quarter of an
        ingest's time once the vectors come from the cache."""
        ids = [article.article_id for article in articles]
        where = cast(Where, {"article_id": {"$in": ids}})
        with _unavailable_as_error(self.location):
            chunks = self.chunks.get(where=where, include=["metadatas"])["metadatas"] or []
            sentences = self.sentences.get(where=where, include=["metadatas"])["metadatas"] or []
        stored: dict[str, list[Metadata]] = defaultdict(list)
        for metadata in chunks:
            stored[str(metadata["article_id"])].append(metadata)
        n_sentences = Counter(str(m["article_id"]) for m in sentences)
        return {
            article.article_id: self._state(
                article, stored[article.article_id], n_sentences[article.article_id]
            )
            for article in articles
        }

    def _state(self, article: Article, metadatas: list[Metadata], n_sentences: int) -> str:
        if not metadatas:
            return "added"
        complete = (
            all(
                m["content_hash"] == article.content_hash
                and m["n_chunks"] == len(metadatas)
                and m.get("vectors") == self.vectors
                for m in metadatas
            )
            and n_sentences == metadatas[0]["n_sentences"]
        )
        return "unchanged" if complete else "updated"

    def write(self, batch: Sequence[tuple[Article, list[Chunk]]]) -> None:
        """Embed and store articles, each replacing any older version of itself.

        Each collection gets one upsert for the whole batch, so an article is never half
        written; its sentences land before its chunks, which are what search finds first."""
        chunk_ids, chunk_texts, chunk_documents = [], [], []
        sentence_ids, sentence_texts, sentence_inputs = [], [], []
        chunk_metadatas: list[Metadata] = []
        sentence_metadatas: list[Metadata] = []
        for article, chunks in batch:
            base = {**_article_metadata(article, chunks), "vectors": self.vectors}
            for chunk in chunks:
                chunk_ids.append(chunk.chunk_id)
                chunk_texts.append(embedded_text(article, chunk.text))
                chunk_documents.append(chunk.text)
                chunk_metadatas.append({**base, **_chunk_metadata(chunk)})
                for j, sentence in enumerate(chunk.sentences):
                    sentence_ids.append(f"{chunk.chunk_id}::{j}")
                    sentence_texts.append(article.text[sentence.start : sentence.end])
                    sentence_inputs.append(embedded_text(article, sentence_texts[-1]))
                    sentence_metadatas.append({**base, "chunk_id": chunk.chunk_id})
        vectors = self.embedder.encode(chunk_texts + sentence_inputs)
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
        snapshot = self.snapshot()
        return snapshot.articles, snapshot.size

    def sources(self) -> dict[str, int]:
        """Articles per source, by the source's name as written; articles without one left out."""
        snapshot = self.snapshot()
        source_of = {hit.article_id: hit.source.lower() for hit in snapshot.chunks if hit.source}
        return {snapshot.sources[key]: n for key, n in Counter(source_of.values()).items()}

    def snapshot(self) -> Snapshot:
        """The in-memory view of the index, reloaded when any process has written since."""
        if self._snapshot is not None and time.monotonic() - self._checked_at < REFRESH_SECONDS:
            return self._snapshot
        with self._lock:
            if time.monotonic() - self._checked_at >= REFRESH_SECONDS or self._snapshot is None:
                with _unavailable_as_error(self.location):
                    metadata = self.client.get_collection(self.chunks.name).metadata or {}
                    revision = metadata.get("revision")
                    if self._snapshot is None or revision != self._snapshot.revision:
                        self._snapshot = load_snapshot(
                            self.chunks, self.sentences, str(revision) if revision else None
                        )
                        self._start_warming(self._snapshot)
                self._checked_at = time.monotonic()
            return self._snapshot

    def _start_warming(self, snapshot: Snapshot) -> None:
        """Work out every chunk's stemmed words in the background, ahead of the questions that
        would otherwise pay for them (about 0.4 ms a chunk, for some 60 candidates each)."""
        if snapshot.size > WARM_CHUNKS:
            return

        def warm() -> None:
            for row in range(snapshot.size):
                if self._snapshot is not snapshot:
                    return  # replaced by a newer one
                snapshot.terms_of(row)

        threading.Thread(target=warm, name="newsdesk-warm", daemon=True).start()

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

    def ping(self) -> None:
        """Raise StoreUnavailable unless Chroma answers."""
        with _unavailable_as_error(self.location):
            self.client.heartbeat()


def embedded_text(article: Article, text: str) -> str:
    """What the model reads for a chunk or a sentence: the headline gives it context."""
    return f"{article.title}\n{text}" if article.title else text


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
