"""The Slack bot over Socket Mode: slack_bolt's SocketModeHandler (slack_sdk's built-in client)
connects to a fake Socket Mode websocket found through the fake Web API; and `newsdesk slack`'s
start-up errors."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli.main import app as cli
from bot.config import Settings
from bot.feedback import Feedback
from bot.slack.app import create_slack_app
from bot.slack.listeners import USAGE
from bot.slack.socket_mode import SlackSetupError, check_slack, connect
from bot.wiring import Services, slack_client
from tests.fakes.slack_api import APP_TOKEN, BOT_TOKEN, BOT_USER, FakeSlack, blocks_text
from tests.fakes.slack_events import button_click, event_callback, mention, slash_command
from tests.fakes.socket_mode import FakeSocketMode
from tests.helpers import KERRY, WORLD_CUP

NBC_SOURCE = "NBC News, 2014-03-08"


def socket_settings(fake: FakeSlack, data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        slack_api_url=fake.url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("slack-socket")


@pytest.fixture(scope="module")
def sockets(seeded: Services, fake_slack: FakeSlack, data_dir: Path) -> Iterator[FakeSocketMode]:
    """The bot connected over Socket Mode; eyes only after a minute, so never here."""
    with FakeSocketMode() as sockets:
        fake_slack.socket_url = sockets.url
        settings = socket_settings(fake_slack, data_dir)
        assert check_slack(settings) == "newsdesk"
        app = create_slack_app(
            slack_client(settings), lambda: seeded, data_dir, eyes_after=60, workers=1
        )
        handler = connect(app, settings)
        try:
            yield sockets
        finally:
            handler.client.close()


def texts(post: dict[str, Any]) -> str:
    return "\n".join(blocks_text(post["blocks"]))


def test_connects_with_the_app_token_and_calls_the_api_with_the_bot_token(
    sockets: FakeSocketMode, fake_slack: FakeSlack
) -> None:
    tokens = {call.method: call.token for call in fake_slack.calls}

    assert tokens["apps.connections.open"] == APP_TOKEN
    assert tokens["auth.test"] == BOT_TOKEN


def test_mention_is_acked_and_answered_once_despite_the_retry(
    sockets: FakeSocketMode, fake_slack: FakeSlack
) -> None:
    question = fake_slack.say("C0SOCKET", f"<@{BOT_USER}> {KERRY}")
    delivery = event_callback(mention(question))

    first = sockets.send("events_api", delivery)
    assert sockets.ack(first) == {"envelope_id": first}
    post = fake_slack.wait_for("chat.postMessage", lambda a: a.get("thread_ts") == question["ts"])
    retry = sockets.send("events_api", delivery, retry_attempt=1)
    assert sockets.ack(retry) == {"envelope_id": retry}

    assert "close the door to diplomacy" in post[0]["text"]
    assert NBC_SOURCE in texts(post[0])
    assert not fake_slack.calls_to("reactions.add", lambda a: a["channel"] == "C0SOCKET")
    settle(sockets, fake_slack)
    posts = fake_slack.calls_to("chat.postMessage", lambda a: a.get("thread_ts") == question["ts"])
    assert len(posts) == 1


def test_slash_command_is_acked_then_answered_with_the_question(
    sockets: FakeSocketMode, fake_slack: FakeSlack
) -> None:
    command = slash_command(WORLD_CUP, "C0SOCKASK", f"{fake_slack.base}/response/ask")

    envelope = sockets.send("slash_commands", command, accepts_response_payload=True)

    assert sockets.ack(envelope) == {"envelope_id": envelope}
    post = fake_slack.wait_for("chat.postMessage", lambda a: a["channel"] == "C0SOCKASK")[0]
    assert post["blocks"][0]["text"]["text"] == f"<@U0ALICE> asked:\n>{WORLD_CUP}"
    assert "The archive doesn't say" in post["text"]
    assert [b["type"] for b in post["blocks"]] == ["section", "section"]


def test_slash_command_without_a_question_acks_with_usage(
    sockets: FakeSocketMode, fake_slack: FakeSlack
) -> None:
    command = slash_command("", "C0SOCKUSAGE", f"{fake_slack.base}/response/usage")

    envelope = sockets.send("slash_commands", command, accepts_response_payload=True)

    assert sockets.ack(envelope)["payload"] == {"text": USAGE, "response_type": "ephemeral"}


def test_vote_is_acked_recorded_and_thanked(
    sockets: FakeSocketMode, fake_slack: FakeSlack, data_dir: Path
) -> None:
    question = fake_slack.say("D0SOCKVOTE", KERRY, channel_type="im")
    sockets.ack(sockets.send("events_api", event_callback(question)))
    fake_slack.wait_for("chat.postMessage", lambda a: a.get("thread_ts") == question["ts"])
    answer = fake_slack.thread("D0SOCKVOTE", question["ts"])[-1]
    click = button_click(answer, "up", f"{fake_slack.base}/response/vote")

    envelope = sockets.send("interactive", click)

    assert sockets.ack(envelope) == {"envelope_id": envelope}
    update = fake_slack.wait_for("chat.update", lambda a: a["ts"] == answer["ts"])[0]
    assert "Thanks for the feedback, <@U0ALICE>." in texts(update)
    assert Feedback(data_dir).recent(1)[0].question == KERRY


def test_unknown_answer_vote_is_not_counted_and_the_voter_told(
    sockets: FakeSocketMode, fake_slack: FakeSlack
) -> None:
    stranger = fake_slack.say("C0SOCKOLD", "an answer from before the bot's records")
    click = button_click(stranger, "down", f"{fake_slack.base}/response/old")

    sockets.ack(sockets.send("interactive", click))

    told = fake_slack.wait_for("chat.postEphemeral", lambda a: a["channel"] == "C0SOCKOLD")[0]
    assert told["user"] == "U0ALICE" and "wasn't counted" in told["text"]
    assert not fake_slack.calls_to("chat.update", lambda a: a["channel"] == "C0SOCKOLD")


def settle(sockets: FakeSocketMode, fake: FakeSlack) -> None:
    """Wait for an answer to a fresh question; queued work has had its turn by then."""
    question = fake.say("D0SOCKSETTLE", WORLD_CUP, channel_type="im")
    sockets.ack(sockets.send("events_api", event_callback(question)))
    fake.wait_for("chat.postMessage", lambda a: a.get("thread_ts") == question["ts"])


def test_refused_app_token_is_a_clear_error(fake_slack: FakeSlack, tmp_path: Path) -> None:
    settings = socket_settings(fake_slack, tmp_path)
    app = create_slack_app(slack_client(settings), lambda: pytest.fail("no services"), tmp_path)
    fake_slack.fail_next("apps.connections.open", error="invalid_auth")

    with pytest.raises(SlackSetupError, match=r"Slack refused SLACK_APP_TOKEN \(invalid_auth\)"):
        connect(app, settings)


@pytest.fixture
def run(fake_slack: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NEWSDESK_SLACK_API_URL", fake_slack.url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_APP_TOKEN", APP_TOKEN)
    return CliRunner()


def test_slack_command_without_app_token_says_what_to_set(
    run: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SLACK_APP_TOKEN")

    result = run.invoke(cli, ["slack"])

    assert result.exit_code == 1
    assert "SLACK_APP_TOKEN not set" in result.output
    assert "Traceback" not in result.output


def test_slack_command_with_a_refused_bot_token_fails_clearly(
    run: CliRunner, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next("auth.test", error="invalid_auth")

    result = run.invoke(cli, ["slack"])

    assert result.exit_code == 1
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in result.output
    assert BOT_TOKEN not in result.output and "Traceback" not in result.output


def test_malformed_token_is_named_but_never_printed(
    run: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-a-user-token-by-mistake")

    result = run.invoke(cli, ["slack"])

    assert result.exit_code == 1
    assert "SLACK_BOT_TOKEN must be the Bot User OAuth Token (xoxb-…)" in result.output
    assert "xoxp-a-user-token" not in result.output
