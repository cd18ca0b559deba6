"""The Slack bot: @mentions, DMs, thread follow-ups, /ask and 👍/👎, answered by the one chain.

Every listener acknowledges at once; the work runs after, in bolt's lazy listeners.
"""

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.config import Settings
from bot.feedback import Deliveries, Feedback
from bot.schemas import MAX_HISTORY, MAX_QUESTION_CHARS, AskBody
from bot.slack_blocks import VOTE_ACTION, answer_blocks, draft_blocks, fallback_text, thanked
from bot.wiring import Services, slack_client
from retrieval.documents import Answer
from retrieval.search import SearchRequest

log = logging.getLogger("newsdesk.slack")
T = TypeVar("T")

EYES_AFTER_S = 1.0  # answers quicker than this need no sign that the bot is on it
DRAFT_EVERY_S = 1.0  # how often a model's growing answer is shown; Slack allows ~1 update/s
ANSWER_WORKERS = 4  # answers are CPU-bound (the embedding model); more threads would only queue
HUMAN_SUBTYPES = (None, "thread_broadcast", "file_share")  # messages a person wrote
USAGE = "Ask me about the news: `/ask What did Kerry tell Lavrov on Saturday?`, or mention me."
TOO_LONG = f"Please keep questions under {MAX_QUESTION_CHARS} characters."
SORRY = "Sorry, I can't search the archive right now. Please try again in a minute."
CANT_POST = "I can't post here. Invite me with `/invite @newsdesk`, or ask me in a DM."
FORGOTTEN = "Sorry, I no longer have that answer on record, so your vote wasn't counted."
_SPECIAL = re.compile(r"<[@!][^<>]*>")  # <@U123> mentions, <!here>
_LINK = re.compile(r"<#?([^<>|]+)(?:\|([^<>]*))?>")  # <https://…|label>, <#C123|channel>


def slack_app(settings: Settings, services: Callable[[], Services]) -> App:
    """The bot as configured in Settings, for POST /slack/events or Socket Mode."""
    secret = settings.slack_signing_secret
    return create_slack_app(
        slack_client(settings),
        services,
        settings.data_dir,
        signing_secret=secret.get_secret_value() if secret else None,
    )


def create_slack_app(
    client: WebClient,
    services: Callable[[], Services],
    data_dir: Path,
    *,
    signing_secret: str | None = None,
    eyes_after: float = EYES_AFTER_S,
    draft_every: float = DRAFT_EVERY_S,
    workers: int = ANSWER_WORKERS,
) -> App:
    """A bolt App answering with `services().chain`; it calls Slack only when a request comes."""
    if eyes_after < 0:
        raise ValueError(f"eyes_after ({eyes_after}) must not be negative")
    if workers < 1:
        raise ValueError(f"workers ({workers}) must be at least 1")
    app = App(
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=signing_secret is not None,  # Socket Mode isn't signed
        token_verification_enabled=False,  # auth.test runs on the first request, not here
        # Ack functions run inside the request, so an ack never waits behind answers for a
        # worker; the lazy listeners answer afterwards on the workers.
        process_before_response=True,
        listener_executor=ThreadPoolExecutor(workers, thread_name_prefix="newsdesk-slack"),
    )
    listeners = Listeners(
        services, Feedback(data_dir), Deliveries(data_dir), eyes_after, draft_every
    )
    register(app, listeners)
    return app


def register(app: App, listeners: "Listeners") -> None:
    """Slack's events, /ask and the vote buttons, each acknowledged at once."""
    app.event("app_mention")(ack=_ack, lazy=[listeners.mention])
    app.event("message")(ack=_ack, lazy=[listeners.message])
    app.command("/ask")(ack=_ack_ask, lazy=[listeners.ask])
    app.action(VOTE_ACTION)(ack=_ack, lazy=[listeners.vote])


def _ack(ack: Ack) -> None:
    ack()


def _ack_ask(ack: Ack, command: dict[str, Any]) -> None:
    if question_text(command.get("text", "")):
        ack()
    else:
        ack(text=USAGE, response_type="ephemeral")


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


class Listeners:
    """The work after each ack: read the question, ask the chain, post the answer."""

    def __init__(
        self,
        services: Callable[[], Services],
        feedback: Feedback,
        deliveries: Deliveries,
        eyes_after: float,
        draft_every: float = DRAFT_EVERY_S,
    ) -> None:
        self.services = services
        self.feedback = feedback
        self.deliveries = deliveries
        self.eyes_after = eyes_after
        self.draft_every = draft_every

    def mention(
        self, body: dict[str, Any], event: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """@newsdesk in a channel: answer in its thread, reading the thread so far."""
        if event.get("bot_id") or not self._first(body, event):
            return
        thread = self._thread(client, event, context) if event.get("thread_ts") else None
        history = thread.questions if thread else ()
        self._answer(client, Where.reply_to(event), question_text(event["text"]), history)

    def message(
        self, body: dict[str, Any], event: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """A DM, or a reply in a thread the bot answered in; mentions are app_mention's."""
        if event.get("subtype") not in HUMAN_SUBTYPES or event.get("bot_id"):
            return
        direct = event.get("channel_type") == "im"
        in_thread = event.get("thread_ts", event["ts"]) != event["ts"]
        mentioned = f"<@{context.bot_user_id}>" in event.get("text", "")
        if not direct and (not in_thread or mentioned):
            return
        if not self._first(body, event):
            return
        thread = self._thread(client, event, context) if in_thread else None
        if not direct and not (thread and thread.bot_answered):
            return
        history = thread.questions if thread else ()
        self._answer(client, Where.reply_to(event), question_text(event.get("text", "")), history)

    def ask(self, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """/ask: the answer, headed by the question, posted in the channel."""
        question = question_text(command.get("text", ""))
        if not question:
            return  # the ack showed how to ask
        where = Where(command["channel_id"], thread_ts=None, question_ts=None)
        if not self._answer(client, where, question, (), asked_by=command["user_id"]):
            respond(text=CANT_POST, response_type="ephemeral")

    def vote(self, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        """👍/👎 under an answer: record it and thank the voter in place of the buttons."""
        channel = body["container"]["channel_id"]
        ts = body["container"]["message_ts"]
        user = body["user"]["id"]
        message = body["message"]
        if not self.feedback.vote(channel, ts, user, action["value"]):
            _slack(
                "chat.postEphemeral",
                channel,
                lambda: client.chat_postEphemeral(
                    channel=channel, user=user, thread_ts=message.get("thread_ts"), text=FORGOTTEN
                ),
            )
            return
        blocks = thanked(message["blocks"], user, action["value"])
        _slack(
            "chat.update",
            channel,
            lambda: client.chat_update(
                channel=channel, ts=ts, text=message.get("text", ""), blocks=blocks
            ),
        )

    def _first(self, body: dict[str, Any], event: dict[str, Any]) -> bool:
        """Claim the message: Slack retries an event (same event_id) and sends a mention twice
        (app_mention and message, same ts); only the first delivery is answered."""
        keys = [f"message:{event['channel']}:{event['ts']}"]
        if body.get("event_id"):
            keys.append(f"event:{body['event_id']}")
        return self.deliveries.claim(*keys)

    def _thread(self, client: WebClient, event: dict[str, Any], context: BoltContext) -> Thread:
        """The thread before `event`, from conversations.replies; empty when Slack won't say."""
        channel = event["channel"]
        messages = _slack(
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
            if not mine and not m.get("bot_id") and m.get("subtype") in HUMAN_SUBTYPES
        ]
        usable = [q for q in questions if 0 < len(q) <= MAX_QUESTION_CHARS]
        return Thread(any(by_bot), tuple(usable[-MAX_HISTORY:]))

    def _answer(
        self,
        client: WebClient,
        where: Where,
        question: str,
        history: tuple[str, ...],
        asked_by: str | None = None,
    ) -> bool:
        """Answer and post; False when Slack refused the post."""
        if not question or len(question) > MAX_QUESTION_CHARS:
            return self._post(client, where, text=USAGE if not question else TOO_LONG) is not None
        with self._eyes(client, where):
            posted: list[str] = []  # the message's ts, once a draft has been shown
            try:
                body = AskBody.model_validate({"question": question, "history": list(history)})
                request = body.request()  # exactly as POST /ask would ask the chain
                answer = self._streamed(client, where, request, asked_by, posted)
            except Exception:
                log.exception("could not answer a question in channel %s", where.channel)
                return self._show(client, where, posted, text=SORRY) is not None
            ts = self._show(
                client,
                where,
                posted,
                text=fallback_text(answer, asked_by),
                blocks=answer_blocks(answer, asked_by),
            )
        if ts and answer.answered:
            self.feedback.remember(where.channel, ts, answer)
        return ts is not None

    def _streamed(
        self,
        client: WebClient,
        where: Where,
        request: SearchRequest,
        asked_by: str | None,
        posted: list[str],
    ) -> Answer:
        """The chain's final answer; a model's drafts are shown as they grow, at most once per
        `draft_every` seconds, in the message the answer will replace."""
        shown = time.monotonic()
        answer = None
        for answer in self.services().chain.stream(request):
            if answer.draft and time.monotonic() - shown >= self.draft_every:
                draft = {"text": fallback_text(answer, asked_by), "blocks": draft_blocks(answer)}
                self._show(client, where, posted, **draft)
                shown = time.monotonic()
        if answer is None or answer.draft:
            raise RuntimeError("the answer chain ended without an answer")
        return answer

    def _show(
        self, client: WebClient, where: Where, posted: list[str], **message: Any
    ) -> str | None:
        """Post the message, or update the one already posted for this answer."""
        if not posted:
            ts = self._post(client, where, **message)
            posted.extend([ts] if ts else [])
            return ts
        channel, ts = where.channel, posted[0]
        updated = _slack(
            "chat.update", channel, lambda: client.chat_update(channel=channel, ts=ts, **message)
        )
        return ts if updated else None

    def _post(self, client: WebClient, where: Where, **message: Any) -> str | None:
        posted = _slack(
            "chat.postMessage",
            where.channel,
            lambda: client.chat_postMessage(
                channel=where.channel,
                thread_ts=where.thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                **message,
            ),
        )
        return str(posted["ts"]) if posted else None

    @contextmanager
    def _eyes(self, client: WebClient, where: Where) -> Iterator[None]:
        """👀 on the question while its answer takes longer than `eyes_after` seconds."""
        if where.question_ts is None:
            yield
            return
        channel = where.channel
        reaction = {"channel": channel, "timestamp": where.question_ts, "name": "eyes"}
        added = threading.Event()

        def add() -> None:
            if _slack("reactions.add", channel, partial(client.reactions_add, **reaction)):
                added.set()

        timer = threading.Timer(self.eyes_after, add)
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
            timer.join()  # an add under way finishes first, so the remove follows it
            if added.is_set():
                _slack("reactions.remove", channel, partial(client.reactions_remove, **reaction))


def question_text(mrkdwn: str) -> str:
    """What a person wrote, as plain text: mentions dropped, links as their labels."""
    text = _SPECIAL.sub(" ", mrkdwn)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def _slack(method: str, channel: str, call: Callable[[], T]) -> T | None:
    """Call Slack's Web API; a failure that the client's retries didn't cure is logged, not raised,
    so the bot keeps serving."""
    try:
        return call()
    except SlackApiError as error:
        log.error("Slack %s failed in channel %s: %s", method, channel, error.response.get("error"))
    except (SlackClientError, OSError) as error:
        log.error("Slack %s failed in channel %s: %s", method, channel, type(error).__name__)
    return None
