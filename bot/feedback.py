"""SQLite under NEWSDESK_DATA_DIR, shared by every bot process: the answers posted to Slack, the
👍/👎 votes on them, and the Slack deliveries already handled."""

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from retrieval.records import Answer

DB_FILE = "slack.sqlite3"
VOTES = ("up", "down")
BUSY_TIMEOUT_S = 10.0  # how long to wait while another process writes

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    channel TEXT NOT NULL,
    ts TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    article_ids TEXT NOT NULL,
    PRIMARY KEY (channel, ts)
);
CREATE TABLE IF NOT EXISTS votes (
    channel TEXT NOT NULL,
    ts TEXT NOT NULL,
    user TEXT NOT NULL,
    vote TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (channel, ts, user)
);
CREATE INDEX IF NOT EXISTS votes_at ON votes (at);
CREATE TABLE IF NOT EXISTS deliveries (key TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS deliveries_at ON deliveries (at);
"""


class Database:
    """The SQLite file; a connection per operation, so threads and processes can share it."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / DB_FILE
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")  # readers don't wait for a writing process
            db.executescript(_SCHEMA)

    def connect(self) -> closing[sqlite3.Connection]:
        return closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None))

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


@dataclass(frozen=True)
class Vote:
    """One person's 👍 or 👎 on one answer."""

    question: str
    answer: str
    article_ids: tuple[str, ...]
    user: str
    vote: str
    at: datetime
    channel: str
    ts: str

    def as_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "article_ids": list(self.article_ids),
            "user": self.user,
            "vote": self.vote,
            "at": self.at.isoformat(),
            "channel": self.channel,
            "ts": self.ts,
        }


class Feedback:
    """The answers posted to Slack and the votes on them."""

    def __init__(self, data_dir: Path) -> None:
        self._db = Database(data_dir)

    def remember(self, channel: str, ts: str, answer: Answer) -> None:
        """Keep what was answered in message `ts`, for the votes on it."""
        ids = json.dumps(list(dict.fromkeys(c.article_id for c in answer.citations)))
        with self._db.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                (channel, ts, answer.question, answer.text, ids),
            )

    def vote(self, channel: str, ts: str, user: str, vote: str) -> bool:
        """Record (or change) a user's vote; False when message `ts` is not a known answer."""
        if vote not in VOTES:
            raise ValueError(f"vote ({vote!r}) must be one of {VOTES}")
        at = datetime.now(UTC).isoformat()
        with self._db.transaction() as db:
            known = db.execute("SELECT 1 FROM answers WHERE channel = ? AND ts = ?", (channel, ts))
            if known.fetchone() is None:
                return False
            db.execute(
                "INSERT INTO votes VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, ts, user) "
                "DO UPDATE SET vote = excluded.vote, at = excluded.at",
                (channel, ts, user, vote, at),
            )
        return True

    def recent(self, limit: int = 20) -> list[Vote]:
        """The latest votes, newest first."""
        if limit < 1:
            raise ValueError(f"limit ({limit}) must be at least 1")
        with self._db.connect() as db:
            rows = db.execute(
                "SELECT a.question, a.answer, a.article_ids, v.user, v.vote, v.at, v.channel, v.ts "
                "FROM votes v JOIN answers a USING (channel, ts) ORDER BY v.at DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            Vote(q, text, tuple(json.loads(ids)), user, vote, datetime.fromisoformat(at), ch, ts)
            for q, text, ids, user, vote, at, ch, ts in rows
        ]
