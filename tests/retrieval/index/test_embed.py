"""The embedder's vectors: the exported model must be the model, for questions and articles;
a sentence's vector comes from its chunk's pass; no serving process loads torch."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from sentence_transformers import SentenceTransformer

from retrieval.index.embed import Embedder
from retrieval.index.export import CLOSE_VECTOR, SAME_VECTOR

QUESTIONS = [
    "What did Kerry tell Lavrov on Saturday?",
    "Who?",
    "According to PBS, what did Lavrov warn about sanctions against Russia in March 2014?",
]
CHUNK = (
    "Kerry Urges Russia to Exercise Utmost Restraint in Crimea\n"
    "Kerry told Lavrov on Saturday that annexing Crimea would close the door to diplomacy. "
    "The Super Bowl was played at Levi's Stadium in Santa Clara."
)


def test_exported_vectors_match_sentence_transformers(embedder: Embedder) -> None:
    model = SentenceTransformer(embedder.model_name, device="cpu", local_files_only=True)
    quantised = embedder.encoder.graph.endswith(".int8.onnx")
    long_article = " ".join(["Crimea's parliament voted to join Russia."] * 80)  # over 256 pieces
    numbered = [f"{question} ({n})" for n in range(30) for question in QUESTIONS]  # two batches
    for texts in ([QUESTIONS[0]], QUESTIONS, [long_article, *QUESTIONS], numbered):
        embedder.forget()
        ours = embedder.encode(texts)
        theirs = model.encode(texts, normalize_embeddings=True)
        cosines = np.sum(ours * theirs, axis=1)
        assert ours.shape == theirs.shape
        if quantised:
            assert cosines.mean() >= CLOSE_VECTOR and cosines.min() > 0.95, texts
        else:
            assert cosines.min() >= SAME_VECTOR, texts
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_each_sentence_is_read_in_its_chunk(embedder: Embedder) -> None:
    kerry = CHUNK.index("Kerry told")
    bowl = CHUNK.index("The Super Bowl")
    [vectors] = embedder.encode_spans([CHUNK], [[(kerry, bowl - 1), (bowl, len(CHUNK))]])
    chunk, in_kerry, in_bowl = vectors
    alone = embedder.encode([CHUNK[kerry : bowl - 1], CHUNK[bowl:], "Who won the Super Bowl?"])

    assert vectors.shape == (3, embedder.dimension)
    assert np.allclose(chunk, embedder.encode([CHUNK])[0], atol=1e-5)
    assert in_kerry @ alone[0] > 0.8 and in_bowl @ alone[1] > 0.7
    assert in_bowl @ alone[2] > in_kerry @ alone[2]  # each span keeps its own meaning


def test_threads_encoding_at_once_get_each_their_own_vectors(embedder: Embedder) -> None:
    questions = [f"{question} ({n})" for n in range(16) for question in QUESTIONS]
    embedder.forget()
    alone = [embedder.encode([question])[0] for question in questions]
    embedder.forget()
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda question: embedder.encode([question])[0], questions))
    assert np.allclose(together, alone, atol=1e-5)
    assert embedder.encode([]).shape == (0, embedder.dimension)


def test_related_texts_are_nearer_than_unrelated_ones(embedder: Embedder) -> None:
    question, related, unrelated = embedder.encode(
        [
            "What did Kerry tell Lavrov?",
            "Kerry told Lavrov that annexing Crimea would end diplomacy.",
            "The Super Bowl was played at Levi's Stadium.",
        ]
    )
    assert question @ related > question @ unrelated + 0.2


def test_a_process_that_embeds_never_loads_torch(embedder: Embedder) -> None:
    folder = embedder.encoder.folder.parent
    script = (
        "import sys; from pathlib import Path; from retrieval.index.embed import Embedder; "
        f"Embedder(Path({str(folder)!r})).encode(['Kerry']); "
        "print(sorted(m for m in ('torch', 'sentence_transformers') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)

    assert loaded.stdout.strip() == "[]", loaded.stderr
