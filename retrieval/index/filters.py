"""Which articles may answer: outlets and publication days, as SQL for the catalog and as a
`where` clause for Chroma."""

from dataclasses import dataclass
from datetime import date
from typing import Any

NO_DAY = -1  # published_day of an undated article: never inside a date filter


@dataclass(frozen=True)
class Filters:
    """Restrictions on which articles may answer: sources and publication days (inclusive)."""

    sources: frozenset[str] | None = None  # lower-cased source names; None = any
    since: date | None = None
    until: date | None = None

    @property
    def any(self) -> bool:
        return self.sources is not None or self.since is not None or self.until is not None

    def sql(self, table: str = "chunks") -> tuple[str, list[Any]]:
        """The restriction on the catalog's chunk rows: a condition and its parameters."""
        clauses, values = ["1"], list[Any]()
        if self.sources is not None:
            clauses.append(f"{table}.source_key IN ({', '.join('?' * len(self.sources))})")
            values += sorted(self.sources)
        if self.since:
            clauses.append(f"{table}.published_day >= ?")
            values.append(self.since.toordinal())
        if self.until:
            clauses.append(f"{table}.published_day BETWEEN ? AND ?")
            values += [NO_DAY + 1, self.until.toordinal()]
        return " AND ".join(clauses), values

    def where(self) -> dict[str, Any] | None:
        """The same restriction as a Chroma `where` clause."""
        clauses: list[dict[str, Any]] = []
        if self.sources is not None:
            clauses.append({"source_key": {"$in": sorted(self.sources) or [""]}})
        if self.since:
            clauses.append({"published_day": {"$gte": self.since.toordinal()}})
        if self.until:
            clauses.append({"published_day": {"$lte": self.until.toordinal()}})
            clauses.append({"published_day": {"$gt": NO_DAY}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}
