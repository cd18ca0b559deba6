"""The dates a question asks about: "on Saturday", "March 8", "last week", "latest"."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from retrieval.ingest.dates import YEAR_PATTERN, DateSpan
from retrieval.ingest.mentions import event_spans, mentions

_RECENT = re.compile(
    r"(?i)\b(?:recent|recently|latest|newest|lately|now|currently|today|so\s+far|this\s+week)\b"
)

# "The 2026 Eurovision", "the 2023 Grammy Awards": a year naming its event asks about that year.
_EVENT_YEAR = re.compile(rf"\b{YEAR_PATTERN}\s+(?=[A-Z])")


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

    @property
    def names_days(self) -> bool:
        """Whether the question names days (not only "latest")."""
        return bool(self.spans or self.weekdays or self.month_days)

    def asks_about(self, day: date) -> bool:
        return (
            day.weekday() in self.weekdays
            or (day.month, day.day) in self.month_days
            or any(span.contains(day) for span in self.spans)
        )


def parse_question_dates(question: str, as_of: date | None) -> QuestionDates:
    """Date expressions in a question; relative ones resolve against as_of when given."""
    recent = _RECENT.search(question) is not None
    years = _event_years(question)
    if as_of is not None:
        resolved = (_week_so_far(span, as_of) for span in event_spans(question, as_of))
        return QuestionDates(spans=tuple(dict.fromkeys([*resolved, *years])), recent=recent)
    found = mentions(question)
    spans = [*(m.fixed for m in found), *years]
    return QuestionDates(
        spans=tuple(dict.fromkeys(span for span in spans if span is not None)),
        weekdays=frozenset(m.weekday for m in found if m.weekday is not None),
        month_days=frozenset(m.month_day for m in found if m.month_day is not None),
        recent=recent,
    )


def _event_years(question: str) -> list[DateSpan]:
    """The years naming an event, outside the dates written out ("March 8, 2014 Kerry…")."""
    written = [(m.start, m.end) for m in mentions(question)]
    return [
        DateSpan(date(int(m["year"]), 1, 1), date(int(m["year"]), 12, 31))
        for m in _EVENT_YEAR.finditer(question)
        if not any(start <= m.start() < end for start, end in written)
    ]


def _week_so_far(span: DateSpan, as_of: date) -> DateSpan:
    """Asked on a Tuesday what happened "this week", the weekend just past counts: the calendar
    week holding as_of reaches back seven days instead."""
    this_week = as_of - timedelta(days=as_of.weekday())
    if span.start == this_week and (span.end - span.start).days == 6:
        return DateSpan(min(span.start, as_of - timedelta(days=6)), span.end)
    return span


def without_dates(text: str, keep_ranges: bool = False) -> str:
    """The text with its date expressions blanked out (each replaced by as many spaces);
    keep_ranges keeps the written months and years ("in 1995", "March 2014")."""
    for mention in mentions(text):
        if keep_ranges and mention.fixed and mention.fixed.start != mention.fixed.end:
            continue
        text = text[: mention.start] + " " * (mention.end - mention.start) + text[mention.end :]
    return text
