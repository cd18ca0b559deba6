"""Chunks: whole sentences, within the model's reach, with spans that point into the article."""

from datetime import date

import pytest

from retrieval.ingest.chunk import MAX_WORDS, chunk_article
from retrieval.ingest.files import read_paths
from retrieval.ingest.sentences import split_sentences
from retrieval.records import Article
from tests.helpers import NBC, SEEDS


def seeds() -> dict[str, Article]:
    return {a.article_id: a for a in read_paths([SEEDS]) if isinstance(a, Article)}


def test_chunk_spans_are_exact_article_text_and_cover_every_sentence() -> None:
    for article in seeds().values():
        chunks = chunk_article(article)
        for chunk in chunks:
            assert chunk.text == article.text[chunk.start : chunk.end]
            assert len(chunk.text.split()) <= MAX_WORDS
            assert chunk.chunk_id == f"{article.article_id}::{chunk.index}"
        covered = [(s.start, s.end) for c in chunks for s in c.sentences]
        assert covered == split_sentences(article.text)


def test_paragraphs_start_new_chunks_once_a_chunk_is_big_enough() -> None:
    paragraph = " ".join(["The quick brown fox jumps over the lazy dog again."] * 12)  # 120 words
    article = Article("a", "T", f"{paragraph}\n\n{paragraph}\n\nShort closing line here.")

    chunks = chunk_article(article)

    assert [len(c.text.split()) for c in chunks] == [120, 120 + 4]
    assert chunks[1].text.startswith("The quick")


def test_relative_days_are_resolved_against_the_publication_date() -> None:
    nbc = seeds()[NBC]
    sentences = {nbc.text[s.start : s.end]: s for c in chunk_article(nbc) for s in c.sentences}

    kerry = next(s for text, s in sentences.items() if "telephone call on Saturday" in text)
    merkel = next(s for text, s in sentences.items() if "On Friday night" in text)
    assert kerry.event_dates == ("2014-03-08",)
    assert merkel.event_dates == ("2014-03-07",)


def test_undated_articles_get_no_event_dates() -> None:
    article = Article("u", "T", "The vote was held on Saturday.", published_at=None)

    assert chunk_article(article)[0].sentences[0].event_dates == ()


def test_sizes_are_validated() -> None:
    with pytest.raises(
        ValueError, match=r"min_words \(300\) must be between 1 and max_words \(200\)"
    ):
        chunk_article(Article("a", "T", "Text.", published_at=date(2024, 1, 1)), 200, 300)
