"""Slack's Socket Mode end, faked on a loopback websocket: it says hello to the bot, sends it
envelopes, and collects the bot's acknowledgements."""

import json
import threading
import time
import uuid
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from tests.fakes.slack_api import APP_ID


class FakeSocketMode:
    """The websocket at `url` (what apps.connections.open hands out); a context manager."""

    def __init__(self) -> None:
        self.acks: dict[str, dict[str, Any]] = {}
        self._connection: ServerConnection | None = None
        self._changed = threading.Condition()
        self._server: Server = serve(self._session, "127.0.0.1", 0, ping_interval=None)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket=fake-ticket&app_id={APP_ID}"

    def __enter__(self) -> "FakeSocketMode":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()

    def send(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        retry_attempt: int = 0,
        accepts_response_payload: bool = False,
    ) -> str:
        """Send an envelope (events_api, slash_commands, interactive); returns its id."""
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = "timeout" if retry_attempt else ""
        self._connected(timeout=10).send(json.dumps(envelope))
        return envelope_id

    def ack(self, envelope_id: str, timeout: float = 3) -> dict[str, Any]:
        """The bot's acknowledgement of an envelope; Slack waits 3 seconds for it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while envelope_id not in self.acks:
                if not self._changed.wait(deadline - time.monotonic()):
                    raise AssertionError(f"envelope {envelope_id} not acknowledged in {timeout} s")
            return self.acks[envelope_id]

    def _connected(self, timeout: float) -> ServerConnection:
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._connection is None:
                if not self._changed.wait(deadline - time.monotonic()):
                    raise AssertionError("the bot did not connect")
            return self._connection

    def _session(self, connection: ServerConnection) -> None:
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "fake-socket-mode", "approximate_connection_time": 18060},
            "connection_info": {"app_id": APP_ID},
        }
        connection.send(json.dumps(hello))
        with self._changed:
            self._connection = connection
            self._changed.notify_all()
        try:
            for raw in connection:
                message = json.loads(raw)
                with self._changed:
                    self.acks[message["envelope_id"]] = message
                    self._changed.notify_all()
        except ConnectionClosed:
            pass  # the bot hung up: the tests are over
