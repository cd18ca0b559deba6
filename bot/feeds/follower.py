"""Polls the followed sources that are due, on a thread of the serving process (or of
`newsdesk follow`). Of all the processes on a data dir, the one holding the lease polls."""

import logging
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from bot.feeds.poll import Write, poll_source
from bot.feeds.state import FeedState
from retrieval.ingest.web.fetch import Fetcher
from retrieval.ingest.web.reader import WebReader

log = logging.getLogger("newsdesk.feeds")
TICK_S = 1.0  # how often due sources are looked for; the shortest interval a feed may have
LEASE_S = 60.0  # a poller that dies leaves the polling to another process after this long


class Follower:
    """Polls due sources every TICK_S once `ready()`, until stopped."""

    def __init__(
        self,
        data_dir: Path,
        fetcher: Fetcher,
        write: Write,
        ready: Callable[[], bool] = lambda: True,
        tick_s: float = TICK_S,
    ) -> None:
        self.data_dir = data_dir
        self.fetcher = fetcher
        self.write = write
        self.ready = ready
        self.tick_s = tick_s
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.run, name="newsdesk-feeds", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        if FeedState.exists(self.data_dir):
            FeedState(self.data_dir).release(self.holder)
        self.fetcher.close()

    def run(self) -> None:
        """Poll until stopped; nothing escapes a pass but its log line."""
        while not self._stop.wait(self.tick_s):
            try:
                if self.ready() and FeedState.exists(self.data_dir):
                    self.poll_due()
            except Exception:
                log.exception("polling the followed feeds failed; trying again")

    def poll_due(self) -> int | None:
        """Poll every due source; the articles added or updated, or None when another process
        holds the lease."""
        state = FeedState(self.data_dir)
        if not state.lease(self.holder, LEASE_S):
            return None
        reader = WebReader(self.fetcher, fingerprints=state)
        new = 0
        while not self._stop.is_set() and (source := state.take_due()) is not None:
            new += poll_source(source, reader, state, self.write)
            state.lease(self.holder, LEASE_S)
        return new
