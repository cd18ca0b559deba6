"""The HTTP API's request and response bodies."""

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from retrieval.records import ANSWER_K, MAX_HISTORY, MAX_QUESTION_CHARS, Citation, SearchRequest

MAX_K = 50

Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_CHARS)
]
SourceName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class Restrictions(BaseModel):
    """Filters shared by /ask and /search."""

    model_config = ConfigDict(extra="forbid")

    source: SourceName | None = Field(None, description="only this outlet, e.g. 'NBC News'")
    since: date | None = Field(None, description="only articles published on or after")
    until: date | None = Field(None, description="only articles published on or before")
    as_of: date | None = Field(None, description="answer as the archive stood on this day")


class AskBody(Restrictions):
    question: Text = Field(description="a question in plain words")
    k: int = Field(ANSWER_K, ge=1, le=MAX_K, description="how many articles to consider")
    history: list[Text] = Field(
        default_factory=list,
        max_length=MAX_HISTORY,
        description="earlier questions of the conversation, oldest first, for follow-ups",
    )

    def request(self) -> SearchRequest:
        return SearchRequest(
            self.question,
            self.k,
            self.source,
            self.since,
            self.until,
            self.as_of,
            tuple(self.history),
        )


class SearchBody(Restrictions):
    query: Text = Field(description="words to look for")
    k: int = Field(10, ge=1, le=MAX_K, description="how many articles to return")

    def request(self) -> SearchRequest:
        return SearchRequest(self.query, self.k, self.source, self.since, self.until, self.as_of)


class AskResponse(BaseModel):
    question: str
    answer: str
    answered: bool
    citations: list[Citation] = Field(
        description="the sources, each with the exact text quoted and its character span"
    )
    generated_by: str = Field(description="'extractive', or 'llm:<model>'")
    dropped_sentences: int = Field(
        description="sentences of the model's answer removed because their sources don't say so"
    )
    fallback: str | None = Field(
        description="why the model's answer was replaced by the extractive one, if it was"
    )
    took_ms: float


class HitOut(BaseModel):
    article_id: str
    chunk_id: str
    title: str
    url: str
    source: str
    published_at: date | None
    text: str
    score: float
    event_dates: list[str]


class SearchResponse(BaseModel):
    hits: list[HitOut]
    took_ms: float


class ErrorResponse(BaseModel):
    error: str


ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorResponse, "description": "The request is not valid"},
    503: {"model": ErrorResponse, "description": "Not ready, or the index is unreachable"},
}


class ArticleIn(BaseModel):
    """An article as POST /articles takes it (one, a JSON list, or JSON Lines); the same fields
    as ingest files. `text` may also be called `body` or `content`."""

    id: str | None = Field(None, description="default: made from the url, or title and text")
    title: str | None = None
    text: str = Field(description="the article's text; site boilerplate is removed")
    url: str | None = None
    source: str | None = Field(None, description="the outlet; default: the url's host")
    author: str | list[str] | None = None
    published_at: str | None = Field(None, description="an ISO date or datetime")


class ArticleOutcome(BaseModel):
    id: str
    status: str = Field(description="'added', 'updated' or 'unchanged'")


class IngestResponse(BaseModel):
    added: int
    updated: int
    unchanged: int
    failed: int
    chunks: int = Field(description="chunks written for the added and updated articles")
    articles: list[ArticleOutcome]
    errors: list[str] = Field(description="one line per article that could not be read")


class ArticleSummary(BaseModel):
    id: str
    title: str
    source: str
    url: str
    published_at: date | None


class ArticleOut(ArticleSummary):
    author: str
    text: str = Field(description="the cleaned text that citations' spans point into")


class ArticleList(BaseModel):
    articles: list[ArticleSummary]
    total: int
