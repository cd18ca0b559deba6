"""The bot's timing and trouble, with an answer chain the test steers: acks come first, slow
answers get 👀, follow-ups carry their thread, failures get a polite reply."""

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from langchain_core.runnables import RunnableLambda
from slack_bolt import App

from bot.errors import Loading
from bot.slack.app import create_slack_app
from bot.slack.http import slack_events
from bot.slack.listeners import SORRY
from bot.wiring import Services, slack_client
from retrieval.errors import StoreUnavailable
from retrieval.records import Answer, SearchRequest
from tests.fakes.slack_api import BOT_USER, SIGNING_SECRET, FakeSlack
from tests.fakes.slack_events import Slack, event_callback, mention, slack_settings
from tests.helpers import FOLLOW_UP, KERRY, LiveServer


class Switchboard:
    """Services whose chain the test steers: it records requests, can hold answers or fail."""

    def __init__(self, seeded: Services) -> None:
        self.seeded = seeded
        self.requests: list[SearchRequest] = []
        self.released = threading.Event()
        self.error: Exception | None = None
        self.loading = False
        self.services = replace(seeded, chain=RunnableLambda(self._answer))

    def reset(self) -> None:
        self.released.set()
        self.error = None
        self.loading = False

    def get(self) -> Services:
        if self.loading:
            raise Loading()
        return self.services

    def _answer(self, request: SearchRequest) -> Answer:
        self.requests.append(request)
        if self.error:
            raise self.error
        assert self.released.wait(10)
        return self.seeded.chain.invoke(request)


@pytest.fixture(scope="module")
def steered(
    seeded: Services, fake_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Slack, Switchboard]]:
    board = Switchboard(seeded)
    data_dir = tmp_path_factory.mktemp("slack-steered")
    client = slack_client(slack_settings(fake_slack, data_dir))

    def bot(services: Callable[[], Services]) -> App:
        return create_slack_app(
            client, board.get, data_dir, signing_secret=SIGNING_SECRET, workers=1
        )

    with LiveServer(lambda: seeded, mounts=(slack_events(bot),)) as server:
        yield Slack(server.url, fake_slack), board


@pytest.fixture
def board(steered: tuple[Slack, Switchboard]) -> Iterator[Switchboard]:
    steered[1].reset()
    yield steered[1]
    steered[1].reset()


def test_ack_comes_first_and_a_slow_answer_gets_eyes_meanwhile(
    steered: tuple[Slack, Switchboard], board: Switchboard
) -> None:
    slack = steered[0]
    board.released.clear()
    question = slack.fake.say("C0SLOW", f"<@{BOT_USER}> {KERRY}")

    slack.deliver(event_callback(mention(question)))  # acknowledged while the answer is held

    on_question = {"channel": "C0SLOW", "timestamp": question["ts"], "name": "eyes"}
    slack.fake.wait_for("reactions.add", lambda a: on_question.items() <= a.items())
    assert not slack.posts_in("C0SLOW", question["ts"])
    board.released.set()
    slack.fake.wait_for("reactions.remove", lambda a: on_question.items() <= a.items())
    order = [
        c.method
        for c in slack.fake.calls
        if c.args.get("channel") == "C0SLOW" and c.method != "auth.test"
    ]
    assert order == ["reactions.add", "chat.postMessage", "reactions.remove"]


def test_follow_up_passes_the_earlier_question_as_history(
    steered: tuple[Slack, Switchboard], board: Switchboard
) -> None:
    slack = steered[0]
    question = slack.fake.say("C0HISTORY", f"<@{BOT_USER}>  {KERRY} ")
    slack.deliver(event_callback(mention(question)))
    slack.answer_in("C0HISTORY", question["ts"])
    follow_up = slack.fake.say("C0HISTORY", FOLLOW_UP, thread_ts=question["ts"])

    slack.deliver(event_callback(follow_up))

    slack.fake.wait_for("chat.postMessage", lambda a: a.get("thread_ts") == question["ts"], 2)
    first, second = board.requests[-2:]
    assert (first.query, first.history) == (KERRY, ())
    assert (second.query, second.history) == (FOLLOW_UP, (KERRY,))
    assert second.k == 5  # as POST /ask asks by default


@pytest.mark.parametrize("trouble", ["index unreachable", "still loading"])
def test_newsdesk_trouble_gets_a_polite_reply_and_is_logged(
    steered: tuple[Slack, Switchboard],
    board: Switchboard,
    trouble: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    slack = steered[0]
    board.error = StoreUnavailable("http://chroma.internal:8000")
    board.loading = trouble == "still loading"
    question = slack.fake.say("D0TROUBLE", KERRY, channel_type="im")

    slack.deliver(event_callback(question))

    post = slack.answer_in("D0TROUBLE", question["ts"])
    assert post["text"] == SORRY and "blocks" not in post
    assert "could not answer a question in channel D0TROUBLE" in caplog.text
    assert ("chroma.internal" in caplog.text) == (trouble == "index unreachable")
