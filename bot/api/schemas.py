"""The HTTP API's request and response bodies, and the error responses each route documents."""

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from bot.api.access import MAX_ARTICLES_BYTES, MAX_BODY_BYTES
from retrieval.ingest.articles import MAX_ARTICLE_CHARS
from retrieval.records import ANSWER_K, MAX_HISTORY, MAX_QUESTION_CHARS, Citation, SearchRequest

MAX_K = 50
# Some character str.strip() keeps: spelled out, so the schema's regex means the same in every
# engine (Python's \s also covers \x1c-\x1f, JavaScript's and Rust's don't).
NOT_BLANK = r"[^\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """Only what the schema's `format: date` allows, e.g. 2014-03-08: not 0, not 20140308."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError("must be a date like 2014-03-08")


def _json_integer(value: object) -> object:
    """Only JSON numbers, as the schema's `type: integer` allows: not "5", not true."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number")
    return value


Text = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_QUESTION_CHARS, pattern=NOT_BLANK),
    AfterValidator(str.strip),
]
SourceName = Annotated[str, StringConstraints(max_length=200)]
Day = Annotated[date, BeforeValidator(_iso_date)]
Count = Annotated[int, BeforeValidator(_json_integer)]
ArticleId = Annotated[str, StringConstraints(min_length=1, max_length=200)]
MAX_ANSWER_CHARS = 10_000  # a model's answer is capped at a few hundred tokens
MAX_CITED = 50


class Restrictions(BaseModel):
    """Filters shared by /ask and /search."""

    model_config = ConfigDict(extra="forbid")

    source: SourceName | None = Field(None, description="only this outlet, e.g. 'NBC News'")
    since: Day | None = Field(None, description="only articles published on or after")
    until: Day | None = Field(
        None, description="only articles published on or before; earlier than `since`: none"
    )
    as_of: Day | None = Field(None, description="answer as the archive stood on this day")

    def _source(self) -> str | None:
        return (self.source or "").strip() or None


class AskBody(Restrictions):
    question: Text = Field(description="a question in plain words")
    k: Count = Field(ANSWER_K, ge=1, le=MAX_K, description="how many articles to consider")
    history: list[Text] = Field(
        default_factory=list,
        max_length=MAX_HISTORY,
        description="earlier questions of the conversation, oldest first, for follow-ups",
    )

    def request(self) -> SearchRequest:
        return SearchRequest(
            self.question,
            self.k,
            self._source(),
            self.since,
            self.until,
            self.as_of,
            tuple(self.history),
        )


class SearchBody(Restrictions):
    query: Text = Field(description="words to look for")
    k: Count = Field(10, ge=1, le=MAX_K, description="how many articles to return")

    def request(self) -> SearchRequest:
        return SearchRequest(self.query, self.k, self._source(), self.since, self.until, self.as_of)


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


class ReadyResponse(BaseModel):
    status: str
    articles: int
    chunks: int


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


_ERROR_TEXTS: dict[int, dict[str, Any]] = {
    400: {"description": "The body is not JSON"},
    401: {
        "description": "The API token is missing or wrong (only when NEWSDESK_API_TOKEN is set)",
        "headers": {"WWW-Authenticate": {"schema": {"type": "string", "const": "Bearer"}}},
    },
    404: {"description": "No article with that id in the index"},
    413: {
        "description": f"The body is over {MAX_BODY_BYTES // 1024} KiB "
        f"({MAX_ARTICLES_BYTES // 1024 // 1024} MiB for POST /articles)"
    },
    409: {"description": "The archive holds no articles yet"},
    422: {"description": "The request is not valid: the message names the field"},
    429: {
        "description": "Over the client's rate limit (only when NEWSDESK_RATE_LIMIT is set)",
        "headers": {
            "Retry-After": {
                "description": "seconds to wait",
                "schema": {"type": "integer", "minimum": 1},
            }
        },
    },
    503: {"description": "Not ready, or the index (or the rate limit's store) is unreachable"},
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI responses of these error statuses: the error body, and the headers it has."""
    return {status: {"model": ErrorResponse, **_ERROR_TEXTS[status]} for status in statuses}


# Every error a route that takes a JSON body and needs the API token can answer.
ERRORS = errors(400, 401, 409, 413, 422, 429, 503)


class ArticleIn(BaseModel):
    """An article as POST /articles takes it (one, a JSON list, or JSON Lines); the same fields
    as ingest files."""

    model_config = ConfigDict(strict=True)

    id: str | None = Field(None, description="default: made from the url, or title and text")
    title: str | None = None
    text: str = Field(
        min_length=1,
        max_length=MAX_ARTICLE_CHARS,
        pattern=r"\w",
        description="the article's text, with a letter or digit; site boilerplate is removed",
    )
    url: str | None = None
    source: str | None = Field(None, description="the outlet; default: the url's host")
    author: str | list[str] | None = None
    published_at: datetime | date | None = Field(None, description="an ISO date or datetime")

    def record(self) -> dict[str, Any]:
        """The fields as an ingest file's record has them."""
        return self.model_dump()


class ArticleOutcome(BaseModel):
    id: str
    status: str = Field(description="'added', 'updated' or 'unchanged'")


class IngestResponse(BaseModel):
    """What became of each article of a POST /articles: those that could not be read are
    counted in `failed`, each with a line in `errors`; the others are stored."""

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


# ASCII, as URLs travel: a non-ASCII host in punycode, other characters percent-encoded.
FEED_URL = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$"
MAX_EVERY_S = 7 * 86400


class FeedIn(BaseModel):
    """A feed or sitemap to follow, as POST /feeds takes it."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000, pattern=FEED_URL, description="an RSS/Atom feed or sitemap")
    every_s: Annotated[int, Field(ge=1, le=MAX_EVERY_S), BeforeValidator(_json_integer)] | None = (
        Field(
            None,
            description="read it every so many seconds (to 7 days); default NEWSDESK_FEEDS_EVERY",
        )
    )
    source: SourceName | None = Field(None, description="file its articles under this outlet")


class FeedOut(BaseModel):
    url: str
    every: str = Field(description="e.g. 15m, 2h, 90s")
    source: str | None
    last_fetch: datetime | None
    next_fetch: datetime | None = Field(description="in the past: due, polled within a second")
    new_articles: int = Field(description="added or updated by the last fetch")
    new_articles_total: int
    last_error: str | None = Field(description="why the last fetch, or some of its entries, failed")
    failures: int = Field(description="fetches in a row that failed; each doubles the wait")
    lag_s: float | None = Field(
        description="seconds from publication to indexing, for the freshest new article"
    )


class FeedList(BaseModel):
    feeds: list[FeedOut]
