"""The Slack bot over the Events API: requests signed as Slack signs them, sent over real HTTP to
the API served by uvicorn; the bot's real slack_sdk WebClient talks to a fake Slack Web API."""

import json
from typing import Any

import pytest

from tests.fakes.slack_api import BOT_ID, BOT_USER, blocks_text
from tests.fakes.slack_events import Slack, event_callback, mention
from tests.helpers import FOLLOW_UP, KERRY, LAVROV, NBC_SOURCE, PBS_URL, WORLD_CUP


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
