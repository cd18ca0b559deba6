"""The chunk collection in Chroma: each chunk's vector, searched by Chroma's HNSW index, with its
text and metadata. Its metadata also carries the sentence spans and vectors, so Chroma holds
everything the catalog is made of and stays the store of record."""

import base64
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.collection_configuration import CreateCollectionConfiguration
from chromadb.api.types import Metadata, Where

from retrieval.errors import StoreUnavailable
from retrieval.index.catalog import STORED, Embedded
from retrieval.index.encoder import Vectors
from retrieval.index.filters import NO_DAY

_SPACE: CreateCollectionConfiguration = {"hnsw": {"space": "cosine"}}
PAGE = 2000  # records per read when the catalog is rebuilt


class ChunkVectors:
    """One Chroma collection of chunks, on disk or on a Chroma server."""

    def __init__(self, client: ClientAPI, name: str, location: str) -> None:
        self.client = client
        self.location = location
        with unavailable_as_error(location):
            # No embedding function: Chroma's default one would try to download a model.
            self.collection = client.get_or_create_collection(
                f"{name}-chunks", configuration=_SPACE, embedding_function=None
            )

    def upsert(self, batch: Sequence[Embedded], vectors_id: str) -> None:
        """Store the chunks of these articles, then drop what older versions had beyond them."""
        ids, texts, vectors, metadatas = [], [], [], []
        for item in batch:
            for chunk, chunk_vectors in zip(item.chunks, item.vectors, strict=True):
                ids.append(chunk.chunk_id)
                texts.append(chunk.text)
                vectors.append(chunk_vectors[0])
                metadatas.append(_metadata(item, chunk.index, chunk_vectors, vectors_id))
        article_ids = [item.article.article_id for item in batch]
        with unavailable_as_error(self.location):
            if ids:
                self.collection.upsert(
                    ids=ids, embeddings=np.array(vectors), documents=texts, metadatas=metadatas
                )
            where = cast(Where, {"article_id": {"$in": article_ids}})
            old = self.collection.get(where=where, include=[])["ids"]
            stale = [i for i in old if i not in set(ids)]
            if stale:
                self.collection.delete(ids=stale)

    def delete(self, article_id: str) -> None:
        with unavailable_as_error(self.location):
            self.collection.delete(where={"article_id": article_id})

    def nearest(self, vector: Vectors, n: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the n nearest chunks."""
        with unavailable_as_error(self.location):
            found = self.collection.query(
                query_embeddings=vector.reshape(1, -1),
                n_results=n,
                include=["distances"],
            )
        distances = (found["distances"] or [[]])[0]
        return [(i, 1.0 - d) for i, d in zip(found["ids"][0], distances, strict=True)]

    def count(self) -> int:
        with unavailable_as_error(self.location):
            return self.collection.count()

    def pages(self) -> Iterator[tuple[list[str], list[str], list[Metadata], Any]]:
        """(ids, texts, metadatas, vectors) of every chunk, a page at a time."""
        offset = 0
        while True:
            with unavailable_as_error(self.location):
                rows = self.collection.get(
                    include=["documents", "metadatas", "embeddings"], limit=PAGE, offset=offset
                )
            if not rows["ids"]:
                return
            yield rows["ids"], rows["documents"] or [], rows["metadatas"] or [], rows["embeddings"]
            offset += len(rows["ids"])

    def ping(self) -> None:
        """Raise StoreUnavailable unless Chroma answers."""
        with unavailable_as_error(self.location):
            self.client.heartbeat()


def _metadata(item: Embedded, index: int, vectors: Vectors, vectors_id: str) -> Metadata:
    article, chunk = item.article, item.chunks[index]
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
        "content_hash": article.content_hash,
        "n_chunks": len(item.chunks),
        "vectors": vectors_id,
        "index": chunk.index,
        "start": chunk.start,
        "sentences": json.dumps(
            [[s.start, s.end, " ".join(s.event_dates)] for s in chunk.sentences]
        ),
        "sentence_vectors": base64.b64encode(vectors[1:].astype(STORED).tobytes()).decode(),
        # The first chunk carries the whole article, so the catalog can be rebuilt exactly.
        **({"article_text": article.text} if chunk.index == 0 else {}),
    }


def sentence_vectors(metadata: Metadata, dimension: int) -> Vectors:
    """The sentence vectors a chunk's metadata carries."""
    raw = base64.b64decode(str(metadata["sentence_vectors"]))
    return np.frombuffer(raw, dtype=STORED).astype(np.float32).reshape(-1, dimension)


@contextmanager
def unavailable_as_error(where: str) -> Iterator[None]:
    try:
        yield
    except (ConnectionError, OSError, TimeoutError) as error:
        raise StoreUnavailable(where) from error
    except Exception as error:
        if type(error).__module__.startswith(("httpx", "httpcore")):
            raise StoreUnavailable(where) from error
        raise
