"""Slack's side of the Events API: the payloads Slack sends (deliveries, slash commands, button
clicks), signed with the signing secret as Slack signs them, sent over real HTTP to newsdesk."""

import hashlib
import hmac
import json
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.config import Settings
from tests.fakes.slack_api import (
    ALICE,
    APP_ID,
    BOT_TOKEN,
    BOT_USER,
    SIGNING_SECRET,
    TEAM,
    Args,
    FakeSlack,
)
from tests.helpers import WORLD_CUP

ACK_S = 3  # Slack's patience


def event_callback(event: Args, event_id: str | None = None) -> Args:
    """An Events API delivery of `event`."""
    return {
        "token": "unused-legacy-token",
        "team_id": TEAM,
        "api_app_id": APP_ID,
        "event": {**event, "event_ts": event["ts"]},
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    }


def mention(message: Args) -> Args:
    """The app_mention event Slack sends, besides the message event, for a message naming the
    bot."""
    event = {k: v for k, v in message.items() if k != "channel_type"}
    return {**event, "type": "app_mention"}


def slash_command(text: str, channel: str, response_url: str, user: str = ALICE) -> dict[str, str]:
    """The form fields of a /ask invocation."""
    return {
        "token": "unused-legacy-token",
        "team_id": TEAM,
        "channel_id": channel,
        "channel_name": "newsroom",
        "user_id": user,
        "user_name": "alice",
        "command": "/ask",
        "text": text,
        "api_app_id": APP_ID,
        "response_url": response_url,
        "trigger_id": "1.2.3",
    }


def button_click(message: Args, vote: str, response_url: str, user: str = ALICE) -> Args:
    """The block_actions payload of a click on a vote button under `message`."""
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "alice", "team_id": TEAM},
        "api_app_id": APP_ID,
        "token": "unused-legacy-token",
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": message["channel"],
            "is_ephemeral": False,
        },
        "trigger_id": "1.2.3",
        "team": {"id": TEAM, "domain": "newsroom"},
        "channel": {"id": message["channel"], "name": "newsroom"},
        "message": {k: v for k, v in message.items() if k != "channel"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": f"newsdesk_vote_{vote}",
                "block_id": "newsdesk_feedback",
                "value": vote,
                "action_ts": str(time.time()),
            }
        ],
    }


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


def slack_settings(fake: FakeSlack, data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        slack_api_url=fake.url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
    )
