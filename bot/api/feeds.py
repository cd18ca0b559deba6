"""Followed feeds over HTTP, and the thread of the serving process that polls them."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from bot.api.deps import ADMIN, GUARDED
from bot.api.holder import ServiceHolder
from bot.api.schemas import FeedIn, FeedList, FeedOut, errors
from bot.config import Settings
from bot.errors import NotFollowed
from bot.feeds.follower import Follower
from bot.feeds.following import follow_source, followed, source_json, unfollow
from bot.metrics import INDEX_WRITE_SECONDS
from bot.wiring import fetcher
from retrieval.index.writer import IngestReport, index_articles
from retrieval.records import Article

router = APIRouter()
NOT_FOLLOWED: dict[int | str, dict[str, Any]] = {
    404: {**errors(404)[404], "description": "No followed feed with that url"}
}


@router.get(
    "/feeds", response_model=FeedList, responses=errors(401, 429, 503), dependencies=GUARDED
)
def list_feeds(request: Request) -> dict[str, Any]:
    """The followed feeds and sitemaps: last and next fetch, new articles, last error, lag."""
    return {"feeds": [source_json(s) for s in followed(request.app.state.data_dir)]}


@router.post(
    "/feeds",
    response_model=FeedOut,
    responses=errors(400, 401, 413, 422, 429, 503),
    dependencies=ADMIN,
)
def add_feed(body: FeedIn, request: Request) -> dict[str, Any]:
    """Follow a feed or sitemap: polled within a second, then at every interval. Following
    one again changes its interval and outlet."""
    settings: Settings = request.app.state.settings
    every = f"{body.every_s}s" if body.every_s else settings.feeds_every
    added = follow_source(settings.data_dir, body.url, every, body.source or "")
    return source_json(added)


@router.delete(
    "/feeds",
    responses={**errors(401, 422, 429, 503), **NOT_FOLLOWED},
    dependencies=ADMIN,
)
def remove_feed(
    request: Request, url: Annotated[str, Query(max_length=2000, description="the feed's url")]
) -> dict[str, str]:
    """Stop following a feed; the articles it brought stay."""
    if not unfollow(request.app.state.data_dir, url):
        raise NotFollowed(url)
    return {"removed": url}


def poller(settings: Settings, holder: ServiceHolder) -> Follower:
    """Polls due feeds once the services are loaded, writing as POST /articles does."""

    def write(articles: list[Article]) -> IngestReport:
        with INDEX_WRITE_SECONDS.time():
            return index_articles(articles, holder.get().index)

    return Follower(
        settings.data_dir, fetcher(settings), write, ready=lambda: holder.services is not None
    )
