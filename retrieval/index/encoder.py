"""The exported model run by onnxruntime, without torch: word pieces → contextual vectors →
mean-pooled unit vectors, for whole texts and for spans of them.

One run per core at a time, each on one thread: a question encodes on one core while another
question (or the rest of an article batch) uses the other, and the runtime lets go of the
interpreter lock while it works.
"""

import json
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import onnxruntime
from numpy.typing import NDArray
from tokenizers import Encoding, Tokenizer

from retrieval.index.cores import cores

MANIFEST = "encoder.json"
POOLING = ("mean", "cls")  # how a text's vector comes from its pieces
Vectors = NDArray[np.float32]
Span = tuple[int, int]  # characters [start, end) of a text


class TokenEncoder:
    """The graph and tokenizer an export wrote into `folder`."""

    def __init__(self, folder: Path, batch_size: int = 32) -> None:
        self.folder = folder
        manifest = json.loads((folder / MANIFEST).read_text())
        self.dimension: int = manifest["dimension"]
        self.graph: str = manifest["graph"]
        self.pooling: str = manifest.get("pooling", "mean")
        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(manifest["max_tokens"])
        self.tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(folder / self.graph), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = [i.name for i in self.session.get_inputs()]
        self._slots = threading.BoundedSemaphore(cores())  # more runs than cores only queue
        self._pool = ThreadPoolExecutor(cores(), thread_name_prefix="encode")

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One unit vector per text: the mean of its pieces' vectors."""
        return np.array([v[0] for v in self.encode_spans(texts, [[] for _ in texts])]).reshape(
            len(texts), self.dimension
        )

    def encode_spans(self, texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> list[Vectors]:
        """Per text, its own unit vector and then one per span, from the same pass over the text
        (a span beyond the model's reach gets the text's vector)."""
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # batches pad little
        batches = [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        run = self._pool.map if len(batches) > 1 else map
        out: list[Vectors] = [np.zeros(0, np.float32)] * len(texts)
        pooled = run(
            lambda rows: self._batch([texts[r] for r in rows], [spans[r] for r in rows]), batches
        )
        for rows, vectors in zip(batches, pooled, strict=True):
            for row, vector in zip(rows, vectors, strict=True):
                out[row] = vector
        return out

    def _batch(self, texts: list[str], spans: list[Sequence[Span]]) -> list[Vectors]:
        encodings = self.tokenizer.encode_batch(texts)
        pieces = self._run(encodings)
        return [
            _pool(pieces[i, : len(e.ids)], e, spans[i], self.pooling)
            for i, e in enumerate(encodings)
        ]

    def _run(self, encodings: list[Encoding]) -> NDArray[np.float32]:
        width = max((len(e.ids) for e in encodings), default=0)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for i, e in enumerate(encodings):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        with self._slots:
            (pieces,) = self.session.run(None, {name: feed[name] for name in self.inputs})
        return np.asarray(pieces, dtype=np.float32)


def _pool(
    pieces: NDArray[np.float32], encoding: Encoding, spans: Sequence[Span], pooling: str
) -> Vectors:
    """The text's vector (as sentence-transformers pools it) and each span's (the mean of the
    pieces that overlap it)."""
    vectors = [pieces[0] if pooling == "cls" else pieces.mean(axis=0)]
    if spans:
        offsets = np.array(encoding.offsets, dtype=np.int64).reshape(-1, 2)
        word = ~np.array(encoding.special_tokens_mask, dtype=bool)
        for start, end in spans:
            inside = word & (offsets[:, 0] < end) & (offsets[:, 1] > start)
            vectors.append(pieces[inside].mean(axis=0) if inside.any() else vectors[0])
    out = np.array(vectors, dtype=np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)  # type: ignore[no-any-return]
