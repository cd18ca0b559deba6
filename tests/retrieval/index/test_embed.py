"""The embedder's vectors: the exported model must be the model, for questions and for articles."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from retrieval.index.embed import Embedder
from retrieval.index.encoders import eager_encoder

QUESTIONS = [
    "What did Kerry tell Lavrov on Saturday?",
    "Who?",
    "According to PBS, what did Lavrov warn about sanctions against Russia in March 2014?",
]


def test_exported_vectors_match_sentence_transformers(embedder: Embedder) -> None:
    assert embedder.exported
    eager = eager_encoder(embedder.model, batch_size=2)
    long_article = " ".join(["Crimea's parliament voted to join Russia."] * 80)  # over 256 pieces
    numbered = [f"{question} ({n})" for n in range(30) for question in QUESTIONS]  # two batches
    for texts in ([QUESTIONS[0]], QUESTIONS, [long_article, *QUESTIONS], numbered):
        embedder.forget()
        ours = embedder.encode(texts)
        theirs = eager(texts)
        assert ours.shape == theirs.shape
        assert np.allclose(ours, theirs, atol=1e-5), texts
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_threads_encoding_at_once_get_each_their_own_vectors(embedder: Embedder) -> None:
    questions = [f"{question} ({n})" for n in range(16) for question in QUESTIONS]
    alone = embedder.encode(questions)
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
