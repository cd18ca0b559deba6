"""The rate limit, kept in SQLite under the data dir so every worker of the service spends from
the same allowance: a token bucket per client, bursts up to the limit, refilled evenly."""

import math
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from bot.api.access import Rate
from bot.errors import LimitUnavailable, RateLimited

DB_FILE = "ratelimit.sqlite3"
# A take is one short write; waiting longer than this means the disk is in trouble, not busy.
BUSY_TIMEOUT_S = 2.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS buckets (
    client TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS buckets_at ON buckets (at);
"""


class RateLimiter:
    """A token bucket per client, shared by every process that opens the same data dir."""

    def __init__(self, rate: Rate, data_dir: Path) -> None:
        self.rate = rate
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / DB_FILE
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")  # a worker's reads don't wait for another's write
            db.executescript(_SCHEMA)

    def _connect(self) -> closing[sqlite3.Connection]:
        return closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None))

    def take(self, client: str) -> None:
        """Spend one request of the client's allowance, or raise RateLimited."""
        full = float(self.rate.requests)
        per_second = full / self.rate.seconds
        try:
            with self._connect() as db:
                db.execute("BEGIN IMMEDIATE")  # read, refill and spend as one, across processes
                now = time.time()
                row = db.execute("SELECT tokens, at FROM buckets WHERE client = ?", (client,))
                tokens, then = row.fetchone() or (full, now)
                tokens = min(full, tokens + max(0.0, now - then) * per_second)
                allowed = tokens >= 1.0
                db.execute(
                    "INSERT OR REPLACE INTO buckets VALUES (?, ?, ?)",
                    (client, tokens - 1.0 if allowed else tokens, now),
                )
                # A bucket untouched for a whole period is full again: the same as no bucket.
                db.execute("DELETE FROM buckets WHERE at < ?", (now - self.rate.seconds,))
                db.execute("COMMIT")
        except sqlite3.Error as error:
            raise LimitUnavailable() from error
        if not allowed:
            wait = math.ceil((1.0 - tokens) / per_second)
            raise RateLimited(self.rate.requests, self.rate.seconds, wait)
