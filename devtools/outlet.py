"""A news site on a free loopback port, for tests and benchmarks: it serves a folder of pages,
feeds and sitemaps (with ETags, so a second poll gets 304), the ways real sites fail (a slow
page, a redirect loop, a 20 MB page, a 500), and records every request it gets."""

import hashlib
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from devtools.servers import free_port

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
}
SLOW_SECONDS = 3.0
BIG_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Seen:
    """A request the site received."""

    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Resource:
    body: bytes
    content_type: str
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()


Special = Callable[[BaseHTTPRequestHandler], None]


class Outlet:
    """The site, until the block ends: `put` changes a page, `requests` lists what came in."""

    def __init__(self, folder: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: list[Seen] = []
        self.resources: dict[str, Resource] = {}
        self.lock = threading.Lock()
        if folder is not None:
            for file in sorted(folder.rglob("*")):
                if file.is_file() and not file.name.endswith(".gold.txt"):
                    path = "/" + file.relative_to(folder).as_posix()
                    self.put(path, file.read_bytes().replace(b"{site}", self.url.encode()))
        self.special: dict[str, Special] = {
            "/slow/page.html": _slow,
            "/loop/a": lambda h: _redirect(h, "/loop/b"),
            "/loop/b": lambda h: _redirect(h, "/loop/a"),
            "/news/broken.html": lambda h: _status(h, 500, "Internal Server Error"),
            "/big.html": _big,
        }
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.server.daemon_threads = True

    def put(self, path: str, body: bytes | str, content_type: str | None = None) -> None:
        """Serve body at path from now on, typed by its suffix unless told."""
        data = body.encode() if isinstance(body, str) else body
        kind = content_type or TYPES.get(Path(path).suffix, "application/octet-stream")
        with self.lock:
            self.resources[path] = Resource(data.replace(b"{site}", self.url.encode()), kind)

    def paths(self, method: str = "GET") -> list[str]:
        with self.lock:
            return [seen.path for seen in self.requests if seen.method == method]

    def __enter__(self) -> "Outlet":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outlet = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with outlet.lock:
                    outlet.requests.append(Seen("GET", self.path, dict(self.headers.items())))
                    resource = outlet.resources.get(self.path.split("?")[0])
                special = outlet.special.get(self.path.split("?")[0])
                if special is not None:
                    special(self)
                elif resource is None:
                    _status(self, 404, "Not Found")
                else:
                    _serve(self, resource)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the test reads `requests`, not a log

        return Handler


def _serve(handler: BaseHTTPRequestHandler, resource: Resource) -> None:
    etag = '"' + hashlib.sha256(resource.body).hexdigest()[:16] + '"'
    if handler.headers.get("If-None-Match") == etag:
        handler.send_response(304)
        handler.send_header("ETag", etag)
        handler.end_headers()
        return
    handler.send_response(resource.status)
    handler.send_header("Content-Type", resource.content_type)
    handler.send_header("Content-Length", str(len(resource.body)))
    handler.send_header("ETag", etag)
    for name, value in resource.headers:
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(resource.body)


def _status(handler: BaseHTTPRequestHandler, status: int, text: str) -> None:
    body = f"<html><body><h1>{status} {text}</h1></body></html>".encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _redirect(handler: BaseHTTPRequestHandler, to: str) -> None:
    handler.send_response(302)
    handler.send_header("Location", to)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def _slow(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(SLOW_SECONDS)
    with suppress(BrokenPipeError, ConnectionResetError):  # the reader gave up, as it should
        _status(handler, 200, "Finally")


def _big(handler: BaseHTTPRequestHandler) -> None:
    """20 MB of page, its length undeclared: only counting the bytes finds it too big."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    paragraph = b"<p>" + b"Filler words of an endless page. " * 30 + b"</p>\n"
    with suppress(BrokenPipeError, ConnectionResetError):  # the reader stopped at its limit
        for _ in range(BIG_BYTES // len(paragraph) + 1):
            handler.wfile.write(paragraph)
