"""Following and describing a source, the same from the CLI and over HTTP."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.feeds.every import parse_every, spoken
from bot.feeds.state import FeedState, Source
from retrieval.errors import BadInput, InvalidRequest
from retrieval.ingest.web.urls import checked_url


def follow_source(data_dir: Path, url: str, every: str, source: str) -> Source:
    """Follow url every so often (read at once); InvalidRequest names a bad value."""
    try:
        seconds = parse_every(every)
        checked = checked_url(url)
    except (ValueError, BadInput) as problem:
        raise InvalidRequest(str(problem)) from None
    return FeedState(data_dir).follow(checked, seconds, " ".join(source.split()))


def followed(data_dir: Path) -> list[Source]:
    return FeedState(data_dir).sources() if FeedState.exists(data_dir) else []


def unfollow(data_dir: Path, url: str) -> bool:
    return FeedState.exists(data_dir) and FeedState(data_dir).unfollow(url)


def source_json(source: Source) -> dict[str, Any]:
    """A followed source as `newsdesk feeds --json` and GET /feeds show it."""
    return {
        "url": source.url,
        "every": spoken(source.every_s),
        "source": source.source or None,
        "last_fetch": _iso(source.last_fetch),
        "next_fetch": _iso(source.next_fetch),
        "new_articles": source.new_last,
        "new_articles_total": source.new_total,
        "last_error": source.last_error,
        "failures": source.failures,
        "lag_s": round(source.lag_s, 1) if source.lag_s is not None else None,
    }


def _iso(stamp: float | None) -> str | None:
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds") if stamp else None
