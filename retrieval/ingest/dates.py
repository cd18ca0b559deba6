"""Dates written in news text: publication dates, written-out days, live-blog headers."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple, Protocol, TypeVar

from dateutil import parser as date_parser

# Spelled out rather than taken from `calendar`, whose names follow the locale.
# fmt: off
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
# fmt: on
MONTHS = {
    **{name: i for i, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3]: i for i, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}
# A live-blog header dated more than this after publication belongs to the previous year.
HEADER_GRACE = timedelta(days=31)
LEAP_YEAR = 2000  # validates a month/day written without a year, so 29 February passes

# Month names must be capitalised (or upper case), so 'may be' and 'march on' stay words.
_MONTH_FORMS = [
    form
    for word in sorted(MONTHS, key=len, reverse=True)
    for form in (word.capitalize(), word.upper())
]
MONTH_PATTERN = rf"(?P<month>{'|'.join(_MONTH_FORMS)})\b\.?"
DAY_PATTERN = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\b"
YEAR_PATTERN = r"(?P<year>(?:19|20)\d{2})(?!\d)"
_WRITTEN = (
    re.compile(rf"\b{MONTH_PATTERN}\s+{DAY_PATTERN}(?:,?\s+{YEAR_PATTERN})?"),
    re.compile(rf"\b{DAY_PATTERN}\s+(?:of\s+)?{MONTH_PATTERN}(?:,?\s+{YEAR_PATTERN})?"),
    re.compile(
        r"(?<!\d)(?P<year>(?:19|20)\d{2})(?P<sep>[-/])(?P<month>\d{1,2})(?P=sep)"
        r"(?P<day>\d{1,2})(?!\d)"
    ),
)
_HEADER = re.compile(
    rf"\b(?:Updated|UPDATED|Update|UPDATE)[,:]?\s+(?:on\s+)?{MONTH_PATTERN}\s+{DAY_PATTERN}"
    rf"(?:,?\s+{YEAR_PATTERN})?"
)


class Located(Protocol):
    """Something found at text[start:end]."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


_T = TypeVar("_T", bound=Located)


@dataclass(frozen=True)
class DateSpan:
    """An inclusive range of days."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"span start {self.start} is after its end {self.end}")

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, other: DateSpan) -> bool:
        return self.start <= other.end and other.start <= self.end

    @classmethod
    def day(cls, d: date) -> DateSpan:
        return cls(d, d)

    def isoformat(self) -> str:
        """'2014-03-08' for one day, '2014-03-03/2014-03-09' for a range."""
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @classmethod
    def parse(cls, text: str) -> DateSpan:
        """The inverse of `isoformat`."""
        parts = text.strip().split("/")
        try:
            days = [date.fromisoformat(part) for part in parts]
        except ValueError:
            days = []
        if len(days) not in (1, 2):
            raise ValueError(f"not a date span: {text!r}")
        return cls(days[0], days[-1])


class WrittenDate(NamedTuple):
    """A date written out in text; year is None when the text leaves it out."""

    start: int
    end: int
    year: int | None
    month: int
    day: int


def parse_date(value: str | date | datetime) -> date:
    """A publication or filter date from an ISO string or a usual written form."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = value.strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    # Parsing against two different defaults exposes any field the text leaves out.
    try:
        parsed = {
            date_parser.parse(text, default=default, ignoretz=True).date()
            for default in (datetime(2001, 1, 1), datetime(2002, 2, 2))
        }
    except (ValueError, OverflowError):
        parsed = set()
    if len(parsed) != 1:
        raise ValueError(f"not a date: {value!r}")
    return parsed.pop()


def find_explicit_dates(text: str, default_year: int | None) -> list[tuple[int, int, date]]:
    """Absolute dates written in text, with their character spans."""
    found = []
    for w in written_dates(text):
        day = safe_date(w.year or default_year, w.month, w.day)
        if day is not None:
            found.append((w.start, w.end, day))
    return found


def best_date_in_text(text: str) -> date | None:
    """The likely publication date of a text without metadata: its first date with a year."""
    for w in written_dates(text):
        if w.year is not None:
            return date(w.year, w.month, w.day)
    return None


def anchor_dates(text: str, published: date, sentence_starts: list[int]) -> list[date]:
    """Per sentence, the day its relative references resolve against.

    A live-blog header ('Updated March 6 at 5:00 p.m. EST |') re-dates the sentence holding it
    and every later one up to the next header.
    """
    headers = [(m.start(), _header_date(m, published)) for m in _HEADER.finditer(text)]
    dated = [(position, day) for position, day in headers if day is not None]
    positions = [position for position, _ in dated]
    ends = [*sentence_starts[1:], len(text)] if sentence_starts else []
    anchors = []
    for end in ends:
        i = bisect_left(positions, end)
        anchors.append(dated[i - 1][1] if i else published)
    return anchors


def safe_date(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_number(text: str) -> int:
    return int(text) if text.isdigit() else MONTHS[text.rstrip(".").lower()]


def first_longest(items: Iterable[_T]) -> list[_T]:
    """Items in order of appearance, dropping any that overlap an earlier or longer one."""
    kept: list[_T] = []
    for item in sorted(items, key=lambda i: (i.start, -i.end)):
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept


def written_dates(text: str) -> list[WrittenDate]:
    found = []
    for pattern in _WRITTEN:
        for m in pattern.finditer(text):
            year = int(m["year"]) if m["year"] else None
            month, day = month_number(m["month"]), int(m["day"])
            if safe_date(year or LEAP_YEAR, month, day) is not None:
                found.append(WrittenDate(m.start(), m.end(), year, month, day))
    return first_longest(found)


def _header_date(m: re.Match[str], published: date) -> date | None:
    month, day = month_number(m["month"]), int(m["day"])
    if m["year"]:
        return safe_date(int(m["year"]), month, day)
    header = safe_date(published.year, month, day)
    if header is not None and header - published > HEADER_GRACE:
        return safe_date(published.year - 1, month, day)
    return header
