"""The HTTP API's request and response bodies."""

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from retrieval.records import ANSWER_K, MAX_HISTORY, MAX_QUESTION_CHARS, Citation, SearchRequest

MAX_K = 50

Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_CHARS)
]
SourceName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
ArticleId = Annotated[str, StringConstraints(min_length=1, max_length=200)]
MAX_ANSWER_CHARS = 10_000  # a model's answer is capped at a few hundred tokens
MAX_CITED = 50


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


class SourceOut(BaseModel):
    name: str = Field(description="the outlet, as its articles write it")
    articles: int


class SourcesResponse(BaseModel):
    sources: list[SourceOut] = Field(description="every outlet in the index, by name")


class VoteBody(BaseModel):
    """A 👍 or 👎 on an answer the web page showed, with the answer itself."""

    model_config = ConfigDict(extra="forbid")

    question: Text
    answer: str = Field(max_length=MAX_ANSWER_CHARS, description="the answer's text")
    article_ids: list[ArticleId] = Field(
        max_length=MAX_CITED, description="the articles it cited, in order"
    )
    vote: Literal["up", "down"]


class ErrorResponse(BaseModel):
    error: str


ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorResponse, "description": "The request is not valid"},
    503: {"model": ErrorResponse, "description": "Not ready, or the index is unreachable"},
}
