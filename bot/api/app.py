"""The HTTP API and the web page as a FastAPI app: thin routes, one error handler, access checks.
Every page, /docs included, comes with its own assets: newsdesk runs without a network."""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool

from bot.api import articles, ask, feeds, health, metrics, page, search, sources, votes
from bot.api.access import MAX_ARTICLES_BYTES, BearerToken, BodyLimit, Rate
from bot.api.errors import install_error_handlers
from bot.api.holder import ServiceHolder
from bot.api.limits import RateLimiter
from bot.api.request_log import RequestLog
from bot.config import Settings
from bot.wiring import Services

# Adds routes served beside the API (Slack's events), given how to get the services.
Mount = Callable[[FastAPI, Callable[[], Services]], None]


def create_app(
    load: Callable[[], Services], settings: Settings, mounts: Sequence[Mount] = ()
) -> FastAPI:
    """The FastAPI app; `load` builds the services (model, index, chain) once, in the background;
    `settings` give the API token, rate limit, whether /metrics needs the token and where
    votes are kept."""
    holder = ServiceHolder(load)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        holder.start()
        following = feeds.poller(settings, holder) if settings.follow else None
        if following is not None:
            following.start()
        yield
        if following is not None:
            await run_in_threadpool(following.stop)

    app = FastAPIOffline(
        title="newsdesk",
        summary="Answers from a news archive, every sentence cited.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.holder = holder
    app.state.data_dir = settings.data_dir  # where web votes are kept, beside Slack's; feeds
    app.state.settings = settings
    token, admin = settings.api_token, settings.admin_token
    app.state.token = BearerToken(token.get_secret_value()) if token else None
    app.state.admin_token = BearerToken(admin.get_secret_value()) if admin else None
    app.state.limiter = (
        RateLimiter(Rate.parse(settings.rate_limit), settings.data_dir)
        if settings.rate_limit
        else None
    )
    app.state.metrics_token = None if settings.metrics_open else app.state.token
    for routes in (page, ask, search, articles, feeds, sources, votes, health, metrics):
        app.include_router(routes.router)
    app.mount("/static", page.assets(), name="static")
    for mount in mounts:
        mount(app, holder.get)
    app.add_middleware(BodyLimit, larger={"/articles": MAX_ARTICLES_BYTES})
    app.add_middleware(RequestLog, routes=app.routes)  # outermost: 413s are logged too
    install_error_handlers(app)
    return app
