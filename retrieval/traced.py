"""A sentence-transformers model with its transformer compiled once by torch.jit.trace.

The eager model spends about half of a single question's encode in Python (module calls,
device lookups, mode switches), holding the interpreter lock; the traced graph runs in C++."""

import logging
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from numpy.typing import NDArray
from sentence_transformers import SentenceTransformer
from transformers.utils import logging as transformers_logging

log = logging.getLogger("newsdesk.embed")
Encode = Callable[[list[str]], NDArray[np.float32]]
FEW_TEXTS = 8  # up to this many texts in a batch (questions, not articles) run on one thread
SAME_VECTOR = 0.9999  # the traced model must agree with the eager one on a probe sentence
PROBE = "Kerry told Lavrov on Saturday that Russia's moves in Crimea were a violation of law."


def traced_encoder(model: SentenceTransformer, batch_size: int) -> Encode | None:
    """Unit vectors for texts from the traced model; None where it can't stand in for the model."""
    try:
        traced = _traced(model, batch_size)
        agreement = float(np.dot(traced([PROBE])[0], eager_encoder(model, 1)([PROBE])[0]))
    except Exception as error:  # a model the tracer can't follow: the eager path still works
        log.info("kept the eager model: tracing failed (%s)", type(error).__name__)
        return None
    if agreement < SAME_VECTOR:
        log.info("kept the eager model: the traced one disagrees (cosine %.5f)", agreement)
        return None
    return traced


def sized_threads(encode: Encode) -> Encode:
    """Runs a few texts on one thread and a batch on every core. Splitting a question's small
    matrices across cores costs more than it saves (an answer 27 → 23 ms alone, 41 → 49 a second
    under load, where the other core runs Python); an article batch runs 1.8× faster on two."""
    cores = torch.get_num_threads()

    def encode_sized(texts: list[str]) -> NDArray[np.float32]:
        torch.set_num_threads(1 if len(texts) <= FEW_TEXTS else cores)
        return encode(texts)

    return encode_sized


def eager_encoder(model: SentenceTransformer, batch_size: int) -> Encode:
    def encode(texts: list[str]) -> NDArray[np.float32]:
        vectors = model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    return encode


def _traced(model: SentenceTransformer, batch_size: int) -> Encode:
    transformer: Any = model[0]
    tail = list(model)[1:]
    output_name: str = transformer.module_output_name
    hidden_name: str = transformer.modality_config["text"]["method_output_name"]
    dimension = model.get_embedding_dimension() or 0
    model.eval()

    def inputs(texts: list[str]) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
        features = model.preprocess(texts)
        tensors = {k: v for k, v in features.items() if isinstance(v, torch.Tensor)}
        return features, tensors

    # The tracer reads every attribute (deprecated ones warn) and warns of branches it fixes;
    # the probe comparison checks the result instead.
    verbosity = transformers_logging.get_verbosity()
    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    try:
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            graph = torch.jit.trace(  # type: ignore[no-untyped-call]
                transformer.model, example_kwarg_inputs=inputs([PROBE])[1], strict=False
            )
    finally:
        transformers_logging.set_verbosity(verbosity)

    def encode_batch(texts: list[str]) -> torch.Tensor:
        features, tensors = inputs(texts)
        features[output_name] = graph(**tensors)[hidden_name]
        for module in tail:
            features = module(features)
        return torch.nn.functional.normalize(features["sentence_embedding"], dim=1)

    def encode(texts: list[str]) -> NDArray[np.float32]:
        # Longest first, as sentence-transformers does, so each batch pads little.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), dimension), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                rows = order[start : start + batch_size]
                out[rows] = encode_batch([texts[i] for i in rows]).numpy()
        return out

    return encode
