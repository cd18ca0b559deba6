"""Slack deliveries already handled, kept in the data dir's SQLite file so that every bot
process answers a retried or doubled event once."""

import time
from pathlib import Path

from bot.feedback import Database

DELIVERY_TTL_S = 24 * 3600  # Slack retries an event within minutes; a day leaves a wide margin


class Deliveries:
    """Slack deliveries already handled, so a retried or doubled event is answered once."""

    def __init__(self, data_dir: Path, ttl_s: float = DELIVERY_TTL_S) -> None:
        if ttl_s <= 0:
            raise ValueError(f"ttl_s ({ttl_s}) must be positive")
        self._db = Database(data_dir)
        self.ttl_s = ttl_s

    def claim(self, *keys: str) -> bool:
        """True for the first caller, in any process, naming any of these keys; later, False."""
        if not keys:
            raise ValueError("claim needs at least one key")
        now = time.time()
        marks = ", ".join("?" * len(keys))
        with self._db.transaction() as db:
            db.execute("DELETE FROM deliveries WHERE at < ?", (now - self.ttl_s,))
            seen = db.execute(f"SELECT 1 FROM deliveries WHERE key IN ({marks})", keys)
            if seen.fetchone() is not None:
                return False
            db.executemany("INSERT INTO deliveries VALUES (?, ?)", [(key, now) for key in keys])
        return True
