from datetime import UTC, date, datetime

import pytest

from retrieval.ingest.dates import (
    DateSpan,
    anchor_dates,
    best_date_in_text,
    find_explicit_dates,
    parse_date,
)
from tests.retrieval.ingest.pbs_live_blog import PBS_ANCHORS, PBS_SENTENCES

D = date
SAT_MAR_8 = D(2014, 3, 8)  # NBC publication day, a Saturday
FRI_MAR_7 = D(2014, 3, 7)
WED_MAR_5 = D(2014, 3, 5)


def day(y: int, m: int, d: int) -> DateSpan:
    return DateSpan.day(D(y, m, d))


def span(a: date, b: date) -> DateSpan:
    return DateSpan(a, b)


def starts_of(sentences: list[str]) -> tuple[str, list[int]]:
    """Join sentences with spaces; return the text and each sentence's start offset."""
    starts, offset = [], 0
    for sentence in sentences:
        starts.append(offset)
        offset += len(sentence) + 1
    return " ".join(sentences), starts


# --- DateSpan ---


def test_span_rejects_start_after_end_naming_both() -> None:
    with pytest.raises(ValueError, match=r"2014-03-09.*2014-03-08"):
        DateSpan(D(2014, 3, 9), D(2014, 3, 8))


def test_span_contains_and_overlaps_are_inclusive() -> None:
    week = span(D(2014, 3, 3), D(2014, 3, 9))
    assert week.contains(D(2014, 3, 3)) and week.contains(D(2014, 3, 9))
    assert not week.contains(D(2014, 3, 10))
    assert week.overlaps(day(2014, 3, 9))
    assert day(2014, 3, 9).overlaps(week)
    assert not week.overlaps(span(D(2014, 3, 10), D(2014, 3, 16)))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (day(2014, 3, 8), "2014-03-08"),
        (span(D(2014, 3, 3), D(2014, 3, 9)), "2014-03-03/2014-03-09"),
    ],
)
def test_span_isoformat_round_trips(value: DateSpan, text: str) -> None:
    assert value.isoformat() == text
    assert DateSpan.parse(text) == value


@pytest.mark.parametrize("text", ["", "2014-03", "2014-02-30", "a/b", "2014-03-01/2014-03-02/x"])
def test_span_parse_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError, match=repr(text)):
        DateSpan.parse(text)


def test_span_parse_rejects_reversed_range() -> None:
    with pytest.raises(ValueError):
        DateSpan.parse("2014-03-09/2014-03-08")


# --- parse_date ---


@pytest.mark.parametrize(
    "value",
    [
        "2014-03-07",
        "2014-03-07T13:28:00",
        "2014-03-07T13:28:00Z",
        "2014-03-07T13:28:00-05:00",
        "Mar 7, 2014",
        "March 7, 2014 1:28 PM EDT",
        "7 March 2014",
        "2014/03/07",
        "  2014-03-07\n",
        D(2014, 3, 7),
        datetime(2014, 3, 7, 13, 28),
        datetime(2014, 3, 7, 23, 59, tzinfo=UTC),
    ],
)
def test_parse_date_reads_usual_forms(value: str | date | datetime) -> None:
    assert parse_date(value) == FRI_MAR_7


@pytest.mark.parametrize("value", ["2012-02-29", "Feb 29, 2000", "29 February 2016"])
def test_parse_date_accepts_leap_days(value: str) -> None:
    assert parse_date(value).month == 2 and parse_date(value).day == 29


@pytest.mark.parametrize(
    "value",
    [
        "2014-02-30",
        "2014-02-29",
        "Feb 29, 1900",
        "2014-13-01",
        "March 2014",
        "Saturday",
        "hello",
        "",
    ],
)
def test_parse_date_rejects_impossible_or_partial_dates(value: str) -> None:
    with pytest.raises(ValueError, match=f"not a date: {value!r}"):
        parse_date(value)


# --- find_explicit_dates ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in Rome on March 6, 2014. KEVIN", D(2014, 3, 6)),
        ("on March 6 in Rome", D(2014, 3, 6)),
        ("on 6 March 2014 in Rome", D(2014, 3, 6)),
        ("on Mar. 6 in Rome", D(2014, 3, 6)),
        ("on Sept. 11, 2001 in New York", D(2001, 9, 11)),
        ("on the 6th of March in Rome", D(2014, 3, 6)),
        ("filed 2014-03-06T10:00Z", D(2014, 3, 6)),
        ("see /2014/03/06/ukraine", D(2014, 3, 6)),
        ("UPDATE, MARCH 6: talks", D(2014, 3, 6)),
        ("on May 5 they met", D(2014, 5, 5)),
    ],
)
def test_find_explicit_dates(text: str, expected: date) -> None:
    assert [d for _, _, d in find_explicit_dates(text, 2014)] == [expected]


def test_find_explicit_dates_gives_character_spans_in_order() -> None:
    text = "Talks on March 6, 2014 in Rome followed 5 March in Paris."
    found = find_explicit_dates(text, 2014)
    assert [text[s:e] for s, e, _ in found] == ["March 6, 2014", "5 March"]
    assert [d for _, _, d in found] == [D(2014, 3, 6), D(2014, 3, 5)]


@pytest.mark.parametrize(
    "text",
    [
        "Sanctions may be imposed, and talks may 2 ways go.",
        "A Mayday call came in.",
        "Protesters march 5 miles.",
        "The list has 2,000 entries and 15 members.",
        "In 2014 prices rose.",
    ],
)
def test_find_explicit_dates_ignores_words_that_are_not_dates(text: str) -> None:
    assert find_explicit_dates(text, 2014) == []


def test_find_explicit_dates_skips_yearless_without_default_year() -> None:
    text = "On March 6 and on March 7, 2014."
    assert [d for _, _, d in find_explicit_dates(text, None)] == [D(2014, 3, 7)]


@pytest.mark.parametrize(("year", "found"), [(2014, []), (2016, [D(2016, 2, 29)])])
def test_find_explicit_dates_checks_leap_days_against_the_year(
    year: int, found: list[date]
) -> None:
    assert [d for _, _, d in find_explicit_dates("on Feb. 29 there", year)] == found


def test_find_explicit_dates_skips_impossible_dates() -> None:
    assert find_explicit_dates("on February 30, 2014 and April 31", 2014) == []


# --- best_date_in_text ---


def test_best_date_in_text_takes_first_full_date() -> None:
    text = (
        "Share on Twitter Lavrov warns Kerry World Mar 7, 2014 1:28 PM EDT "
        "Updated March 7 at 1:30 p.m. EST | In a call ... — Hague March 5, 2014"
    )
    assert best_date_in_text(text) == FRI_MAR_7


def test_best_date_in_text_ignores_dates_without_year() -> None:
    text = "Updated March 7 at 1:30 p.m. " + "x " * 400 + "Posted 8 March 2014."
    assert best_date_in_text(text) == SAT_MAR_8


def test_best_date_in_text_none_without_dates() -> None:
    assert best_date_in_text("Kerry met Lavrov on Thursday.") is None


# --- anchor_dates ---


def test_anchor_dates_follow_live_blog_headers() -> None:
    text, starts = starts_of(PBS_SENTENCES)
    assert anchor_dates(text, FRI_MAR_7, starts) == PBS_ANCHORS


def test_anchor_dates_default_to_publication_until_first_header() -> None:
    text, starts = starts_of(["Kerry spoke Friday.", "UPDATE, March 5: Talks ended.", "More."])
    assert anchor_dates(text, FRI_MAR_7, starts) == [FRI_MAR_7, WED_MAR_5, WED_MAR_5]


def test_anchor_dates_without_headers_are_publication_date() -> None:
    text, starts = starts_of(["Kerry spoke Friday.", "The list was updated March 5 at noon."])
    assert anchor_dates(text, SAT_MAR_8, starts) == [SAT_MAR_8, SAT_MAR_8]


def test_anchor_dates_header_after_new_year_belongs_to_previous_year() -> None:
    text, starts = starts_of(
        ["Updated Jan. 2 at 9 a.m. | Calm.", "Updated Dec. 31 at 11 p.m. | Fire."]
    )
    assert anchor_dates(text, D(2015, 1, 2), starts) == [D(2015, 1, 2), D(2014, 12, 31)]


def test_anchor_dates_header_year_is_used_when_written() -> None:
    text, starts = starts_of(["Updated March 6, 2013 at 9 a.m. | Calm."])
    assert anchor_dates(text, FRI_MAR_7, starts) == [D(2013, 3, 6)]


def test_anchor_dates_empty() -> None:
    assert anchor_dates("", FRI_MAR_7, []) == []
