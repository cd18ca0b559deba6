"""The HTTP API: /ask, /search, /healthz, /readyz, and /slack/events when Slack is set up."""

import itertools
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from slack_bolt import App as SlackApp
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from bot.access import BearerToken, BodyLimit, Denied, Rate, RateLimiter
from bot.config import Settings
from bot.render import answer_json, hit_json
from bot.schemas import AskBody, AskResponse, ErrorResponse, SearchBody, SearchResponse
from bot.slack import slack_app
from bot.wiring import Services
from retrieval.documents import Answer
from retrieval.errors import EmptyIndex, NewsdeskError, StoreUnavailable
from retrieval.search import best_per_article

log = logging.getLogger("newsdesk.api")
ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorResponse, "description": "The request is not valid"},
    503: {"model": ErrorResponse, "description": "Not ready, or the index is unreachable"},
}


class Loading(NewsdeskError):
    def __init__(self) -> None:
        super().__init__("newsdesk is still starting (loading the model); try again shortly")


class ServiceHolder:
    """The services, loaded in the background so health checks answer during start-up."""

    def __init__(self, load: Callable[[], Services]) -> None:
        self._load = load
        self.services: Services | None = None
        self.failure: str | None = None

    def start(self) -> None:
        threading.Thread(target=self._run, name="newsdesk-load", daemon=True).start()

    def _run(self) -> None:
        try:
            self.services = self._load()
        except Exception as error:
            self.failure = str(error) if isinstance(error, NewsdeskError) else type(error).__name__
            log.exception("newsdesk failed to start")

    def get(self) -> Services:
        if self.services is None:
            raise Loading()
        return self.services


def create_app(
    load: Callable[[], Services],
    settings: Settings | None = None,
    slack: Callable[[Callable[[], Services]], SlackApp] | None = None,
) -> FastAPI:
    """The FastAPI app; `load` builds the services (model, index, chain) once, in the background.

    `settings` gives the API token and rate limit (default: from the environment). `slack`,
    given how to get the services, builds the Slack bot served at POST /slack/events; by default
    the one configured in settings, if SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set.
    """
    settings = settings or Settings()
    holder = ServiceHolder(load)
    token = BearerToken(settings.api_token.get_secret_value()) if settings.api_token else None
    limiter = RateLimiter(Rate.parse(settings.rate_limit)) if settings.rate_limit else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        holder.start()
        yield

    app = FastAPI(
        title="newsdesk",
        summary="Answers from a news archive, every sentence cited.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.holder = holder

    def services() -> Services:
        return holder.get()

    def allowed(request: Request) -> None:
        client = token.check(request) if token else f"ip:{_client_address(request)}"
        if limiter:
            limiter.take(client)

    Ready = Annotated[Services, Depends(services)]
    guarded = [Depends(allowed)]

    @app.post("/ask", response_model=AskResponse, responses=ERRORS, dependencies=guarded)
    def ask(body: AskBody, svc: Ready) -> dict[str, Any]:
        """Answer a question with sentences quoted from the archive, each cited."""
        return answer_json(svc.chain.invoke(body.request()))

    @app.post(
        "/ask/stream",
        response_class=StreamingResponse,
        responses={200: {"content": {"text/event-stream": {}}}, **ERRORS},
        dependencies=guarded,
    )
    def ask_stream(body: AskBody, svc: Ready) -> StreamingResponse:
        """The answer as server-sent events: `delta` events carry text as it is written (a
        model's, not yet verified), then one `answer` event carries the /ask body."""
        answers = svc.chain.stream(body.request())
        first = next(answers)  # before the stream starts, so a failed search gets its status
        return StreamingResponse(_events(first, answers), media_type="text/event-stream")

    @app.post("/search", response_model=SearchResponse, responses=ERRORS, dependencies=guarded)
    def search(body: SearchBody, svc: Ready) -> dict[str, Any]:
        """The best matching passage of each of the k best articles."""
        retrieval = svc.searcher.retrieve(body.request())
        hits = best_per_article(retrieval.hits)[: body.k]
        return {"hits": [hit_json(h) for h in hits], "took_ms": retrieval.elapsed_ms()}

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", responses={503: {"model": ErrorResponse}})
    def readyz() -> JSONResponse:
        """Model loaded and index reachable: ready to answer."""
        if holder.failure:
            return _error(503, f"start-up failed: {holder.failure}")
        try:
            svc = holder.get()
            svc.index.ping()
            articles, chunks = svc.index.counts()
        except NewsdeskError as error:
            return _error(503, str(error))
        return JSONResponse({"status": "ready", "articles": articles, "chunks": chunks})

    if slack is None and settings.slack_events_enabled:
        slack = partial(slack_app, settings)
    if slack is not None:
        _mount_slack(app, slack(holder.get))
    app.add_middleware(BodyLimit)
    _install_error_handlers(app)
    return app


def _events(first: Answer, rest: Iterator[Answer]) -> Iterator[str]:
    shown = ""
    try:
        for answer in itertools.chain([first], rest):
            if answer.draft or not shown:
                new = answer.text.removeprefix(shown) if answer.draft else answer.text
                shown = answer.text
                yield _event("delta", {"text": new})
            if not answer.draft:
                yield _event("answer", answer_json(answer))
    except Exception:
        log.exception("unexpected error while streaming an answer")
        yield _event("error", {"error": "internal error; the server log has the details"})


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _mount_slack(app: FastAPI, slack: SlackApp) -> None:
    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        """Slack's events, /ask and button clicks, signed with SLACK_SIGNING_SECRET."""
        # bolt's FastAPI adapter dispatches on the event loop; dispatch may call Slack (auth.test
        # on the first request), so it runs on a worker thread here, with the adapter's converters.
        bolt_request = to_bolt_request(request, await request.body())
        return to_starlette_response(await run_in_threadpool(slack.dispatch, bolt_request))


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        return _error(422, _first_problem(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return _error(error.status_code, str(error.detail))

    @app.exception_handler(Denied)
    async def denied(request: Request, error: Denied) -> JSONResponse:
        return JSONResponse({"error": str(error)}, status_code=error.status, headers=error.headers)

    @app.exception_handler(NewsdeskError)
    async def newsdesk_error(request: Request, error: NewsdeskError) -> JSONResponse:
        status = 503 if isinstance(error, EmptyIndex | StoreUnavailable | Loading) else 400
        return _error(status, str(error))

    @app.exception_handler(ValueError)
    async def bad_value(request: Request, error: ValueError) -> JSONResponse:
        return _error(422, str(error))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return _error(500, "internal error; the server log has the details")


def _first_problem(error: RequestValidationError) -> str:
    problems = error.errors()
    if not problems:
        return "invalid request"
    first = problems[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "body"
    message = str(first.get("msg", "invalid"))
    if first.get("type") == "extra_forbidden":
        message = "unknown field"
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{where}: {message}{more}"


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)
