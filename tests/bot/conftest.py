"""Fixtures of the interfaces' tests: the fake Slack Web API."""

from collections.abc import Iterator

import pytest

from tests.fakes.slack_api import FakeSlack


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake
