"""An SQLite file under the data dir shared by every process and thread: a connection per
operation, WAL so readers don't wait for a writing process."""

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path


class SharedDatabase:
    def __init__(self, path: Path, schema: str, busy_timeout_s: float) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        with self.connect() as db:
            self._use_wal(db)
            db.executescript(schema)

    def _use_wal(self, db: sqlite3.Connection) -> None:
        # Processes opening a new file together race to switch its journal, and SQLite answers
        # "database is locked" at once there instead of waiting out the busy timeout.
        deadline = time.monotonic() + self.busy_timeout_s
        while True:
            try:
                db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def connect(self) -> closing[sqlite3.Connection]:
        return closing(
            sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None)
        )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, locked from its start so concurrent check-then-write is safe."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
