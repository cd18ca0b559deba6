"""Followed feeds and what was read from them, in SQLite under the data dir: every process on
the machine (server workers, `newsdesk follow`, the CLI) shares it, and one lease decides which
of them polls."""

import time
from dataclasses import dataclass
from pathlib import Path

from bot.feeds.every import backoff
from bot.sqlite import SharedDatabase
from retrieval.ingest.web.listing import Entry

DB_FILE = "feeds.sqlite3"
BUSY_TIMEOUT_S = 5.0
CLAIM_S = 300.0  # a source being polled is not due elsewhere for this long, even if we crash
MAX_TRIES = 3  # an entry that keeps failing is left alone until its feed says it changed
LEASE = "poller"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    url TEXT PRIMARY KEY,
    every_s REAL NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    etag TEXT,
    last_modified TEXT,
    last_fetch REAL,
    next_fetch REAL NOT NULL,
    new_last INTEGER NOT NULL DEFAULT 0,
    new_total INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    lag_s REAL
);
CREATE TABLE IF NOT EXISTS entries (
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    version TEXT NOT NULL,
    article_id TEXT,
    error TEXT,
    tries INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, url)
);
CREATE TABLE IF NOT EXISTS texts (fingerprint TEXT PRIMARY KEY, article_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until REAL NOT NULL
);
"""
_COLUMNS = (
    "url, every_s, source, etag, last_modified, last_fetch, next_fetch, new_last, new_total, "
    "last_error, failures, lag_s"
)


@dataclass(frozen=True)
class Source:
    """A followed feed or sitemap and how following it goes."""

    url: str
    every_s: float
    source: str  # the outlet its articles are filed under; empty: what each page says
    etag: str | None
    last_modified: str | None
    last_fetch: float | None
    next_fetch: float
    new_last: int  # articles added or updated by the last fetch
    new_total: int
    last_error: str | None
    failures: int  # in a row
    lag_s: float | None  # publication to indexing, for the freshest new article


@dataclass(frozen=True)
class Outcome:
    """What became of one entry of a poll: its article, or why there is none."""

    entry: Entry
    article_id: str | None
    error: str | None


class FeedState:
    """The feeds.sqlite3 of a data dir."""

    def __init__(self, data_dir: Path) -> None:
        self._db = SharedDatabase(data_dir / DB_FILE, _SCHEMA, BUSY_TIMEOUT_S)

    @staticmethod
    def exists(data_dir: Path) -> bool:
        """Whether any feed was ever followed on this data dir."""
        return (data_dir / DB_FILE).is_file()

    def follow(self, url: str, every_s: float, source: str) -> Source:
        """Follow url (due at once), or change how an already followed one is read."""
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO sources (url, every_s, source, next_fetch) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET every_s = excluded.every_s, "
                "source = excluded.source",
                (url, every_s, source, time.time()),
            )
        found = self.source(url)
        assert found is not None  # written just above
        return found

    def unfollow(self, url: str) -> bool:
        with self._db.transaction() as db:
            db.execute("DELETE FROM entries WHERE source = ?", (url,))
            return db.execute("DELETE FROM sources WHERE url = ?", (url,)).rowcount > 0

    def sources(self) -> list[Source]:
        with self._db.connect() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM sources ORDER BY url").fetchall()
        return [Source(*row) for row in rows]

    def source(self, url: str) -> Source | None:
        with self._db.connect() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM sources WHERE url = ?", (url,)).fetchone()
        return Source(*row) if row else None

    def take_due(self) -> Source | None:
        """The most overdue source, claimed for CLAIM_S so no other process polls it too."""
        now = time.time()
        with self._db.transaction() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM sources WHERE next_fetch <= ? ORDER BY next_fetch LIMIT 1",
                (now,),
            ).fetchone()
            if row is None:
                return None
            db.execute("UPDATE sources SET next_fetch = ? WHERE url = ?", (now + CLAIM_S, row[0]))
        return Source(*row)

    def wanted(self, source: str, entry: Entry) -> bool:
        """Whether an entry is new, changed, or failed fewer than MAX_TRIES times."""
        with self._db.connect() as db:
            row = db.execute(
                "SELECT version, error, tries FROM entries WHERE source = ? AND url = ?",
                (source, entry.url),
            ).fetchone()
        if row is None or row[0] != entry.version:
            return True
        return row[1] is not None and row[2] < MAX_TRIES

    def read(self, source: str, outcomes: list[Outcome]) -> None:
        """Remember what became of these entries."""
        with self._db.transaction() as db:
            for outcome in outcomes:
                db.execute(
                    "INSERT INTO entries VALUES (?, ?, ?, ?, ?, 1) "
                    "ON CONFLICT (source, url) DO UPDATE SET article_id = excluded.article_id, "
                    "error = excluded.error, tries = CASE WHEN version = excluded.version "
                    "THEN tries + 1 ELSE 1 END, version = excluded.version",
                    (source, outcome.entry.url, outcome.entry.version, outcome.article_id,
                     outcome.error),
                )  # fmt: skip

    def fetched(
        self,
        source: Source,
        etag: str | None,
        last_modified: str | None,
        new: int,
        error: str | None,
        lag_s: float | None,
    ) -> None:
        """A poll that read the source (or learnt it had not changed)."""
        now = time.time()
        with self._db.transaction() as db:
            db.execute(
                "UPDATE sources SET etag = ?, last_modified = ?, last_fetch = ?, next_fetch = ?, "
                "new_last = ?, new_total = new_total + ?, last_error = ?, failures = 0, "
                "lag_s = COALESCE(?, lag_s) WHERE url = ?",
                (etag, last_modified, now, now + source.every_s, new, new, error, lag_s,
                 source.url),
            )  # fmt: skip

    def failed(self, source: Source, error: str, retry_after: float | None) -> None:
        """A poll that could not read the source: tried again later and later."""
        now = time.time()
        wait = max(backoff(source.every_s, source.failures + 1), retry_after or 0.0)
        with self._db.transaction() as db:
            db.execute(
                "UPDATE sources SET last_fetch = ?, next_fetch = ?, new_last = 0, "
                "last_error = ?, failures = failures + 1 WHERE url = ?",
                (now, now + wait, error, source.url),
            )

    def earlier(self, fingerprint: str, article_id: str) -> str | None:
        """Another article already read with this text, if any (Fingerprints)."""
        with self._db.connect() as db:
            row = db.execute(
                "SELECT article_id FROM texts WHERE fingerprint = ?", (fingerprint,)
            ).fetchone()
        return row[0] if row and row[0] != article_id else None

    def remember(self, fingerprint: str, article_id: str) -> None:
        with self._db.transaction() as db:
            db.execute("INSERT OR IGNORE INTO texts VALUES (?, ?)", (fingerprint, article_id))

    def lease(self, holder: str, seconds: float) -> bool:
        """Take or renew the right to poll for `seconds`; False while another process has it."""
        now = time.time()
        with self._db.transaction() as db:
            row = db.execute("SELECT holder, until FROM leases WHERE name = ?", (LEASE,)).fetchone()
            if row is not None and row[0] != holder and row[1] > now:
                return False
            db.execute(
                "INSERT OR REPLACE INTO leases VALUES (?, ?, ?)", (LEASE, holder, now + seconds)
            )
        return True

    def release(self, holder: str) -> None:
        with self._db.transaction() as db:
            db.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (LEASE, holder))
