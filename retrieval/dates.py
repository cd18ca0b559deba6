"""Dates in news text and questions: publication dates, relative references, day ranges."""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import NamedTuple, TypeVar

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

# Spelled out rather than taken from `calendar`, whose names follow the locale.
# fmt: off
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_UNITS = {"day": relativedelta(days=1), "week": relativedelta(weeks=1),
          "month": relativedelta(months=1), "year": relativedelta(years=1)}
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
_MONTH = rf"(?P<month>{'|'.join(_MONTH_FORMS)})\b\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\b"
_YEAR = r"(?P<year>(?:19|20)\d{2})(?!\d)"
_WRITTEN = (
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"),
    re.compile(
        r"(?<!\d)(?P<year>(?:19|20)\d{2})(?P<sep>[-/])(?P<month>\d{1,2})(?P=sep)"
        r"(?P<day>\d{1,2})(?!\d)"
    ),
)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}")
_IN_YEAR = re.compile(rf"\b(?i:in|during|throughout)\s+{_YEAR}")
_HEADER = re.compile(
    rf"\b(?:Updated|UPDATED|Update|UPDATE)[,:]?\s+(?:on\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"
)
_DAY_WORD = re.compile(
    r"(?i)\b(?P<word>(?:earlier\s+|later\s+)?today|tonight|this\s+(?:morning|afternoon|evening)"
    r"|yesterday|last\s+night|tomorrow)\b"
)
_DAY_OFFSETS = {"yesterday": -1, "last night": -1, "tomorrow": 1}
_CALENDAR_UNIT = re.compile(r"(?i)\b(?P<which>this|last|next)\s+(?P<unit>week|month|year)\b")
_STEPS = {"last": -1, "this": 0, "next": 1}
_AGO = re.compile(
    rf"(?i)\b(?P<count>\d{{1,3}}|{'|'.join(NUMBER_WORDS)})\s+(?P<unit>day|week|month|year)s?"
    r"\s+ago\b"
)
_WEEKDAY = re.compile(
    r"(?i)\b(?:(?P<mod>last|next|this\s+past|this\s+coming|past|coming)\s+)?"
    rf"(?P<weekday>{'|'.join(WEEKDAYS)})s?\b"
)
_GAP = re.compile(r",?\s+")
_BACKWARD, _FORWARD = {"last", "past", "this past"}, {"next", "coming", "this coming"}
_FUTURE_CUE = re.compile(
    r"(?i)\b(?:will|shall|(?:is|are|was|were)\s+(?:going|planning|due)\s+to|upcoming|plans?\s+to"
    r"|(?:expected|scheduled|set|slated|planned)\s+(?:to|for)"
    r"|later\s+(?:today|tonight|this|next|on))\b|['’]ll\b|\bwon['’]t\b"
)
# Regular past tenses are caught by '-ed' (lower case, so 'United' is not one; not '-eed').
_PAST_CUE = re.compile(
    r"\b(?i:said|told|met|was|were|had|did|made|held|gave|took|went|came|spoke|saw|sent|left|"
    r"won|lost|began|agreed|wrote)\b|\b[a-z]{2,}(?<!e)ed\b"
)
_RECENT = re.compile(
    r"(?i)\b(?:recent|recently|latest|newest|lately|now|currently|today|so\s+far|this\s+week)\b"
)


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


@dataclass(frozen=True)
class QuestionDates:
    """The dates a question asks about."""

    spans: tuple[DateSpan, ...] = ()  # absolute days or ranges
    weekdays: frozenset[int] = frozenset()  # named without an as_of to resolve them (0=Monday)
    month_days: frozenset[tuple[int, int]] = frozenset()  # (month, day) written without a year
    recent: bool = False  # the question asks for the latest news

    @property
    def empty(self) -> bool:
        return not (self.spans or self.weekdays or self.month_days or self.recent)


class _Written(NamedTuple):
    """A date written out in text; year is None when the text leaves it out."""

    start: int
    end: int
    year: int | None
    month: int
    day: int


@dataclass(frozen=True)
class _Mention:
    """A date expression in text, resolvable against an anchor day."""

    start: int
    end: int
    resolve: Callable[[date], DateSpan | None]
    fixed: DateSpan | None = None  # when it needs no anchor
    weekday: int | None = None
    month_day: tuple[int, int] | None = None


_T = TypeVar("_T", _Written, _Mention)


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
    for w in _written_dates(text):
        day = _safe_date(w.year or default_year, w.month, w.day)
        if day is not None:
            found.append((w.start, w.end, day))
    return found


def best_date_in_text(text: str) -> date | None:
    """The likely publication date of a text without metadata: its first date with a year."""
    for w in _written_dates(text):
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


def event_spans(sentence: str, anchor: date) -> list[DateSpan]:
    """The days a sentence talks about, resolved against anchor, in order of appearance."""
    spans = (mention.resolve(anchor) for mention in _mentions(sentence))
    return list(dict.fromkeys(span for span in spans if span is not None))


def parse_question_dates(question: str, as_of: date | None) -> QuestionDates:
    """Date expressions in a question; relative ones resolve against as_of when given."""
    recent = _RECENT.search(question) is not None
    if as_of is not None:
        return QuestionDates(spans=tuple(event_spans(question, as_of)), recent=recent)
    mentions = _mentions(question)
    spans = (m.fixed for m in mentions)
    return QuestionDates(
        spans=tuple(dict.fromkeys(span for span in spans if span is not None)),
        weekdays=frozenset(m.weekday for m in mentions if m.weekday is not None),
        month_days=frozenset(m.month_day for m in mentions if m.month_day is not None),
        recent=recent,
    )


def without_dates(text: str) -> str:
    """The text with its date expressions blanked out (each replaced by as many spaces)."""
    for mention in _mentions(text):
        text = text[: mention.start] + " " * (mention.end - mention.start) + text[mention.end :]
    return text


def _safe_date(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(text: str) -> int:
    return int(text) if text.isdigit() else MONTHS[text.rstrip(".").lower()]


def _first_longest(items: Iterable[_T]) -> list[_T]:
    """Items in order of appearance, dropping any that overlap an earlier or longer one."""
    kept: list[_T] = []
    for item in sorted(items, key=lambda i: (i.start, -i.end)):
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept


def _written_dates(text: str) -> list[_Written]:
    found = []
    for pattern in _WRITTEN:
        for m in pattern.finditer(text):
            year = int(m["year"]) if m["year"] else None
            month, day = _month_number(m["month"]), int(m["day"])
            if _safe_date(year or LEAP_YEAR, month, day) is not None:
                found.append(_Written(m.start(), m.end(), year, month, day))
    return _first_longest(found)


def _header_date(m: re.Match[str], published: date) -> date | None:
    month, day = _month_number(m["month"]), int(m["day"])
    if m["year"]:
        return _safe_date(int(m["year"]), month, day)
    header = _safe_date(published.year, month, day)
    if header is not None and header - published > HEADER_GRACE:
        return _safe_date(published.year - 1, month, day)
    return header


def _mentions(text: str) -> list[_Mention]:
    """Every date expression in text, in order of appearance, without overlaps."""
    written = list(_written_mentions(text))
    written_starts = {m.start for m in written}
    # In 'Sunday, March 16' the weekday only restates the date.
    weekdays = [
        m
        for m in _weekday_mentions(text)
        if not ((gap := _GAP.match(text, m.end)) and gap.end() in written_starts)
    ]
    return _first_longest([*written, *_range_mentions(text), *_relative_mentions(text), *weekdays])


def _fixed(start: int, end: int, span: DateSpan) -> _Mention:
    return _Mention(start, end, lambda _anchor: span, fixed=span)


def _written_mentions(text: str) -> Iterator[_Mention]:
    for w in _written_dates(text):
        if w.year is None:
            resolve = partial(_nearest_year, w.month, w.day)
            yield _Mention(w.start, w.end, resolve, month_day=(w.month, w.day))
        else:
            yield _fixed(w.start, w.end, DateSpan.day(date(w.year, w.month, w.day)))


def _range_mentions(text: str) -> Iterator[_Mention]:
    for m in _MONTH_YEAR.finditer(text):
        yield _fixed(m.start(), m.end(), _month_span(int(m["year"]), _month_number(m["month"])))
    for m in _IN_YEAR.finditer(text):
        year = int(m["year"])
        yield _fixed(m.start(), m.end(), DateSpan(date(year, 1, 1), date(year, 12, 31)))


def _relative_mentions(text: str) -> Iterator[_Mention]:
    for m in _DAY_WORD.finditer(text):
        offset = _DAY_OFFSETS.get(" ".join(m["word"].lower().split()), 0)
        yield _Mention(m.start(), m.end(), partial(_shifted_day, offset))
    for m in _CALENDAR_UNIT.finditer(text):
        step = _STEPS[m["which"].lower()]
        yield _Mention(m.start(), m.end(), partial(_calendar_span, m["unit"].lower(), step))
    for m in _AGO.finditer(text):
        count = m["count"].lower()
        n = int(count) if count.isdigit() else NUMBER_WORDS[count]
        yield _Mention(m.start(), m.end(), partial(_ago, _UNITS[m["unit"].lower()] * n))


def _weekday_mentions(text: str) -> Iterator[_Mention]:
    cues = _tense_cues(text)
    for m in _WEEKDAY.finditer(text):
        weekday = WEEKDAYS.index(m["weekday"].lower())
        modifier = " ".join((m["mod"] or "").lower().split())
        if modifier in _BACKWARD or modifier in _FORWARD:
            forward, minimum = modifier in _FORWARD, 1
        else:
            forward, minimum = _nearest_cue_is_future(cues, m.start(), m.end()), 0
        resolve = partial(_weekday_span, weekday, forward, minimum)
        yield _Mention(m.start(), m.end(), resolve, weekday=weekday)


def _tense_cues(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_future) for the words that tell a sentence's tense."""
    future = [(m.start(), m.end(), True) for m in _FUTURE_CUE.finditer(text)]
    past = [
        (m.start(), m.end(), False)
        for m in _PAST_CUE.finditer(text)
        if not any(start < m.end() and m.start() < end for start, end, _ in future)
    ]
    return future + past


def _nearest_cue_is_future(cues: list[tuple[int, int, bool]], start: int, end: int) -> bool:
    """Whether the tense word closest to text[start:end] speaks of the future."""

    def distance(cue: tuple[int, int, bool]) -> int:
        return start - cue[1] if cue[1] <= start else cue[0] - end

    return min(cues, key=distance)[2] if cues else False


def _weekday_span(weekday: int, forward: bool, minimum: int, anchor: date) -> DateSpan:
    """The closest such weekday at least `minimum` days before (or after) anchor."""
    gap = (weekday - anchor.weekday() if forward else anchor.weekday() - weekday) % 7
    if gap < minimum:
        gap += 7
    return DateSpan.day(anchor + timedelta(days=gap if forward else -gap))


def _shifted_day(offset: int, anchor: date) -> DateSpan:
    return DateSpan.day(anchor + timedelta(days=offset))


def _ago(delta: relativedelta, anchor: date) -> DateSpan:
    return DateSpan.day(anchor - delta)


def _calendar_span(unit: str, step: int, anchor: date) -> DateSpan:
    """The week (from Monday), month or year `step` units from the anchor's own."""
    if unit == "week":
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=step)
        return DateSpan(monday, monday + timedelta(days=6))
    if unit == "month":
        first = anchor.replace(day=1) + relativedelta(months=step)
        return _month_span(first.year, first.month)
    return DateSpan(date(anchor.year + step, 1, 1), date(anchor.year + step, 12, 31))


def _month_span(year: int, month: int) -> DateSpan:
    last = calendar.monthrange(year, month)[1]
    return DateSpan(date(year, month, 1), date(year, month, last))


def _nearest_year(month: int, day: int, anchor: date) -> DateSpan | None:
    """A month/day without a year: the occurrence closest to anchor (so 'Dec. 28' in January
    is last year's)."""
    years = (anchor.year - 1, anchor.year, anchor.year + 1)
    days = [d for d in (_safe_date(year, month, day) for year in years) if d is not None]
    if not days:
        return None
    return DateSpan.day(min(days, key=lambda d: abs((d - anchor).days)))
