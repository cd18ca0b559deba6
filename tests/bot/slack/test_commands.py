"""Slash commands, 👍/👎 votes and Slack's own failures, over the Events API."""

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli.main import app as cli
from bot.feedback import Feedback
from bot.slack.listeners import CANT_POST, USAGE
from tests.fakes.slack_api import BOT_TOKEN, BOT_USER, blocks_text
from tests.fakes.slack_events import Slack, event_callback, mention
from tests.helpers import KERRY, LAVROV, NBC, NBC_SOURCE, PBS


def texts(post: dict[str, Any]) -> str:
    return "\n".join(blocks_text(post["blocks"]))


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
