"""Export a sentence-transformers model to ONNX once, in a child process, so that no serving
process needs torch: `python -m retrieval.index.export MODEL FOLDER`.

The graph maps word pieces to their contextual vectors (the transformer's last layer), so the
runtime can pool any span of a text: the whole text for its vector, each sentence for its own
("late chunking"). A copy with its matrix products quantised to 8-bit integers runs about twice
as fast; it is kept only when its vectors agree with the model's on the probes.
"""

import json
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from sentence_transformers import SentenceTransformer
from sentence_transformers.models import Normalize, Pooling, Transformer

from retrieval.index.encoder import MANIFEST, POOLING, TokenEncoder

# Texts the exported model must encode as the model does: short, long, and past 256 pieces.
PROBES = [
    "Kerry told Lavrov on Saturday that Russia's moves in Crimea were a violation of law.",
    "Who?",
    "Lavrov warns Kerry\n" + " ".join(["Crimea's parliament voted to join Russia."] * 40),
]
SAME_VECTOR = 0.9999  # the float graph is the model
CLOSE_VECTOR = 0.98  # the 8-bit graph is near it, on average (on squad-a texts: 0.994)


def export(model_path: str, folder: Path) -> None:
    """Write model.onnx (and model.int8.onnx when close enough), the tokenizer and MANIFEST."""
    model = SentenceTransformer(model_path, device="cpu", local_files_only=True).eval()
    transformer, pooling = model[0], model[1]
    if not (
        isinstance(transformer, Transformer)
        and isinstance(pooling, Pooling)
        and pooling.pooling_mode in POOLING
        and all(isinstance(m, Normalize) for m in list(model)[2:])
    ):
        raise ValueError(f"{model_path}: only mean- or CLS-pooled transformers can be exported")
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=folder.parent))
    try:
        _export_graph(model, transformer, work / "model.onnx")
        transformer.tokenizer.backend_tokenizer.save(str(work / "tokenizer.json"))
        quantize_dynamic(
            work / "model.onnx",
            work / "model.int8.onnx",
            op_types_to_quantize=["MatMul"],
            per_channel=True,
            weight_type=QuantType.QInt8,
        )
        expected = model.encode(PROBES, normalize_embeddings=True, convert_to_numpy=True)
        manifest = {
            "max_tokens": model.max_seq_length,
            "dimension": expected.shape[1],
            "pooling": pooling.pooling_mode,
        }
        (work / MANIFEST).write_text(json.dumps({**manifest, "graph": "model.onnx"}))
        if _agreement(TokenEncoder(work), expected).min() < SAME_VECTOR:
            raise ValueError(f"{model_path}: the exported graph disagrees with the model")
        (work / MANIFEST).write_text(json.dumps({**manifest, "graph": "model.int8.onnx"}))
        if _agreement(TokenEncoder(work), expected).mean() < CLOSE_VECTOR:
            (work / MANIFEST).write_text(json.dumps({**manifest, "graph": "model.onnx"}))
        try:
            work.rename(folder)  # whole or not at all
        except OSError:
            if not (folder / MANIFEST).is_file():  # else another process exported it first
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _agreement(encoder: TokenEncoder, expected: np.ndarray) -> np.ndarray:
    """The cosine of each probe's vector with the model's."""
    return np.sum(encoder.encode(PROBES) * expected, axis=1)  # type: ignore[no-any-return]


def _export_graph(model: SentenceTransformer, transformer: Transformer, path: Path) -> None:
    names = ["input_ids", "attention_mask", "token_type_ids"]

    class Pieces(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = transformer.auto_model

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            output = self.model(**dict(zip(names, tensors, strict=True)))
            return output.last_hidden_state  # type: ignore[no-any-return]

    example = model.preprocess(PROBES[:1])
    # The tracer warns of every branch it fixes; the probes check the result instead.
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pieces().eval(),
            tuple(example[name] for name in names),
            path,
            input_names=names,
            output_names=["pieces"],
            dynamic_axes={name: {0: "texts", 1: "pieces"} for name in [*names, "pieces"]},
            dynamo=False,
        )


if __name__ == "__main__":
    export(sys.argv[1], Path(sys.argv[2]))
