"""Slack, faked on a loopback port: the Web API the bot calls (recording every call and keeping
the workspace's messages)."""

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

TEAM = "T0NEWSROOM"
APP_ID = "A0NEWSDESK"
BOT_USER = "U0NEWSDESK"
BOT_ID = "B0NEWSDESK"
ALICE = "U0ALICE"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-17-newsdesk-test"
APP_TOKEN = "xapp-1-A0NEWSDESK-test"

Args = dict[str, Any]


def anything(args: Args) -> bool:
    return True


@dataclass(frozen=True)
class Call:
    """One request the bot made: the API method (or "response_url"), its arguments, and the
    token it was made with."""

    method: str
    args: Args
    token: str = ""


@dataclass(frozen=True)
class Failure:
    status: int
    error: str
    retry_after: int | None


class FakeSlack:
    """Slack's Web API at `url`; use as a context manager."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: list[Args] = []  # every message of the workspace, each with its channel
        self.socket_url = ""  # what apps.connections.open hands out
        self._failures: dict[str, list[Failure]] = {}
        self._changed = threading.Condition()
        self._numbers = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.base}/api/"

    def __enter__(self) -> "FakeSlack":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- the workspace, as the test drives it ---

    def say(
        self,
        channel: str,
        text: str,
        *,
        user: str = ALICE,
        thread_ts: str | None = None,
        channel_type: str = "channel",
    ) -> Args:
        """A person posts a message; returns the `message` event Slack would send for it."""
        event = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": self._next_ts(),
            "channel_type": channel_type,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        with self._changed:
            self.messages.append(event)
        return event

    def fail_next(
        self, method: str, error: str = "", status: int = 200, retry_after: int | None = None
    ) -> None:
        """The next call of `method` fails: Slack's `error`, or an HTTP `status` (429, 500)."""
        with self._changed:
            self._failures.setdefault(method, []).append(Failure(status, error, retry_after))

    def calls_to(self, method: str, where: Callable[[Args], bool] = anything) -> list[Args]:
        with self._changed:
            return [c.args for c in self.calls if c.method == method and where(c.args)]

    def wait_for(
        self,
        method: str,
        where: Callable[[Args], bool] = anything,
        count: int = 1,
        timeout: float = 30,
    ) -> list[Args]:
        """The calls of `method` matching `where`, once there are `count` of them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(found := self.calls_to(method, where)) < count:
                if not self._changed.wait(deadline - time.monotonic()):
                    raise AssertionError(f"{count} × {method} not called in {timeout} s: {found}")
            return found

    def thread(self, channel: str, ts: str) -> list[Args]:
        """The messages of a thread (or the lone message `ts`), oldest first."""
        with self._changed:
            return sorted(
                (
                    m
                    for m in self.messages
                    if m["channel"] == channel and ts in (m["ts"], m.get("thread_ts"))
                ),
                key=lambda m: m["ts"],
            )

    # --- the Web API ---

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._numbers):06d}"

    def _call(self, method: str, args: Args, token: str = "") -> Failure | Args:
        """Record a call and answer it: a planned failure, or what Slack would say."""
        with self._changed:
            self.calls.append(Call(method, args, token))
            self._changed.notify_all()
            if failures := self._failures.get(method):
                return failures.pop(0)
            answer = self._methods().get(method)
            return answer(args) if answer else {"ok": False, "error": "unknown_method"}

    def _methods(self) -> dict[str, Callable[[Args], Args]]:
        return {
            "auth.test": lambda a: {
                "ok": True,
                "url": "https://newsroom.slack.com/",
                "team": "Newsroom",
                "user": "newsdesk",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            },
            "apps.connections.open": lambda a: {"ok": True, "url": self.socket_url},
            "chat.postMessage": self._post,
            "chat.update": self._update,
            "chat.postEphemeral": lambda a: {"ok": True, "message_ts": self._next_ts()},
            "reactions.add": lambda a: {"ok": True},
            "reactions.remove": lambda a: {"ok": True},
            "conversations.replies": self._replies,
        }

    def _post(self, args: Args) -> Args:
        message = {
            "type": "message",
            "channel": args["channel"],
            "user": BOT_USER,
            "bot_id": BOT_ID,
            "text": args.get("text", ""),
            "blocks": args.get("blocks", []),
            "ts": self._next_ts(),
        }
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        self.messages.append(message)
        return {"ok": True, "channel": args["channel"], "ts": message["ts"], "message": message}

    def _update(self, args: Args) -> Args:
        for message in self.messages:
            if message["channel"] == args["channel"] and message["ts"] == args["ts"]:
                message.update(text=args.get("text", ""), blocks=args.get("blocks", []))
                return {"ok": True, "channel": args["channel"], "ts": args["ts"]}
        return {"ok": False, "error": "message_not_found"}

    def _replies(self, args: Args) -> Args:
        thread = self.thread(args["channel"], args["ts"])
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": thread, "has_more": False}


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def _serve(self) -> None:
            url = urlparse(self.path)
            args: Args = dict(parse_qsl(url.query))
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            if raw and "json" in self.headers.get("content-type", ""):
                args.update(json.loads(raw))
            elif raw:
                args.update(parse_qsl(raw))
            if isinstance(args.get("blocks"), str):  # form-encoded calls send blocks as JSON
                args["blocks"] = json.loads(args["blocks"])
            if url.path.startswith("/response/"):
                fake._call("response_url", args)
                self._send(200, b"ok", "text/plain")
                return
            token = self.headers.get("authorization", "").removeprefix("Bearer ")
            answer = fake._call(url.path.removeprefix("/api/"), args, token)
            if not isinstance(answer, Failure):
                self._send(200, json.dumps(answer).encode())
            elif answer.status == 200:
                self._send(200, json.dumps({"ok": False, "error": answer.error}).encode())
            else:
                error = {"ok": False, "error": answer.error or "ratelimited"}
                retry = answer.retry_after
                headers = {"Retry-After": str(retry)} if retry is not None else {}
                self._send(answer.status, json.dumps(error).encode(), headers=headers)

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str = "application/json",
            headers: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def blocks_text(blocks: list[Args]) -> Iterator[str]:
    """Every mrkdwn or plain text in a message's blocks, in order."""
    for block in blocks:
        if "text" in block:
            yield block["text"]["text"]
        for element in block.get("elements", []):
            text = element.get("text")
            yield text["text"] if isinstance(text, dict) else text
