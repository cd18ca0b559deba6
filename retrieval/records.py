"""The records passed between stages: ingest → chunk → store → search → answer."""

import hashlib
from dataclasses import dataclass
from datetime import date

from retrieval.errors import InvalidRequest

MAX_QUESTION_CHARS = 1000
MAX_HISTORY = 20
ANSWER_K = 5  # articles an answer considers unless asked otherwise


@dataclass(frozen=True)
class Article:
    """One cleaned article, ready to chunk. `text` is what citations point into."""

    article_id: str
    title: str
    text: str
    source: str = ""
    url: str = ""
    author: str = ""
    published_at: date | None = None
    origin: str = ""  # the file (and line) it came from, for error messages

    @property
    def content_hash(self) -> str:
        """Changes whenever anything that is indexed changes."""
        parts = (self.title, self.text, self.source, self.url, self.author, str(self.published_at))
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: its span in the article text and the days it talks about."""

    start: int
    end: int
    event_dates: tuple[str, ...] = ()  # DateSpan.isoformat() values


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one article, sized for the embedding model."""

    chunk_id: str
    article_id: str
    index: int
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Hit:
    """A chunk found by search, with what is needed to cite it."""

    chunk_id: str
    article_id: str
    title: str
    url: str
    source: str
    published_at: date | None
    text: str
    start: int
    score: float
    sentences: tuple[Sentence, ...] = ()

    @property
    def event_dates(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d for s in self.sentences for d in s.event_dates))

    def sentence_text(self, sentence: Sentence) -> str:
        return self.text[sentence.start - self.start : sentence.end - self.start]

    def citation(self, n: int, start: int, end: int) -> "Citation":
        """Source n of an answer, quoting this chunk's text from start to end (article offsets)."""
        return Citation(
            n=n,
            article_id=self.article_id,
            title=self.title,
            url=self.url,
            source=self.source,
            published_at=self.published_at,
            quote=self.text[start - self.start : end - self.start],
            start=start,
            end=end,
            passage=self.text,
            passage_start=self.start,
        )


@dataclass(frozen=True)
class Citation:
    """Source n of an answer: the article and the exact text quoted from it."""

    n: int
    article_id: str
    title: str
    url: str
    source: str
    published_at: date | None
    quote: str
    start: int  # character span of the quote in the article text
    end: int
    passage: str  # the chunk the quote was taken from, to show it in its context
    passage_start: int  # where the passage starts in the article text


@dataclass(frozen=True)
class Answer:
    """What every interface renders: text with [n] markers and the citations they refer to."""

    question: str
    text: str
    answered: bool
    citations: tuple[Citation, ...] = ()
    generated_by: str = "extractive"  # or "llm:<model>"
    took_ms: float = 0.0
    dropped_sentences: int = 0  # model sentences removed because their sources don't support them
    fallback: str | None = None  # why a model's answer was replaced by the extractive one
    draft: bool = False  # text streamed from a model, not yet verified; it has no citations


@dataclass(frozen=True)
class SearchRequest:
    """A question (or search words) and the restrictions a user can put on it; every interface
    builds one, so each checks questions the same way. `since` after `until` is a window that
    holds no article, not a mistake: the question is declined as any other the archive can't
    answer, as one whose `as_of` comes before its `since` already was."""

    query: str
    k: int = 10
    source: str | None = None
    since: date | None = None
    until: date | None = None
    as_of: date | None = None  # the archive as it stood that day: nothing published later
    history: tuple[str, ...] = ()  # earlier questions of the same conversation, oldest first

    def __post_init__(self) -> None:
        if not self.query.strip():
            raise InvalidRequest("the question is empty")
        if len(self.query) > MAX_QUESTION_CHARS:
            raise InvalidRequest(f"the question is over {MAX_QUESTION_CHARS} characters")
        if self.k < 1:
            raise InvalidRequest(f"k ({self.k}) must be at least 1")
        if len(self.history) > MAX_HISTORY:
            raise InvalidRequest(f"history holds over {MAX_HISTORY} questions")
        if any(len(q) > MAX_QUESTION_CHARS for q in self.history):
            raise InvalidRequest(f"a question of history is over {MAX_QUESTION_CHARS} characters")
