"""Date expressions in a sentence or question ("on Saturday", "last week", "two days ago",
"March 8"), resolved against the day they were written."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from dateutil.relativedelta import relativedelta

from retrieval.ingest.dates import (
    MONTH_PATTERN,
    YEAR_PATTERN,
    DateSpan,
    first_longest,
    month_number,
    safe_date,
    written_dates,
)

# fmt: off
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_UNITS = {"day": relativedelta(days=1), "week": relativedelta(weeks=1),
          "month": relativedelta(months=1), "year": relativedelta(years=1)}
# fmt: on
FUTURE_WEIGHT = 2  # a month/day without a year is the nearest, a day to come counting double
_MONTH_YEAR = re.compile(rf"\b{MONTH_PATTERN}\s+(?:of\s+)?{YEAR_PATTERN}")
_IN_YEAR = re.compile(rf"\b(?i:in|during|throughout)\s+{YEAR_PATTERN}")
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
_WEEKEND = re.compile(
    r"(?i)\b(?P<mod>last|next|this\s+past|this\s+coming|this|past|coming)\s+weekend(?:['’]s)?\b"
)
_GAP = re.compile(r",?\s+")
_BACKWARD, _FORWARD = {"last", "past", "this past"}, {"next", "coming", "this coming"}
# "Will be decided" is a future whatever its participle: the cue takes the verb in.
_FUTURE_CUE = re.compile(
    r"(?i)\b(?:(?:will|shall|to)\s+be\s+[a-z]+|will|shall|upcoming|plans?\s+to"
    r"|(?:is|are|was|were)\s+(?:going|planning|due)\s+to"
    r"|(?:expected|scheduled|set|slated|planned)\s+(?:to|for)"
    r"|later\s+(?:today|tonight|this|next|on))\b|['’]ll\b|\bwon['’]t\b"
)
# Regular past tenses are caught by '-ed' (lower case, so 'United' is not one; not '-eed').
_PAST_CUE = re.compile(
    r"\b(?i:said|told|met|was|were|had|did|made|held|gave|took|went|came|spoke|saw|sent|left|"
    r"won|lost|began|agreed|wrote)\b|\b[a-z]{2,}(?<!e)ed\b"
)


@dataclass(frozen=True)
class Mention:
    """A date expression in text, resolvable against an anchor day."""

    start: int
    end: int
    resolve: Callable[[date], DateSpan | None]
    fixed: DateSpan | None = None  # when it needs no anchor
    weekday: int | None = None
    month_day: tuple[int, int] | None = None


def event_spans(sentence: str, anchor: date) -> list[DateSpan]:
    """The days a sentence talks about, resolved against anchor, in order of appearance."""
    spans = (mention.resolve(anchor) for mention in mentions(sentence))
    return list(dict.fromkeys(span for span in spans if span is not None))


def mentions(text: str) -> list[Mention]:
    """Every date expression in text, in order of appearance, without overlaps."""
    written = list(_written_mentions(text))
    written_starts = {m.start for m in written}
    # In 'Sunday, March 16' the weekday only restates the date.
    weekdays = [
        m
        for m in _weekday_mentions(text)
        if not ((gap := _GAP.match(text, m.end)) and gap.end() in written_starts)
    ]
    return first_longest(
        [
            *written,
            *_range_mentions(text),
            *_relative_mentions(text),
            *weekdays,
            *_weekend_mentions(text),
        ]
    )


def _fixed(start: int, end: int, span: DateSpan) -> Mention:
    return Mention(start, end, lambda _anchor: span, fixed=span)


def _written_mentions(text: str) -> Iterator[Mention]:
    for w in written_dates(text):
        if w.year is None:
            resolve = partial(_nearest_year, w.month, w.day)
            yield Mention(w.start, w.end, resolve, month_day=(w.month, w.day))
        else:
            yield _fixed(w.start, w.end, DateSpan.day(date(w.year, w.month, w.day)))


def _range_mentions(text: str) -> Iterator[Mention]:
    for m in _MONTH_YEAR.finditer(text):
        yield _fixed(m.start(), m.end(), _month_span(int(m["year"]), month_number(m["month"])))
    for m in _IN_YEAR.finditer(text):
        year = int(m["year"])
        yield _fixed(m.start(), m.end(), DateSpan(date(year, 1, 1), date(year, 12, 31)))


def _relative_mentions(text: str) -> Iterator[Mention]:
    for m in _DAY_WORD.finditer(text):
        offset = _DAY_OFFSETS.get(" ".join(m["word"].lower().split()), 0)
        yield Mention(m.start(), m.end(), partial(_shifted_day, offset))
    for m in _CALENDAR_UNIT.finditer(text):
        step = _STEPS[m["which"].lower()]
        yield Mention(m.start(), m.end(), partial(_calendar_span, m["unit"].lower(), step))
    for m in _AGO.finditer(text):
        count = m["count"].lower()
        n = int(count) if count.isdigit() else NUMBER_WORDS[count]
        yield Mention(m.start(), m.end(), partial(_ago, _UNITS[m["unit"].lower()] * n))


def _weekday_mentions(text: str) -> Iterator[Mention]:
    cues = _tense_cues(text)
    for m in _WEEKDAY.finditer(text):
        weekday = WEEKDAYS.index(m["weekday"].lower())
        modifier = " ".join((m["mod"] or "").lower().split())
        if modifier in _BACKWARD or modifier in _FORWARD:
            forward, minimum = modifier in _FORWARD, 1
        else:
            forward, minimum = _nearest_cue_is_future(cues, m.start(), m.end()), 0
        resolve = partial(_weekday_span, weekday, forward, minimum)
        yield Mention(m.start(), m.end(), resolve, weekday=weekday)


def _weekend_mentions(text: str) -> Iterator[Mention]:
    """'Last weekend', 'this past weekend', 'this weekend' (past or coming, by the tense)."""
    cues = _tense_cues(text)
    for m in _WEEKEND.finditer(text):
        modifier = " ".join(m["mod"].lower().split())
        if modifier == "this":
            forward, minimum = _nearest_cue_is_future(cues, m.start(), m.end()), 0
        else:
            forward, minimum = modifier in _FORWARD, 1
        yield Mention(m.start(), m.end(), partial(_weekend_span, forward, minimum))


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


def _weekend_span(forward: bool, minimum: int, anchor: date) -> DateSpan:
    """Saturday and Sunday: the weekend under way or just past (or coming, when forward)."""
    if not forward and anchor.weekday() == 6 and minimum == 0:
        anchor -= timedelta(days=1)  # on a Sunday, "this weekend" began yesterday
    saturday = _weekday_span(5, forward, minimum, anchor).start
    return DateSpan(saturday, saturday + timedelta(days=1))


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
    is last year's), a day to come counting double: news tells what happened, so 'May 7' in a
    November review of the year is the May gone, not the one to come."""
    years = (anchor.year - 1, anchor.year, anchor.year + 1)
    days = [d for d in (safe_date(year, month, day) for year in years) if d is not None]
    if not days:
        return None
    return DateSpan.day(min(days, key=lambda d: _distance(d, anchor)))


def _distance(day: date, anchor: date) -> int:
    gap = (day - anchor).days
    return gap * FUTURE_WEIGHT if gap > 0 else -gap
