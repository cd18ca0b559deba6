"""Article → chunks of whole sentences, each within what the embedding model reads."""

from retrieval.ingest.dates import anchor_dates
from retrieval.ingest.mentions import event_spans
from retrieval.ingest.sentences import split_sentences
from retrieval.records import Article, Chunk, Sentence

# all-MiniLM-L6-v2 reads 256 word pieces, about 190 English words; stay under it with the title.
MAX_WORDS = 170
# A chunk may end early at a paragraph break once it holds this much.
MIN_WORDS = 100
# A last chunk shorter than this joins the one before when both fit: a stub has no context.
STUB_WORDS = 40


def chunk_article(
    article: Article,
    max_words: int = MAX_WORDS,
    min_words: int = MIN_WORDS,
) -> list[Chunk]:
    """Split an article into chunks of consecutive sentences with their character spans."""
    if not 0 < min_words <= max_words:
        raise ValueError(f"min_words ({min_words}) must be between 1 and max_words ({max_words})")
    text = article.text
    spans = split_sentences(text)
    dates = _event_dates(article, spans)
    sentences = [Sentence(s, e, d) for (s, e), d in zip(spans, dates, strict=True)]
    groups: list[list[Sentence]] = []
    sizes: list[int] = []
    for sentence in sentences:
        n = len(text[sentence.start : sentence.end].split())
        starts_paragraph = "\n\n" in text[groups[-1][-1].end : sentence.start] if groups else True
        if not groups or sizes[-1] + n > max_words or (starts_paragraph and sizes[-1] >= min_words):
            groups.append([])
            sizes.append(0)
        groups[-1].append(sentence)
        sizes[-1] += n
    if len(groups) > 1 and sizes[-1] < STUB_WORDS and sizes[-2] + sizes[-1] <= max_words:
        groups[-2:] = [groups[-2] + groups[-1]]
    return [_chunk(article, i, group) for i, group in enumerate(groups)]


def _event_dates(article: Article, spans: list[tuple[int, int]]) -> list[tuple[str, ...]]:
    """The days each sentence talks about, resolved against the article's own date."""
    if article.published_at is None:
        return [() for _ in spans]
    anchors = anchor_dates(article.text, article.published_at, [start for start, _ in spans])
    return [
        tuple(span.isoformat() for span in event_spans(article.text[start:end], anchor))
        for (start, end), anchor in zip(spans, anchors, strict=True)
    ]


def _chunk(article: Article, index: int, sentences: list[Sentence]) -> Chunk:
    start, end = sentences[0].start, sentences[-1].end
    return Chunk(
        chunk_id=f"{article.article_id}::{index}",
        article_id=article.article_id,
        index=index,
        start=start,
        end=end,
        text=article.text[start:end],
        sentences=tuple(sentences),
    )
