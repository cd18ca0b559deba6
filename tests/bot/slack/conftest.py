"""Slack fixtures: the fake Web API, and the seeded API serving a Slack bot at /slack/events."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from slack_bolt import App

from bot.slack.app import create_slack_app
from bot.slack.http import slack_events
from bot.wiring import Services, slack_client
from tests.fakes.slack_api import SIGNING_SECRET, FakeSlack
from tests.fakes.slack_events import Slack, slack_settings
from tests.helpers import LiveServer


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("slack-http")


@pytest.fixture(scope="module")
def slack(seeded: Services, fake_slack: FakeSlack, data_dir: Path) -> Iterator[Slack]:
    """The seeded API with the Slack bot; one answer worker, so `settle` orders the work."""
    config = slack_settings(fake_slack, data_dir)

    def bot(services: Callable[[], Services]) -> App:
        return create_slack_app(
            slack_client(config), services, data_dir, signing_secret=SIGNING_SECRET, workers=1
        )

    with LiveServer(lambda: seeded, mounts=(slack_events(bot),)) as server:
        yield Slack(server.url, fake_slack)
