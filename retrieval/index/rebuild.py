"""The catalog made again from Chroma, the store of record: when a process meets an index whose
catalog is missing (a new machine sharing a Chroma server, a deleted data dir)."""

import json
import logging
from collections import defaultdict
from datetime import date
from typing import Any

import numpy as np

from retrieval.index.catalog import Catalog, Embedded
from retrieval.index.vectors import ChunkVectors, sentence_vectors
from retrieval.records import Article, Chunk, Sentence

log = logging.getLogger("newsdesk.index")


def rebuild(catalog: Catalog, vectors: ChunkVectors, vectors_id: str) -> int:
    """Write every whole article Chroma holds into the catalog; the number written. Chunks made
    by an older newsdesk carry no sentence vectors: their articles need ingesting again."""
    chunks: dict[str, list[tuple[str, str, Any, Any]]] = defaultdict(list)
    for ids, texts, metadatas, embeddings in vectors.pages():
        for chunk_id, text, meta, vector in zip(ids, texts, metadatas, embeddings, strict=True):
            chunks[str(meta["article_id"])].append((chunk_id, text, meta, vector))
    batch = [item for parts in chunks.values() if (item := _article(parts)) is not None]
    for start in range(0, len(batch), 200):
        catalog.write(batch[start : start + 200], vectors_id)
    if len(batch) < len(chunks):
        log.warning(
            "%d articles in %s were indexed by an older newsdesk: run `newsdesk ingest` on them "
            "again",
            len(chunks) - len(batch),
            vectors.location,
        )
    return len(batch)


def _article(parts: list[tuple[str, str, Any, Any]]) -> Embedded | None:
    """An article from its chunk records, or None when they are incomplete or too old."""
    parts.sort(key=lambda part: int(part[2]["index"]))
    first = parts[0][2]
    if "article_text" not in first or len(parts) != first["n_chunks"]:
        return None
    chunks, vectors = [], []
    for chunk_id, text, meta, vector in parts:
        start = int(meta["start"])
        spans = json.loads(meta["sentences"])
        sentences = tuple(Sentence(s, e, tuple(d.split())) for s, e, d in spans)
        chunks.append(
            Chunk(
                chunk_id,
                str(meta["article_id"]),
                int(meta["index"]),
                start,
                start + len(text),
                text,
                sentences,
            )
        )
        rows = [np.asarray(vector, dtype=np.float32), *sentence_vectors(meta, len(vector))]
        vectors.append(np.array(rows, dtype=np.float32))
    published = str(first["published_at"])
    article = Article(
        article_id=str(first["article_id"]),
        title=str(first["title"]),
        text=str(first["article_text"]),
        source=str(first["source"]),
        url=str(first["url"]),
        author=str(first["author"]),
        published_at=date.fromisoformat(published) if published else None,
    )
    return Embedded(article, chunks, vectors)
