"""The Slack bot over the Events API: requests signed as Slack signs them, sent over real HTTP to
the API served by uvicorn; the bot's real slack_sdk WebClient talks to a fake Slack Web API."""

import hashlib
import hmac
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from langchain_core.runnables import RunnableLambda
from slack_bolt import App
from typer.testing import CliRunner

from bot.api import Loading
from bot.cli import app as cli
from bot.config import Settings
from bot.feedback import Deliveries, Feedback
from bot.slack import CANT_POST, SORRY, USAGE, create_slack_app
from bot.wiring import Services, slack_client
from retrieval.documents import Answer
from retrieval.errors import StoreUnavailable
from retrieval.search import SearchRequest
from tests.bot.conftest import BOT_TOKEN, SIGNING_SECRET, SlackServer
from tests.conftest import NBC, PBS, LiveServer
from tests.fakes.slack_api import (
    BOT_ID,
    BOT_USER,
    FakeSlack,
    blocks_text,
    button_click,
    event_callback,
    mention,
    slash_command,
)

KERRY = "What did Kerry tell Lavrov on Saturday?"
LAVROV = "What did Lavrov warn the United States against?"
FOLLOW_UP = "and what did Lavrov say on Friday?"
WORLD_CUP = "Who won the 2014 World Cup?"
PBS_URL = "https://www.pbs.org/newshour/world/ukraine-update"
NBC_SOURCE = "NBC News, 2014-03-08"
ACK_S = 3  # Slack's patience


class Slack:
    """What Slack sends the bot, signed with the signing secret, over real HTTP."""

    def __init__(self, url: str, fake: FakeSlack) -> None:
        self.http = httpx.Client(base_url=url, timeout=10)
        self.fake = fake

    def send(
        self,
        body: str,
        content_type: str,
        *,
        age_s: float = 0,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        timestamp = str(int(time.time() - age_s))
        base = f"v0:{timestamp}:{body}".encode()
        signed = "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
        response = self.http.post(
            "/slack/events",
            content=body,
            headers={
                "content-type": content_type,
                "x-slack-request-timestamp": timestamp,
                "x-slack-signature": signed if signature is None else signature,
                **(headers or {}),
            },
        )
        assert response.elapsed.total_seconds() < ACK_S, "not acknowledged in time"
        return response

    def deliver(self, body: dict[str, Any], retry: int = 0) -> httpx.Response:
        """An Events API delivery; `retry` > 0 marks Slack's retries of it."""
        headers = {"x-slack-retry-num": str(retry), "x-slack-retry-reason": "http_timeout"}
        response = self.send(json.dumps(body), "application/json", headers=headers if retry else {})
        assert response.status_code == 200, response.text
        return response

    def command(self, text: str, channel: str) -> httpx.Response:
        form = slash_command(text, channel, f"{self.fake.base}/response/command")
        return self.send(urlencode(form), "application/x-www-form-urlencoded")

    def click(self, message: dict[str, Any], vote: str) -> httpx.Response:
        payload = button_click(message, vote, f"{self.fake.base}/response/click")
        body = urlencode({"payload": json.dumps(payload)})
        return self.send(body, "application/x-www-form-urlencoded")

    def answer_in(self, channel: str, thread_ts: str) -> dict[str, Any]:
        """The first answer posted in the thread, once it comes, as the bot sent it."""
        return self.fake.wait_for(
            "chat.postMessage",
            lambda a: a["channel"] == channel and a.get("thread_ts") == thread_ts,
        )[0]

    def answer_message(self, channel: str, thread_ts: str) -> dict[str, Any]:
        """The first answer in the thread as Slack keeps it (with its ts), once it comes."""
        self.answer_in(channel, thread_ts)
        return next(m for m in self.fake.thread(channel, thread_ts) if m.get("bot_id"))

    def settle(self) -> None:
        """Wait until the bot has done all the work it was given: with one worker, an answer to
        a new question comes after everything queued before it."""
        question = self.fake.say("D0SETTLE", WORLD_CUP, channel_type="im")
        self.deliver(event_callback(question))
        self.answer_in("D0SETTLE", question["ts"])

    def posts_in(self, channel: str, thread_ts: str | None = None) -> list[dict[str, Any]]:
        return self.fake.calls_to(
            "chat.postMessage",
            lambda a: a["channel"] == channel and a.get("thread_ts") == thread_ts,
        )


def settings(fake: FakeSlack, data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        slack_api_url=fake.url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("slack-http")


@pytest.fixture(scope="module")
def slack(seeded: Services, fake_slack: FakeSlack, data_dir: Path) -> Iterator[Slack]:
    """The seeded API with the Slack bot; one answer worker, so `settle` orders the work."""
    config = settings(fake_slack, data_dir)

    def bot(services: Callable[[], Services]) -> App:
        return create_slack_app(
            slack_client(config), services, data_dir, signing_secret=SIGNING_SECRET, workers=1
        )

    with SlackServer(lambda: seeded, bot) as server:
        yield Slack(server.url, fake_slack)


def texts(post: dict[str, Any]) -> str:
    return "\n".join(blocks_text(post["blocks"]))


def test_mention_is_answered_once_in_its_thread_citing_nbc(slack: Slack) -> None:
    question = slack.fake.say("C0NEWS", f"<@{BOT_USER}> {KERRY}")

    slack.deliver(event_callback(mention(question)))
    slack.deliver(event_callback(question))  # Slack sends a mention as a message too

    post = slack.answer_in("C0NEWS", question["ts"])
    assert "close the door to diplomacy" in post["text"]
    assert "*[1]* Kerry Urges Russia to Exercise Utmost Restraint in Crimea — NBC News" in texts(
        post
    )
    assert post["unfurl_links"] is False and post["unfurl_media"] is False
    assert len(post["blocks"]) <= 50
    slack.settle()
    assert len(slack.posts_in("C0NEWS", question["ts"])) == 1


def test_retried_event_is_not_answered_again(slack: Slack) -> None:
    question = slack.fake.say("C0RETRY", f"<@{BOT_USER}> {KERRY}")
    delivery = event_callback(mention(question))

    slack.deliver(delivery)
    slack.answer_in("C0RETRY", question["ts"])
    slack.deliver(delivery, retry=1)
    slack.deliver(delivery, retry=2)

    slack.settle()
    assert len(slack.posts_in("C0RETRY", question["ts"])) == 1


def test_dm_is_answered_in_thread_with_the_source_linked(slack: Slack) -> None:
    question = slack.fake.say("D0ALICE", LAVROV, channel_type="im")

    slack.deliver(event_callback(question))

    post = slack.answer_in("D0ALICE", question["ts"])
    answer = post["blocks"][0]["text"]["text"]
    assert "hasty and reckless steps" in answer
    assert f"<{PBS_URL}|[1]>" in answer
    assert "PBS NewsHour, 2014-03-07" in texts(post)


def test_follow_up_in_the_thread_is_read_with_the_thread(slack: Slack) -> None:
    question = slack.fake.say("C0THREAD", f"<@{BOT_USER}> {KERRY}")
    slack.deliver(event_callback(mention(question)))
    first = slack.answer_in("C0THREAD", question["ts"])
    assert NBC_SOURCE in texts(first)

    follow_up = slack.fake.say("C0THREAD", FOLLOW_UP, thread_ts=question["ts"])
    slack.deliver(event_callback(follow_up))

    posts = slack.fake.wait_for(
        "chat.postMessage", lambda a: a.get("thread_ts") == question["ts"], count=2
    )
    assert "Lavrov warned the United States" in posts[1]["text"]
    assert f"<{PBS_URL}|" in texts(posts[1])
    assert slack.fake.calls_to("conversations.replies", lambda a: a["ts"] == question["ts"])

    again = slack.fake.say("C0THREAD", f"<@{BOT_USER}> {KERRY}", thread_ts=question["ts"])
    slack.deliver(event_callback(again))  # a mention in the thread comes as both events
    slack.deliver(event_callback(mention(again)))
    slack.fake.wait_for("chat.postMessage", lambda a: a.get("thread_ts") == question["ts"], 3)
    slack.settle()
    assert len(slack.posts_in("C0THREAD", question["ts"])) == 3


def test_world_cup_question_is_declined_plainly_without_sources(slack: Slack) -> None:
    question = slack.fake.say("C0CUP", f"<@{BOT_USER}> {WORLD_CUP}")

    slack.deliver(event_callback(mention(question)))

    post = slack.answer_in("C0CUP", question["ts"])
    assert post["text"] == "The archive doesn't say: no article I have answers that."
    assert [b["type"] for b in post["blocks"]] == ["section"]


def test_bots_edits_and_threads_without_the_bot_are_ignored(slack: Slack) -> None:
    fake = slack.fake
    top = fake.say("C0QUIET", KERRY)  # no mention, no thread
    thread = fake.say("C0QUIET", KERRY, thread_ts=top["ts"])  # a thread the bot is not in
    other_bot = {**fake.say("C0QUIET", f"<@{BOT_USER}> {KERRY}"), "bot_id": "B0OTHER"}
    edited = {
        "type": "message",
        "subtype": "message_changed",
        "channel": "D0ALICE",
        "channel_type": "im",
        "hidden": True,
        "ts": fake.say("D0ALICE", "placeholder", channel_type="im")["ts"],
        "message": {"type": "message", "user": "U0ALICE", "text": KERRY, "ts": "1.0"},
    }
    own = {**fake.say("D0ALICE", "an answer", user=BOT_USER, channel_type="im"), "bot_id": BOT_ID}

    for event in (top, thread, other_bot, mention(other_bot), edited, own):
        slack.deliver(event_callback(event))

    slack.settle()
    assert not slack.posts_in("C0QUIET", top["ts"])
    assert not slack.posts_in("C0QUIET", other_bot["ts"])
    assert not slack.posts_in("D0ALICE", edited["ts"])
    assert not slack.posts_in("D0ALICE", own["ts"])


@pytest.mark.parametrize(
    ("case", "age_s", "signature"),
    [
        ("forged", 0, "v0=" + "0" * 64),
        ("missing", 0, ""),
        ("stale", 6 * 60, None),
    ],
)
def test_bad_signatures_get_401_and_nothing_is_posted(
    slack: Slack, case: str, age_s: float, signature: str | None
) -> None:
    question = slack.fake.say("C0FORGED", f"<@{BOT_USER}> {KERRY}")

    response = slack.send(
        json.dumps(event_callback(mention(question))),
        "application/json",
        age_s=age_s,
        signature=signature,
    )

    assert response.status_code == 401, case
    slack.settle()
    assert not slack.posts_in("C0FORGED", question["ts"])


def test_slash_command_posts_the_answer_under_the_question(slack: Slack) -> None:
    response = slack.command(KERRY, "C0SLASH")

    assert response.status_code == 200 and response.text == ""
    post = slack.fake.wait_for("chat.postMessage", lambda a: a["channel"] == "C0SLASH")[0]
    assert post.get("thread_ts") is None
    assert post["blocks"][0]["text"]["text"] == f"<@U0ALICE> asked:\n>{KERRY}"
    assert "close the door to diplomacy" in texts(post)
    assert NBC_SOURCE in texts(post)


def test_slash_command_where_the_bot_cannot_post_tells_only_the_asker(slack: Slack) -> None:
    slack.fake.fail_next("chat.postMessage", error="not_in_channel")

    slack.command(KERRY, "G0PRIVATE")

    told = slack.fake.wait_for("response_url", lambda a: a.get("text") == CANT_POST)[0]
    assert told["response_type"] == "ephemeral"


def test_slash_command_without_a_question_gets_usage_only_for_its_author(slack: Slack) -> None:
    response = slack.command("  ", "C0USAGE")

    assert response.status_code == 200
    assert response.json() == {"text": USAGE, "response_type": "ephemeral"}
    slack.settle()
    assert not slack.fake.calls_to("chat.postMessage", lambda a: a["channel"] == "C0USAGE")


def test_vote_is_recorded_and_the_voter_thanked(slack: Slack, data_dir: Path) -> None:
    question = slack.fake.say("C0VOTE", f"<@{BOT_USER}> {KERRY}")
    slack.deliver(event_callback(mention(question)))
    answer = slack.answer_message("C0VOTE", question["ts"])

    response = slack.click(answer, "up")

    assert response.status_code == 200
    update = slack.fake.wait_for("chat.update", lambda a: a["ts"] == answer["ts"])[0]
    assert "Thanks for the feedback, <@U0ALICE>." in texts(update)
    assert "actions" not in [b["type"] for b in update["blocks"]]
    vote = Feedback(data_dir).recent(1)[0]
    assert (vote.question, vote.user, vote.vote, vote.article_ids) == (
        KERRY,
        "U0ALICE",
        "up",
        (NBC,),
    )
    assert "close the door to diplomacy" in vote.answer


def test_feedback_command_lists_the_votes(
    slack: Slack, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = slack.fake.say("C0LIST", LAVROV, channel_type="im")
    slack.deliver(event_callback(question))
    answer = slack.answer_message("C0LIST", question["ts"])
    slack.click(answer, "down")
    slack.fake.wait_for("chat.update", lambda a: a["ts"] == answer["ts"])
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(data_dir))

    listed = CliRunner().invoke(cli, ["feedback", "--json"])

    assert listed.exit_code == 0, listed.output
    latest = json.loads(listed.stdout)["votes"][0]
    assert latest["question"] == LAVROV and latest["vote"] == "down"
    assert latest["article_ids"] == [PBS]


def test_rate_limit_and_server_errors_are_retried(slack: Slack) -> None:
    slack.fake.fail_next("chat.postMessage", status=429, retry_after=0)
    slack.fake.fail_next("chat.postMessage", status=503, error="service_unavailable")
    question = slack.fake.say("C0BUSY", f"<@{BOT_USER}> {KERRY}")

    slack.deliver(event_callback(mention(question)))

    attempts = slack.fake.wait_for(
        "chat.postMessage", lambda a: a.get("thread_ts") == question["ts"], count=3
    )
    assert all(NBC_SOURCE in texts(a) for a in attempts)
    assert len(slack.fake.thread("C0BUSY", question["ts"])) == 2  # the question, one answer


def test_slack_refusal_is_logged_and_the_bot_keeps_serving(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    slack.fake.fail_next("chat.postMessage", error="channel_not_found")
    lost = slack.fake.say("C0GONE", f"<@{BOT_USER}> {KERRY}")

    slack.deliver(event_callback(mention(lost)))
    slack.settle()

    assert "Slack chat.postMessage failed in channel C0GONE: channel_not_found" in caplog.text
    assert BOT_TOKEN not in caplog.text


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
    client = slack_client(settings(fake_slack, data_dir))

    def bot(services: Callable[[], Services]) -> App:
        return create_slack_app(
            client, board.get, data_dir, signing_secret=SIGNING_SECRET, workers=1
        )

    with SlackServer(lambda: seeded, bot) as server:
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


def test_events_route_is_mounted_from_settings(
    seeded: Services, fake_slack: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("NEWSDESK_SLACK_API_URL", fake_slack.url)
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path))

    with LiveServer(lambda: seeded) as server:
        slack = Slack(server.url, fake_slack)
        challenge = {
            "token": "unused",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
        assert slack.send(json.dumps(challenge), "application/json").json() == {
            "challenge": challenge["challenge"]
        }
        question = fake_slack.say("D0SETTINGS", KERRY, channel_type="im")
        slack.deliver(event_callback(question))
        assert NBC_SOURCE in texts(slack.answer_in("D0SETTINGS", question["ts"]))
    assert (tmp_path / "slack.sqlite3").exists()


def test_without_slack_settings_there_is_no_events_route(api: httpx.Client) -> None:
    assert api.post("/slack/events", content="{}").status_code == 404


CLAIMER = """
import sys
from pathlib import Path
from bot.feedback import Deliveries

deliveries = Deliveries(Path(sys.argv[1]))
print(sum(deliveries.claim(f"event:Ev{i}", f"message:C1:{i}") for i in range(int(sys.argv[2]))))
"""


def test_each_delivery_is_claimed_once_across_worker_processes(tmp_path: Path) -> None:
    events = 200
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, str(tmp_path), str(events)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    wins = [int(worker.communicate(timeout=60)[0]) for worker in workers]

    assert sum(wins) == events


def test_a_message_is_claimed_once_until_the_claim_expires(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_700_000_000.0]
    monkeypatch.setattr("bot.feedback.time", SimpleNamespace(time=lambda: now[0]))
    deliveries = Deliveries(tmp_path, ttl_s=60)

    assert deliveries.claim("event:Ev1", "message:C1:1")
    assert not deliveries.claim("event:Ev1", "message:C1:1")  # Slack's retry
    assert not deliveries.claim("event:Ev2", "message:C1:1")  # the same message, another event
    now[0] += 61
    assert deliveries.claim("event:Ev1", "message:C1:1")
