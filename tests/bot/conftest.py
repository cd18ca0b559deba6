"""Slack fixtures: the fake Web API, and the API served with a Slack bot attached."""

import threading
from collections.abc import Callable, Iterator

import pytest
import uvicorn
from slack_bolt import App

from bot.api import create_app
from bot.wiring import Services
from tests.conftest import LiveServer, free_port
from tests.fakes.slack_api import FakeSlack

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-17-newsdesk-test"
APP_TOKEN = "xapp-1-A0NEWSDESK-test"


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


class SlackServer(LiveServer):
    """LiveServer whose app serves POST /slack/events with the given Slack bot."""

    def __init__(
        self, load: Callable[[], Services], slack: Callable[[Callable[[], Services]], App]
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(load, slack=slack), port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
