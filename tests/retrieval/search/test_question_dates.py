"""The dates a question asks about, with and without as_of."""

from datetime import date

import pytest

from retrieval.ingest.dates import DateSpan
from retrieval.search.question_dates import QuestionDates, parse_question_dates, without_dates

D = date
SAT_MAR_8 = D(2014, 3, 8)  # NBC publication day, a Saturday


def day(y: int, m: int, d: int) -> DateSpan:
    return DateSpan.day(D(y, m, d))


def span(a: date, b: date) -> DateSpan:
    return DateSpan(a, b)


# --- parse_question_dates ---


def test_question_weekday_without_as_of() -> None:
    q = parse_question_dates("What did Kerry tell Lavrov on Saturday?", None)
    assert q == QuestionDates(
        spans=(), weekdays=frozenset({5}), month_days=frozenset(), recent=False
    )
    assert not q.empty


def test_question_weekday_with_as_of() -> None:
    q = parse_question_dates("What did Kerry tell Lavrov on Saturday?", D(2014, 3, 10))
    assert q.spans == (day(2014, 3, 8),)
    assert q.weekdays == frozenset()


@pytest.mark.parametrize(
    ("question", "as_of", "spans"),
    [
        ("What happened on 8 March 2014?", None, (day(2014, 3, 8),)),
        ("What happened on March 8, 2014?", None, (day(2014, 3, 8),)),
        ("What happened on March 8?", D(2014, 3, 10), (day(2014, 3, 8),)),
        ("What happened in 2014?", None, (span(D(2014, 1, 1), D(2014, 12, 31)),)),
        ("What happened in March 2014?", None, (span(D(2014, 3, 1), D(2014, 3, 31)),)),
        ("Who won the 2026 Eurovision?", None, (span(D(2026, 1, 1), D(2026, 12, 31)),)),
        ("Who won the 2026 Eurovision?", SAT_MAR_8, (span(D(2026, 1, 1), D(2026, 12, 31)),)),
        ("How did 2014 end for Crimea?", None, ()),
        ("What did March 2014 Crimea vote?", None, (span(D(2014, 3, 1), D(2014, 3, 31)),)),
        ("What did Lavrov say yesterday?", SAT_MAR_8, (day(2014, 3, 7),)),
        ("What did Lavrov say last week?", SAT_MAR_8, (span(D(2014, 2, 24), D(2014, 3, 2)),)),
        ("What did Lavrov say yesterday?", None, ()),
        ("What did Lavrov say last week?", None, ()),
    ],
)
def test_question_spans(question: str, as_of: date | None, spans: tuple[DateSpan, ...]) -> None:
    assert parse_question_dates(question, as_of).spans == spans


def test_question_month_day_without_year_or_as_of() -> None:
    q = parse_question_dates("What happened on March 8?", None)
    assert q.month_days == frozenset({(3, 8)})
    assert q.spans == () and not q.empty


@pytest.mark.parametrize(
    ("question", "recent"),
    [
        ("What has Kerry said recently?", True),
        ("What is the latest on Crimea?", True),
        ("What happened this week?", True),
        ("What is the most recent statement?", True),
        ("Where are the troops now?", True),
        ("Who currently leads Ukraine?", True),
        ("What did Kerry tell Lavrov?", False),
        ("What is known about Crimea?", False),
    ],
)
def test_question_recent(question: str, recent: bool) -> None:
    assert parse_question_dates(question, None).recent is recent


@pytest.mark.parametrize(
    ("as_of", "since"),
    [(SAT_MAR_8, D(2014, 3, 2)), (D(2014, 3, 4), D(2014, 2, 26)), (D(2014, 3, 9), D(2014, 3, 3))],
)
def test_question_this_week_reaches_back_seven_days_from_as_of(as_of: date, since: date) -> None:
    q = parse_question_dates("What happened this week?", as_of)
    assert q.spans == (span(since, D(2014, 3, 9)),) and q.recent


@pytest.mark.parametrize(
    "question", ["What did Kerry tell Lavrov?", "May Kerry meet Lavrov?", "What about Mayday?"]
)
def test_question_without_dates_is_empty(question: str) -> None:
    assert parse_question_dates(question, None).empty
    assert parse_question_dates(question, SAT_MAR_8).empty


def test_without_dates_can_keep_the_months_and_years_written_out() -> None:
    text = "What did Kerry say on March 8 and in 2014?"
    assert without_dates(text).split() == ["What", "did", "Kerry", "say", "on", "and", "?"]
    assert without_dates(text, keep_ranges=True).split()[-2:] == ["in", "2014?"]


def test_question_dates_default_is_empty() -> None:
    assert QuestionDates().empty
