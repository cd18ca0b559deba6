"""Posting to Slack: answers, updates of the message a draft was shown in, 👀 while waiting.

Every call goes through `call_slack`: a failure the client's retries didn't cure is logged with
its channel, not raised, so the bot keeps serving."""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger("newsdesk.slack")
T = TypeVar("T")


def call_slack(method: str, channel: str, call: Callable[[], T]) -> T | None:
    """Call Slack's Web API; None (and a log line) when it failed."""
    try:
        return call()
    except SlackApiError as error:
        log.error("Slack %s failed in channel %s: %s", method, channel, error.response.get("error"))
    except (SlackClientError, OSError) as error:
        log.error("Slack %s failed in channel %s: %s", method, channel, type(error).__name__)
    return None


class Reply:
    """The one message an answer occupies in a channel or thread: posted once, then updated (a
    model's draft, then the verified answer)."""

    def __init__(self, client: WebClient, channel: str, thread_ts: str | None) -> None:
        self.client = client
        self.channel = channel
        self.thread_ts = thread_ts
        self.ts: str | None = None

    def show(self, **message: Any) -> str | None:
        """Post the message, or update the one already posted; its ts, None if Slack refused."""
        if self.ts is None:
            posted = call_slack(
                "chat.postMessage",
                self.channel,
                lambda: self.client.chat_postMessage(
                    channel=self.channel,
                    thread_ts=self.thread_ts,
                    unfurl_links=False,
                    unfurl_media=False,
                    **message,
                ),
            )
            self.ts = str(posted["ts"]) if posted else None
            return self.ts
        ts = self.ts
        updated = call_slack(
            "chat.update",
            self.channel,
            lambda: self.client.chat_update(channel=self.channel, ts=ts, **message),
        )
        return ts if updated else None


@contextmanager
def eyes(client: WebClient, channel: str, question_ts: str | None, after: float) -> Iterator[None]:
    """👀 on the question while its answer takes longer than `after` seconds."""
    if question_ts is None:
        yield
        return
    reaction = {"channel": channel, "timestamp": question_ts, "name": "eyes"}
    added = threading.Event()

    def add() -> None:
        if call_slack("reactions.add", channel, partial(client.reactions_add, **reaction)):
            added.set()

    timer = threading.Timer(after, add)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()  # an add under way finishes first, so the remove follows it
        if added.is_set():
            call_slack("reactions.remove", channel, partial(client.reactions_remove, **reaction))
