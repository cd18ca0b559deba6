"""The sentence-transformers model exported to ONNX once at start and run by onnxruntime: a
question encodes on one core in half the time sentence-transformers takes (BENCHMARKS.md, "HTTP
latency"), and the runtime lets go of the interpreter lock, so each core can encode a question
at the same time."""

import logging
import tempfile
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import torch
from numpy.typing import NDArray
from sentence_transformers import SentenceTransformer
from transformers.utils import logging as transformers_logging

from retrieval.index.cores import cores

log = logging.getLogger("newsdesk.embed")
Vectors = NDArray[np.float32]
Encode = Callable[[list[str]], Vectors]
SAME_VECTOR = 0.9999  # the exported model must agree with the eager one on a probe sentence
PROBE = "Kerry told Lavrov on Saturday that Russia's moves in Crimea were a violation of law."


def exported_encoder(model: SentenceTransformer, batch_size: int) -> Encode | None:
    """Unit vectors for texts from the exported model; None where it can't stand in for the
    model (an architecture the exporter can't follow, or vectors that disagree)."""
    try:
        exported = _exported(model, batch_size)
        agreement = float(np.dot(exported([PROBE])[0], eager_encoder(model, 1)([PROBE])[0]))
    except Exception as error:
        log.info("kept the eager model: the ONNX export failed (%s)", type(error).__name__)
        return None
    if agreement < SAME_VECTOR:
        log.info("kept the eager model: the exported one disagrees (cosine %.5f)", agreement)
        return None
    return exported


def eager_encoder(model: SentenceTransformer, batch_size: int) -> Encode:
    """sentence-transformers' own encode, one call at a time: each one uses every core."""
    lock = threading.Lock()

    def encode(texts: list[str]) -> NDArray[np.float32]:
        with lock:
            vectors = model.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    return encode


def _exported(model: SentenceTransformer, batch_size: int) -> Encode:
    import onnxruntime

    model.eval()
    dimension = model.get_embedding_dimension() or 0
    example = _tensors(model, [PROBE])
    names = list(example)
    options = onnxruntime.SessionOptions()
    # One thread per run; parallelism comes from running one text batch per core at once.
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    with tempfile.TemporaryDirectory() as folder:
        graph = Path(folder) / "model.onnx"
        _export(model, example, graph)
        session = onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
    slots = threading.BoundedSemaphore(cores())  # more runs than cores would only queue in the OS
    pool = ThreadPoolExecutor(cores(), thread_name_prefix="encode")

    def encode_batch(texts: list[str]) -> NDArray[np.float32]:
        tensors = _tensors(model, texts)
        with slots:
            (vectors,) = session.run(None, {name: tensors[name].numpy() for name in names})
        return np.asarray(vectors, dtype=np.float32)

    def encode(texts: list[str]) -> NDArray[np.float32]:
        # Longest first, as sentence-transformers does, so each batch pads little.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        batches = [order[start : start + batch_size] for start in range(0, len(order), batch_size)]
        chunks = [[texts[i] for i in rows] for rows in batches]
        encoded = (pool.map if len(chunks) > 1 else map)(encode_batch, chunks)
        out = np.zeros((len(texts), dimension), dtype=np.float32)
        for rows, vectors in zip(batches, encoded, strict=True):
            out[rows] = vectors
        return out

    return encode


def _tensors(model: SentenceTransformer, texts: list[str]) -> dict[str, torch.Tensor]:
    """The tokenizer's output: word-piece ids, attention mask and the like, cut to the model's
    limit."""
    features = model.preprocess(texts)
    return {name: value for name, value in features.items() if isinstance(value, torch.Tensor)}


def _export(model: SentenceTransformer, example: dict[str, torch.Tensor], path: Path) -> None:
    """Write the model, from word pieces to unit vectors, as an ONNX graph taking the tensors
    named in `example` at any batch size and length."""
    names = list(example)

    class Positional(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            features = self.model(dict(zip(names, tensors, strict=True)))
            return torch.nn.functional.normalize(features["sentence_embedding"], dim=1)

    # The tracer reads every attribute (deprecated ones warn) and warns of branches it fixes;
    # the probe comparison checks the result instead.
    verbosity = transformers_logging.get_verbosity()
    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    try:
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Positional().eval(),
                tuple(example[name] for name in names),
                path,
                input_names=names,
                output_names=["vectors"],
                dynamic_axes={name: {0: "texts", 1: "pieces"} for name in names},
                dynamo=False,  # the TorchScript exporter: 1.5 s at start
            )
    finally:
        transformers_logging.set_verbosity(verbosity)
