"""The feed state every process shares: intervals, back-off, the polling lease, what was read."""

from pathlib import Path

import pytest

from bot.feeds.every import MAX_BACKOFF_S, backoff, parse_every, spoken
from bot.feeds.state import MAX_TRIES, FeedState, Outcome
from retrieval.ingest.web.listing import Entry

FEED = "https://harbour.example/rss.xml"


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400)]
)
def test_intervals_read_as_written(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds and spoken(seconds) == text


@pytest.mark.parametrize("text", ["0s", "8d", "15", "soon", ""])
def test_bad_intervals_say_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match="must look like 90s, 15m, 2h or 1d, from 1s to 7d"):
        parse_every(text)


def test_a_failing_source_waits_twice_as_long_each_time_up_to_a_cap() -> None:
    waits = [backoff(900, failures) for failures in range(1, 8)]

    assert waits[:4] == [1800, 3600, 7200, 14400]
    assert waits[-1] == MAX_BACKOFF_S


def test_a_failure_pushes_the_next_fetch_back_and_is_shown(tmp_path: Path) -> None:
    state = FeedState(tmp_path)
    source = state.follow(FEED, 60, "")
    taken = state.take_due()

    assert taken == source and state.take_due() is None  # claimed: no one else polls it
    state.failed(source, f"{FEED}: 503 Service Unavailable", retry_after=600)
    failed = state.source(FEED)

    assert failed is not None and failed.failures == 1
    assert failed.last_error == f"{FEED}: 503 Service Unavailable"
    assert failed.next_fetch - (failed.last_fetch or 0) == pytest.approx(600)  # over 2 × 60 s


def test_one_process_polls_at_a_time(tmp_path: Path) -> None:
    state = FeedState(tmp_path)

    assert state.lease("worker-1", 60)
    assert not FeedState(tmp_path).lease("worker-2", 60)
    assert state.lease("worker-1", 60)  # renewed
    state.release("worker-1")
    assert FeedState(tmp_path).lease("worker-2", 60)


def test_an_entry_is_read_again_when_it_changes_or_until_it_has_failed_enough(
    tmp_path: Path,
) -> None:
    state = FeedState(tmp_path)
    state.follow(FEED, 60, "")
    good = Entry(url="https://harbour.example/a", stamp="v1")
    bad = Entry(url="https://harbour.example/b")

    for _ in range(MAX_TRIES):
        assert state.wanted(FEED, bad)
        state.read(FEED, [Outcome(good, "a", None), Outcome(bad, None, "404 Not Found")])

    assert not state.wanted(FEED, good) and not state.wanted(FEED, bad)
    assert state.wanted(FEED, Entry(url="https://harbour.example/a", stamp="v2"))
