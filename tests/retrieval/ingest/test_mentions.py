"""Date expressions in sentences, resolved against the day they were written."""

from datetime import date

import pytest

from retrieval.ingest.dates import DateSpan
from retrieval.ingest.mentions import event_spans
from tests.retrieval.ingest.pbs_live_blog import PBS_ANCHORS, PBS_SENTENCES

D = date
SAT_MAR_8 = D(2014, 3, 8)  # NBC publication day, a Saturday
WED_MAR_5 = D(2014, 3, 5)


def day(y: int, m: int, d: int) -> DateSpan:
    return DateSpan.day(D(y, m, d))


def span(a: date, b: date) -> DateSpan:
    return DateSpan(a, b)


# --- event_spans: the seed articles ---


@pytest.mark.parametrize(
    ("sentence", "anchor", "expected"),
    [
        (
            "U.S. Secretary of State John Kerry told Russian Foreign Minister Sergei Lavrov in a "
            "telephone call on Saturday that any Russian steps to annex Ukraine's Crimea region "
            "would close the door to diplomacy",
            SAT_MAR_8,
            [day(2014, 3, 8)],
        ),
        (
            "On Friday night, Obama telephoned German Chancellor Angela Merkel",
            SAT_MAR_8,
            [day(2014, 3, 7)],
        ),
        (
            "Obama made his third call this week about the crisis",
            SAT_MAR_8,
            [span(D(2014, 3, 3), D(2014, 3, 9))],
        ),
        *[(s, a, [DateSpan.day(a)]) for s, a in zip(PBS_SENTENCES[:3], PBS_ANCHORS, strict=False)],
        (PBS_SENTENCES[3], D(2014, 3, 6), [day(2014, 3, 5)]),
        (PBS_SENTENCES[4], WED_MAR_5, [day(2014, 3, 5)]),
        (PBS_SENTENCES[5], WED_MAR_5, [day(2014, 3, 6)]),
        (PBS_SENTENCES[6], WED_MAR_5, [day(2014, 3, 4)]),
    ],
)
def test_event_spans_seed_sentences(sentence: str, anchor: date, expected: list[DateSpan]) -> None:
    assert event_spans(sentence, anchor) == expected


# --- event_spans: weekdays ---


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kerry spoke on Saturday.", D(2014, 3, 8)),  # the anchor's own weekday
        ("Kerry spoke Sunday.", D(2014, 3, 2)),
        ("Kerry spoke Tuesday night.", D(2014, 3, 4)),
        ("Kerry spoke Wednesday morning.", D(2014, 3, 5)),
        ("Kerry spoke last Saturday.", D(2014, 3, 1)),
        ("Kerry spoke this past Friday.", D(2014, 3, 7)),
        ("Kerry will speak on Monday.", D(2014, 3, 10)),
        ("Kerry will speak on Saturday.", D(2014, 3, 8)),
        ("Kerry speaks next Saturday.", D(2014, 3, 15)),
        ("Kerry speaks next Tuesday.", D(2014, 3, 11)),
        ("Talks are scheduled to resume Tuesday.", D(2014, 3, 11)),
        ("Kerry plans to fly to Kiev on Tuesday.", D(2014, 3, 11)),
        ("Kerry said Tuesday he would travel.", D(2014, 3, 4)),
        ("A vote is set for Sunday.", D(2014, 3, 9)),
        ("Two days later, on Friday, troops moved in.", D(2014, 3, 7)),
        ("Flights were cancelled on Monday due to the storm.", D(2014, 3, 3)),
        ("Kerry’ll meet him on Sunday.", D(2014, 3, 9)),
        ("Markets closed on SUNDAY.", D(2014, 3, 2)),
        ("Churches are full on Sundays.", D(2014, 3, 2)),
        ("The Good Friday Agreement was signed.", D(2014, 3, 7)),
    ],
)
def test_event_spans_weekdays(sentence: str, expected: date) -> None:
    assert event_spans(sentence, SAT_MAR_8) == [DateSpan.day(expected)]


def test_event_spans_tense_is_read_near_each_weekday() -> None:
    sentence = "Putin said Tuesday that he will meet Obama on Friday."
    assert event_spans(sentence, WED_MAR_5) == [day(2014, 3, 4), day(2014, 3, 7)]


# --- event_spans: relative words and calendar ranges ---


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kerry spoke today.", day(2014, 3, 8)),
        ("Kerry speaks tonight.", day(2014, 3, 8)),
        ("Kerry spoke this morning.", day(2014, 3, 8)),
        ("Kerry spoke earlier today.", day(2014, 3, 8)),
        ("Kerry spoke yesterday.", day(2014, 3, 7)),
        ("Kerry spoke last night.", day(2014, 3, 7)),
        ("Kerry speaks tomorrow.", day(2014, 3, 9)),
        ("Kerry spoke two days ago.", day(2014, 3, 6)),
        ("Kerry spoke 3 days ago.", day(2014, 3, 5)),
        ("Kerry spoke a week ago.", day(2014, 3, 1)),
        ("Kerry spoke last week.", span(D(2014, 2, 24), D(2014, 3, 2))),
        ("Kerry speaks next week.", span(D(2014, 3, 10), D(2014, 3, 16))),
        ("Kerry spoke this month.", span(D(2014, 3, 1), D(2014, 3, 31))),
        ("Kerry spoke last month.", span(D(2014, 2, 1), D(2014, 2, 28))),
        ("Kerry spoke this year.", span(D(2014, 1, 1), D(2014, 12, 31))),
        ("Kerry spoke last year.", span(D(2013, 1, 1), D(2013, 12, 31))),
        ("Kerry spoke on March 6.", day(2014, 3, 6)),
        ("Kerry spoke on 6 March 2013.", day(2013, 3, 6)),
        ("Crimea joined Ukraine in 1954.", span(D(1954, 1, 1), D(1954, 12, 31))),
        ("Kerry spoke in March 2013.", span(D(2013, 3, 1), D(2013, 3, 31))),
        ("Kerry spoke in February 2012.", span(D(2012, 2, 1), D(2012, 2, 29))),
    ],
)
def test_event_spans_relative_and_explicit(sentence: str, expected: DateSpan) -> None:
    assert event_spans(sentence, SAT_MAR_8) == [expected]


@pytest.mark.parametrize(
    ("sentence", "anchor", "expected"),
    [
        ("The film topped the box office last weekend.", D(2014, 3, 11), (8, 9)),
        ("He won the title this past weekend.", D(2014, 3, 11), (8, 9)),
        ("He won the title this weekend.", D(2014, 3, 11), (8, 9)),
        ("He won the title this weekend.", D(2014, 3, 9), (8, 9)),
        ("The race will take place this weekend.", D(2014, 3, 11), (15, 16)),
        ("The title will be decided this weekend.", D(2014, 3, 11), (15, 16)),
        ("The final is to be played this weekend.", D(2014, 3, 11), (15, 16)),
        ("The race is set for next weekend.", D(2014, 3, 8), (15, 16)),
    ],
)
def test_event_spans_weekends(sentence: str, anchor: date, expected: tuple[int, int]) -> None:
    assert event_spans(sentence, anchor) == [span(D(2014, 3, expected[0]), D(2014, 3, expected[1]))]


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        (D(2014, 3, 9), span(D(2014, 3, 3), D(2014, 3, 9))),  # Sunday ends the week
        (D(2014, 3, 10), span(D(2014, 3, 10), D(2014, 3, 16))),  # Monday starts one
        (D(2014, 12, 31), span(D(2014, 12, 29), D(2015, 1, 4))),  # across new year
    ],
)
def test_event_spans_weeks_start_on_monday(anchor: date, expected: DateSpan) -> None:
    assert event_spans("It happened this week.", anchor) == [expected]


@pytest.mark.parametrize(
    ("sentence", "anchor", "expected"),
    [
        ("It fell last month.", D(2014, 1, 15), span(D(2013, 12, 1), D(2013, 12, 31))),
        ("It rises next month.", D(2014, 12, 31), span(D(2015, 1, 1), D(2015, 1, 31))),
        ("It fell last year.", D(2014, 1, 1), span(D(2013, 1, 1), D(2013, 12, 31))),
        ("It fell yesterday.", D(2014, 1, 1), day(2013, 12, 31)),
        ("It fell last week.", D(2014, 1, 2), span(D(2013, 12, 23), D(2013, 12, 29))),
        ("It fell on Dec. 28.", D(2014, 1, 3), day(2013, 12, 28)),
        ("It opens on Jan. 5.", D(2014, 12, 20), day(2015, 1, 5)),
        ("May 7 - Rich Strike wins the Kentucky Derby.", D(2022, 11, 8), day(2022, 5, 7)),
        ("The trial opens on March 1.", D(2022, 12, 15), day(2023, 3, 1)),
        ("It fell a month ago.", D(2014, 3, 31), day(2014, 2, 28)),
        ("It fell a year ago.", D(2016, 2, 29), day(2015, 2, 28)),
        ("It fell on Feb. 29.", D(2016, 3, 1), day(2016, 2, 29)),
        ("It fell last month.", D(2016, 3, 31), span(D(2016, 2, 1), D(2016, 2, 29))),
    ],
)
def test_event_spans_year_and_month_boundaries(
    sentence: str, anchor: date, expected: DateSpan
) -> None:
    assert event_spans(sentence, anchor) == [expected]


@pytest.mark.parametrize(
    "sentence", ["Crimea votes on Sunday, March 16.", "Crimea votes Sunday March 16, 2014."]
)
def test_event_spans_weekday_before_a_date_names_that_date(sentence: str) -> None:
    assert event_spans(sentence, SAT_MAR_8) == [day(2014, 3, 16)]


def test_event_spans_keep_order_and_drop_duplicates() -> None:
    sentence = "On Friday, March 7, Kerry repeated what he said yesterday and in 2014."
    assert event_spans(sentence, SAT_MAR_8) == [
        day(2014, 3, 7),
        span(D(2014, 1, 1), D(2014, 12, 31)),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "A Mayday call came in.",
        "Sanctions may be imposed.",
        "Markets were calm and Todays Tuesdaynight Yesterdays.",
        "Kerry spoke.",
        "Thousands of marchers gathered.",
    ],
)
def test_event_spans_ignore_words_inside_words(sentence: str) -> None:
    assert event_spans(sentence, SAT_MAR_8) == []
