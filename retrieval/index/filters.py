"""Which articles may answer: outlets and publication days, as SQL for the catalog."""

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
        if self.since or self.until:  # one range, so that an index on the day reads only it
            first = self.since.toordinal() if self.since else NO_DAY + 1
            last = (self.until or date.max).toordinal()
            clauses.append(f"{table}.published_day BETWEEN ? AND ?")
            values += [first, last]
        return " AND ".join(clauses), values
