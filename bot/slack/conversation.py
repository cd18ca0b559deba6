"""Which Slack messages newsdesk answers, where the answer goes, and what a thread asked before."""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.deliveries import Deliveries
from bot.slack.posting import call_slack
from retrieval.records import MAX_HISTORY, MAX_QUESTION_CHARS

HUMAN_SUBTYPES = (None, "thread_broadcast", "file_share")  # messages a person wrote
_SPECIAL = re.compile(r"<[@!][^<>]*>")  # <@U123> mentions, <!here>
_LINK = re.compile(r"<#?([^<>|]+)(?:\|([^<>]*))?>")  # <https://…|label>, <#C123|channel>


@dataclass(frozen=True)
class Where:
    """Where an answer goes, and the question to mark with 👀 meanwhile (none for /ask)."""

    channel: str
    thread_ts: str | None
    question_ts: str | None

    @classmethod
    def reply_to(cls, event: dict[str, Any]) -> "Where":
        return cls(event["channel"], event.get("thread_ts") or event["ts"], event["ts"])


@dataclass(frozen=True)
class Thread:
    """A Slack thread before the message being answered."""

    bot_answered: bool
    questions: tuple[str, ...]  # what people wrote, oldest first


def question_text(mrkdwn: str) -> str:
    """What a person wrote, as plain text: mentions dropped, links as their labels."""
    text = _SPECIAL.sub(" ", mrkdwn)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def by_a_person(event: dict[str, Any]) -> bool:
    return event.get("subtype") in HUMAN_SUBTYPES and not event.get("bot_id")


def first_delivery(deliveries: Deliveries, body: dict[str, Any], event: dict[str, Any]) -> bool:
    """Claim the message: Slack retries an event (same event_id) and sends a mention twice
    (app_mention and message, same ts); only the first delivery is answered."""
    keys = [f"message:{event['channel']}:{event['ts']}"]
    if body.get("event_id"):
        keys.append(f"event:{body['event_id']}")
    return deliveries.claim(*keys)


def in_thread(event: dict[str, Any]) -> bool:
    return bool(event.get("thread_ts", event["ts"]) != event["ts"])


def read_thread(client: WebClient, event: dict[str, Any], context: BoltContext) -> Thread:
    """The thread before `event`, from conversations.replies; empty when Slack won't say."""
    channel = event["channel"]
    messages = call_slack(
        "conversations.replies",
        channel,
        lambda: [
            message
            for page in client.conversations_replies(channel=channel, ts=event["thread_ts"])
            for message in page.get("messages", [])
        ],
    )
    earlier = [m for m in messages or [] if Decimal(m["ts"]) < Decimal(event["ts"])]
    bot = {context.bot_user_id, context.bot_id} - {None}
    by_bot = [m.get("user") in bot or m.get("bot_id") in bot for m in earlier]
    questions = [
        question_text(m.get("text", ""))
        for m, mine in zip(earlier, by_bot, strict=True)
        if not mine and by_a_person(m)
    ]
    usable = [q for q in questions if 0 < len(q) <= MAX_QUESTION_CHARS]
    return Thread(any(by_bot), tuple(usable[-MAX_HISTORY:]))
