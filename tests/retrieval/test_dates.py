from datetime import UTC, date, datetime

import pytest

from retrieval.dates import (
    DateSpan,
    QuestionDates,
    anchor_dates,
    best_date_in_text,
    event_spans,
    find_explicit_dates,
    parse_date,
    parse_question_dates,
)

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

PBS_SENTENCES = [
    "World Mar 7, 2014 1:28 PM EDT Updated March 7 at 1:30 p.m. EST | In a call with Secretary "
    "of State John Kerry Friday, Russian foreign minister Sergei Lavrov warned the United States "
    "against “hasty and reckless steps” that would damage relations.",
    "—————— Video by Associated Press Updated March 6 at 5:00 p.m. EST | The talks ended.",
    "Updated March 6 at 10:15 a.m. | U.S. Secretary of State John Kerry met with Russian Foreign "
    "Minister Sergey Lavrov on Thursday in a continued effort to diffuse tensions in Ukraine.",
    "Following an initial meeting in Paris on Wednesday, the two consulted in Rome.",
    "Updated March 5 at 4:00 p.m. EST | In a news conference held Wednesday, Kerry said that the "
    "U.S. will not allow Russia’s violation of Ukraine’s sovereignty to go “unanswered.”",
    "Kerry is expected to meet with Lavrov again in Rome on Thursday.",
    "Russian President Vladimir Putin said Tuesday that the unmarked troops are “local "
    "self-defense forces”.",
]
PBS_ANCHORS = [FRI_MAR_7, D(2014, 3, 6), D(2014, 3, 6), D(2014, 3, 6), WED_MAR_5, WED_MAR_5]
PBS_ANCHORS.append(WED_MAR_5)


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


def test_question_this_week_resolves_with_as_of() -> None:
    q = parse_question_dates("What happened this week?", SAT_MAR_8)
    assert q.spans == (span(D(2014, 3, 3), D(2014, 3, 9)),) and q.recent


@pytest.mark.parametrize(
    "question", ["What did Kerry tell Lavrov?", "May Kerry meet Lavrov?", "What about Mayday?"]
)
def test_question_without_dates_is_empty(question: str) -> None:
    assert parse_question_dates(question, None).empty
    assert parse_question_dates(question, SAT_MAR_8).empty


def test_question_dates_default_is_empty() -> None:
    assert QuestionDates().empty
