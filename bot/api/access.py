"""Who may ask, how often, and how much they may send."""

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from hashlib import sha256

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.errors import Unauthorized

MAX_BODY_BYTES = 64 * 1024
MAX_ARTICLES_BYTES = 16 * 1024 * 1024  # POST /articles: a batch of articles, each up to 1 MB
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")
_PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}


@dataclass(frozen=True)
class Rate:
    """So many requests per period, e.g. '60/minute'."""

    requests: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> "Rate":
        match = _RATE.match(text)
        if not match or int(match.group(1)) < 1:
            raise ValueError(f"rate limit ({text!r}) must look like 60/minute or 5/second")
        return cls(int(match.group(1)), _PERIODS[match.group(2)])


class BearerToken:
    """Requires `Authorization: Bearer <token>`, compared in constant time."""

    def __init__(self, token: str) -> None:
        self._expected = token.encode()

    def check(self, request: Request) -> str:
        """The caller's identity for rate limiting (a hash of the token), or Unauthorized."""
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), self._expected):
            raise Unauthorized()
        return "token:" + sha256(self._expected).hexdigest()[:12]


class BodyLimit:
    """ASGI middleware: 413 for request bodies over the limit, declared or streamed."""

    def __init__(
        self, app: ASGIApp, limit: int = MAX_BODY_BYTES, larger: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.limit = limit
        self.larger = larger or {}  # path prefix → its own limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = next((n for p, n in self.larger.items() if path.startswith(p)), self.limit)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send, limit)
            return
        received = 0
        over = False

        async def counted() -> Message:
            nonlocal received, over
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                over = True  # end the body here; the app's answer to it is replaced below
                return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def replaced(message: Message) -> None:
            if not over:
                await send(message)
            elif message["type"] == "http.response.start":
                await _too_large(send, limit)

        await self.app(scope, counted, replaced)


async def _too_large(send: Send, limit: int) -> None:
    body = f'{{"error": "request body over {limit // 1024} KiB"}}'.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
