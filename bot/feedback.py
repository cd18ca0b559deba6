"""SQLite under NEWSDESK_DATA_DIR, shared by every process: the answers voted on (posted to Slack,
or shown on the web page), the 👍/👎 votes on them, and the Slack deliveries already handled."""

import json
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.sqlite import SharedDatabase
from retrieval.records import Answer

DB_FILE = "slack.sqlite3"  # named when only Slack voted; kept so existing votes stay found
VOTES = ("up", "down")
SLACK, WEB = "slack", "web"  # where an answer was given
BUSY_TIMEOUT_S = 10.0  # how long to wait while another process writes

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    channel TEXT NOT NULL,
    ts TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    article_ids TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'slack',
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


class Database(SharedDatabase):
    """The votes file of a data dir, brought up to date when an older newsdesk wrote it."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir / DB_FILE, _SCHEMA, BUSY_TIMEOUT_S)
        with self.transaction() as db:
            _migrate(db)


def _migrate(db: sqlite3.Connection) -> None:
    """Bring a file written by an older newsdesk up to date."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(answers)")}
    if "origin" not in columns:  # before the web page, every answer was posted to Slack
        db.execute(f"ALTER TABLE answers ADD COLUMN origin TEXT NOT NULL DEFAULT '{SLACK}'")


@dataclass(frozen=True)
class Vote:
    """One person's 👍 or 👎 on one answer, in Slack (its channel and message) or on the web page
    (the voter's address as `user`)."""

    question: str
    answer: str
    article_ids: tuple[str, ...]
    user: str
    vote: str
    at: datetime
    channel: str
    ts: str
    origin: str

    @property
    def where(self) -> str:
        return f"Slack {self.channel}" if self.origin == SLACK else self.origin

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
            "origin": self.origin,
        }


class Feedback:
    """The answers voted on and the votes."""

    def __init__(self, data_dir: Path) -> None:
        self._db = Database(data_dir)

    def remember(self, channel: str, ts: str, answer: Answer) -> None:
        """Keep what was answered in message `ts`, for the votes on it."""
        ids = json.dumps(list(dict.fromkeys(c.article_id for c in answer.citations)))
        with self._db.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                (channel, ts, answer.question, answer.text, ids, SLACK),
            )

    def vote(self, channel: str, ts: str, user: str, vote: str) -> bool:
        """Record (or change) a user's vote; False when message `ts` is not a known answer."""
        _check(vote)
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

    def vote_on_web(
        self, question: str, answer: str, article_ids: Sequence[str], user: str, vote: str
    ) -> None:
        """Record a vote from the web page with the answer it is on: the page keeps no answers."""
        _check(vote)
        at = datetime.now(UTC).isoformat()
        ts = uuid.uuid4().hex
        ids = json.dumps(list(dict.fromkeys(article_ids)))
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                (WEB, ts, question, answer, ids, WEB),
            )
            db.execute("INSERT INTO votes VALUES (?, ?, ?, ?, ?)", (WEB, ts, user, vote, at))

    def recent(self, limit: int = 20) -> list[Vote]:
        """The latest votes, newest first."""
        if limit < 1:
            raise ValueError(f"limit ({limit}) must be at least 1")
        with self._db.connect() as db:
            rows = db.execute(
                "SELECT a.question, a.answer, a.article_ids, v.user, v.vote, v.at, "
                "v.channel, v.ts, a.origin FROM votes v JOIN answers a USING (channel, ts) "
                "ORDER BY v.at DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            Vote(q, text, tuple(json.loads(ids)), user, vote, datetime.fromisoformat(at), *where)
            for q, text, ids, user, vote, at, *where in rows
        ]


def _check(vote: str) -> None:
    if vote not in VOTES:
        raise ValueError(f"vote ({vote!r}) must be one of {VOTES}")
