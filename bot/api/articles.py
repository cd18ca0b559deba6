"""The archive over HTTP: add articles while serving, read, list and delete them."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from bot.api.deps import ADMIN, GUARDED, Ready
from bot.api.schemas import (
    ERRORS,
    ArticleIn,
    ArticleList,
    ArticleOut,
    IngestResponse,
    errors,
)
from bot.metrics import INDEX_WRITE_SECONDS
from retrieval.errors import BadInput, NotFound
from retrieval.index.writer import IngestReport, index_articles
from retrieval.ingest.articles import article_from_record
from retrieval.records import Article

MAX_ARTICLES = 1000  # per request; send more in several
MAX_OFFSET = 10**9  # SQLite counts in 64 bits; no archive is deeper
JSON_LINES = ("application/x-ndjson", "application/jsonl", "application/jsonlines")
router = APIRouter()
ONE_ARTICLE = TypeAdapter(ArticleIn)
MANY_ARTICLES = TypeAdapter(Annotated[list[ArticleIn], Field(max_length=MAX_ARTICLES)])
ONE = ArticleIn.model_json_schema()
BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"anyOf": [ONE, {"type": "array", "items": ONE}]}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/articles",
    response_model=IngestResponse,
    responses=ERRORS,
    dependencies=ADMIN,
    openapi_extra=BODY,
)
async def add_articles(request: Request, svc: Ready) -> JSONResponse:
    """Add articles while serving: answerable as soon as this returns. An article with a known
    id replaces the stored one; unchanged ones are skipped; one that can't be read is reported
    (in `errors`) and the rest are still stored. When none could be, the answer is a 422."""
    records = _records(await request.body(), request.headers.get("content-type", ""))
    results = [_article(record, where) for where, record in records]
    with INDEX_WRITE_SECONDS.time():
        report = await run_in_threadpool(index_articles, results, svc.index)
    body = _report(report)
    if records and report.failed == len(records):
        message = f"no article could be added; {report.errors[0]}"
        return JSONResponse({"error": message, **body}, status_code=422)
    return JSONResponse(body)


@router.get(
    "/articles",
    response_model=ArticleList,
    responses=errors(401, 422, 429, 503),
    dependencies=GUARDED,
)
def list_articles(
    svc: Ready,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    source: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """A page of the archive, the latest published first."""
    articles, total = svc.index.articles(limit, offset, source)
    return {"articles": [_summary(a) for a in articles], "total": total}


@router.get(
    "/articles/{article_id}",
    response_model=ArticleOut,
    responses=errors(401, 404, 429, 503),
    dependencies=GUARDED,
)
def get_article(article_id: str, svc: Ready) -> dict[str, Any]:
    """The stored article: its metadata and the cleaned text citations point into."""
    article = svc.index.article(article_id)
    if article is None:
        raise NotFound(article_id)
    return {**_summary(article), "author": article.author, "text": article.text}


@router.delete(
    "/articles/{article_id}",
    responses=errors(401, 404, 429, 503),
    dependencies=ADMIN,
)
def delete_article(article_id: str, svc: Ready) -> dict[str, str]:
    """Remove an article: no answer cites it once this returns."""
    if not svc.index.delete(article_id):
        raise NotFound(article_id)
    return {"deleted": article_id}


def _records(body: bytes, content_type: str) -> list[tuple[str, Any]]:
    """(where, record) for each article in the body: a record as the schema describes it, or
    BadInput for a line of JSON Lines that isn't one. BadInput when the body itself can't be
    read or breaks the schema."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        raise BadInput("the body is not UTF-8 text") from None
    if content_type.split(";")[0].strip().lower() in JSON_LINES:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if len(lines) > MAX_ARTICLES:
            raise BadInput(f"the body holds {len(lines)} articles; send {MAX_ARTICLES} at most")
        return [(f"line {n}", _line(line, f"line {n}")) for n, line in lines]
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(f"the body is not JSON (line {error.lineno}: {error.msg})") from None
    checked = _checked(MANY_ARTICLES if isinstance(value, list) else ONE_ARTICLE, text, "body")
    if isinstance(checked, BadInput):
        raise checked
    items = checked if isinstance(checked, list) else [checked]
    return [(f"article {i}", item) for i, item in enumerate(items)]


def _line(line: str, where: str) -> Any:
    try:
        json.loads(line)
    except json.JSONDecodeError as error:
        return BadInput(f"{where}: invalid JSON: {error.msg}")
    return _checked(ONE_ARTICLE, line, where)


def _checked(shape: TypeAdapter[Any], text: str, where: str) -> Any:
    """The JSON text's fields as records have them, or BadInput naming its first problem."""
    try:
        found = shape.validate_json(text)
    except ValidationError as error:
        problem = error.errors()[0]
        field = f" {'.'.join(str(p) for p in problem['loc'])}:" if problem["loc"] else ""
        return BadInput(f"{where}:{field} {problem['msg']}")
    return [item.record() for item in found] if isinstance(found, list) else found.record()


def _article(record: Any, where: str) -> Article | BadInput:
    if isinstance(record, BadInput):
        return record
    try:
        return article_from_record(record, where)
    except (BadInput, ValueError, TypeError) as error:
        return error if isinstance(error, BadInput) else BadInput(f"{where}: {error}")


def _report(report: IngestReport) -> dict[str, Any]:
    return {
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "failed": report.failed,
        "chunks": report.chunks,
        "articles": [{"id": i, "status": s} for i, s in report.states.items()],
        "errors": report.errors,
    }


def _summary(article: Article) -> dict[str, Any]:
    published = article.published_at
    return {
        "id": article.article_id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published_at": published.isoformat() if published else None,
    }
