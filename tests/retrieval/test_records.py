"""The request record every interface builds: checked once, with the bad value named."""

from datetime import date

import pytest

from retrieval.errors import InvalidRequest
from retrieval.records import MAX_HISTORY, MAX_QUESTION_CHARS, SearchRequest


def test_requests_are_validated_with_the_bad_value() -> None:
    with pytest.raises(InvalidRequest, match="empty"):
        SearchRequest("  ")
    with pytest.raises(InvalidRequest, match=r"k \(0\)"):
        SearchRequest("q", k=0)
    with pytest.raises(InvalidRequest, match="over 1000 characters"):
        SearchRequest("q" * (MAX_QUESTION_CHARS + 1))
    with pytest.raises(InvalidRequest, match="history holds over"):
        SearchRequest("q", history=("earlier?",) * (MAX_HISTORY + 1))


def test_since_after_until_is_an_empty_window_not_an_error() -> None:
    request = SearchRequest("q", since=date(2024, 2, 1), until=date(2024, 1, 1))

    assert request.since and request.until and request.since > request.until
