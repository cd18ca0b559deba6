"""One log line per request, with an id also returned as X-Request-ID, and its metrics."""

import logging
import re
import time
import uuid
from collections.abc import Sequence

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.metrics import REQUEST_SECONDS, REQUESTS

log = logging.getLogger("newsdesk.http")
# An id from a proxy or client is kept when it can't break a log line; any other is replaced.
_GIVEN_ID = re.compile(rb"[A-Za-z0-9._:-]{1,64}")


class RequestLog:
    """ASGI middleware: logs method, route, status, time and id, never headers, query strings or
    bodies (they may hold tokens); counts and times each request by route for /metrics."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes  # the app's own list, so routes added later are known too

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = dict(scope["headers"]).get(b"x-request-id", b"")
        request_id = given.decode() if _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex
        status = 500  # unless the app answers: an error it raised is answered outside

        async def with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, with_id)
        finally:
            seconds = time.perf_counter() - started
            method, route = scope["method"], self._route(scope)
            REQUESTS.labels(method, route, str(status)).inc()
            REQUEST_SECONDS.labels(method, route).observe(seconds)
            log.info(
                "%s %s %d %.1f ms id=%s",
                *(method, route, status, seconds * 1000, request_id),
                extra={
                    "request_id": request_id,
                    "method": method,
                    "route": route,
                    "status": status,
                    "ms": round(seconds * 1000, 1),
                },
            )

    def _route(self, scope: Scope) -> str:
        """The route's template (/ask, never a raw path: the label must stay a short list),
        also for requests answered before routing (413)."""
        route = scope.get("route")
        if route is None:
            route = next((r for r in self.routes if r.matches(scope)[0] != Match.NONE), None)
        return str(getattr(route, "path", "unmatched"))
