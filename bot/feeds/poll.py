"""One poll of one followed source: fetch it (conditionally), read the entries that are new or
changed, write their articles through the index writer, and note how it went. A bad entry is
counted and named; it never stops the others."""

import logging
import time
from collections.abc import Callable
from datetime import datetime

from bot.feeds.state import FeedState, Outcome, Source
from retrieval.errors import BadInput, NewsdeskError
from retrieval.index.writer import IngestReport
from retrieval.ingest.web.fetch import FetchFailed
from retrieval.ingest.web.listing import Entry
from retrieval.ingest.web.reader import WebReader
from retrieval.records import Article

log = logging.getLogger("newsdesk.feeds")

# Stores articles as POST /articles does, here or in the server that holds the index.
Write = Callable[[list[Article]], IngestReport]


def poll_source(source: Source, reader: WebReader, state: FeedState, write: Write) -> int:
    """Poll one source; the number of articles it added or updated."""
    try:
        fetched = reader.fetcher.get(source.url, source.etag, source.last_modified)
        if fetched.not_modified:
            state.fetched(source, source.etag, source.last_modified, 0, None, None)
            return 0
        entries = reader.entries(fetched)
    except BadInput as failure:
        retry_after = failure.retry_after if isinstance(failure, FetchFailed) else None
        state.failed(source, str(failure), retry_after)
        log.warning("%s", failure)
        return 0
    wanted = [entry for entry in entries if state.wanted(source.url, entry)]
    articles, outcomes = _read(wanted, reader, source.source)
    try:
        report = write(list(articles.values())) if articles else IngestReport()
    except NewsdeskError as problem:  # the index or the server is unavailable: all again later
        message = f"{source.url}: the articles could not be stored: {problem}"
        state.failed(source, message, None)
        log.warning("%s", message)
        return 0
    errors = [o.error for o in outcomes if o.error] + report.errors
    state.read(source.url, outcomes)
    new = report.added + report.updated
    lag = _lag([o.entry for o in outcomes if o.article_id in articles])
    summary = _summary(errors, wanted)
    state.fetched(source, fetched.etag, fetched.last_modified, new, summary, lag)
    if summary:
        log.warning("%s: %s", source.url, summary)
    return new


def _read(
    entries: list[Entry], reader: WebReader, source: str
) -> tuple[dict[str, Article], list[Outcome]]:
    """Each entry's article (each article once: an AMP page and its canonical page are one)."""
    articles: dict[str, Article] = {}
    outcomes: list[Outcome] = []
    for entry in entries:
        try:
            article = reader.article(entry, source)
        except BadInput as problem:
            outcomes.append(Outcome(entry, None, str(problem)))
            continue
        except Exception as problem:  # a page no extractor expected: this entry only
            log.exception("reading %s failed", entry.url)
            reason = f"{entry.url}: could not be read ({type(problem).__name__})"
            outcomes.append(Outcome(entry, None, reason))
            continue
        outcomes.append(Outcome(entry, article.article_id, None))
        if article.article_id not in articles and reader.fresh(article) is not None:
            articles[article.article_id] = article
    return articles, outcomes


def _summary(errors: list[str], entries: list[Entry]) -> str | None:
    if not errors:
        return None
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{len(errors)} of {len(entries)} entries failed: {errors[0]}{more}"


def _lag(entries: list[Entry]) -> float | None:
    """Seconds from publication to now for the freshest entry whose listing gives a time."""
    times = []
    for entry in entries:
        try:
            published = datetime.fromisoformat(entry.published)
        except ValueError:
            continue
        if published.tzinfo is not None:
            times.append(time.time() - published.timestamp())
    return max(0.0, min(times)) if times else None
