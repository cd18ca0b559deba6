"""An OpenAI-compatible chat server on a loopback port that replies from a script: canned text
(streamed or whole, as asked), a server error, invalid output, or no reply at all."""

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """What the stub does with the next request: kind is 'text', 'status', 'invalid' or 'hang'."""

    kind: str
    text: str = ""
    status: int = 200
    pause: float = 0.0  # between streamed pieces

    @classmethod
    def says(cls, text: str, pause: float = 0.0) -> "Reply":
        return cls("text", text, pause=pause)


class OpenAIStub:
    """POST /v1/chat/completions answered from `script`, oldest first; records every request."""

    def __init__(self) -> None:
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.stopped = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def will(self, *replies: Reply) -> None:
        self.script.clear()
        self.script.extend(replies)

    def __enter__(self) -> "OpenAIStub":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self._server.shutdown()
        self._server.server_close()


def _handler(stub: OpenAIStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            stub.requests.append(body)
            reply = stub.script.popleft() if stub.script else Reply.says("")
            if reply.kind == "hang":
                stub.stopped.wait(60)
                return
            if reply.kind == "status":
                error = {"error": {"message": "the model crashed", "type": "server_error"}}
                return self._send(reply.status, "application/json", json.dumps(error).encode())
            if reply.kind == "invalid":
                return self._send(200, "application/json", b"<html>not json</html>")
            if body.get("stream"):
                return self._stream(body, reply)
            return self._send(
                200, "application/json", json.dumps(_completion(body, reply)).encode()
            )

        def _send(self, status: int, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, body: dict[str, Any], reply: Reply) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            words = reply.text.split(" ")
            pieces = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
            for piece in [*pieces, None]:
                delta = {"content": piece} if piece is not None else {}
                chunk = _chunk(body, delta, None if piece is not None else "stop")
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                time.sleep(reply.pause)
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

    return Handler


def _completion(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "stub"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(body: dict[str, Any], delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "stub"),
        "choices": [{"index": 0, "delta": {"role": "assistant", **delta}, "finish_reason": finish}],
    }
