"""The work after each ack: read the question, ask the one answer chain, post the answer."""

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.feedback import Feedback
from bot.metrics import SLACK_EVENTS, count_answer
from bot.slack.blocks import answer_blocks, draft_blocks, fallback_text, thanked
from bot.slack.conversation import (
    Where,
    by_a_person,
    first_delivery,
    in_thread,
    question_text,
    read_thread,
)
from bot.slack.deliveries import Deliveries
from bot.slack.posting import Reply, call_slack, eyes
from bot.wiring import Services
from retrieval.errors import InvalidRequest
from retrieval.records import ANSWER_K, Answer, SearchRequest

log = logging.getLogger("newsdesk.slack")

DRAFT_EVERY_S = 1.0  # how often a model's growing answer is shown; Slack allows ~1 update/s
USAGE = "Ask me about the news: `/ask What did Kerry tell Lavrov on Saturday?`, or mention me."
SORRY = "Sorry, I can't search the archive right now. Please try again in a minute."
CANT_POST = "I can't post here. Invite me with `/invite @newsdesk`, or ask me in a DM."
FORGOTTEN = "Sorry, I no longer have that answer on record, so your vote wasn't counted."


class Listeners:
    """One method per kind of Slack request, each run after its ack."""

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
        SLACK_EVENTS.labels("mention").inc()
        if event.get("bot_id") or not first_delivery(self.deliveries, body, event):
            return
        thread = read_thread(client, event, context) if event.get("thread_ts") else None
        history = thread.questions if thread else ()
        self._answer(client, Where.reply_to(event), question_text(event["text"]), history)

    def message(
        self, body: dict[str, Any], event: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """A DM, or a reply in a thread the bot answered in; mentions are app_mention's."""
        SLACK_EVENTS.labels("message").inc()
        if not by_a_person(event):
            return
        direct = event.get("channel_type") == "im"
        threaded = in_thread(event)
        mentioned = f"<@{context.bot_user_id}>" in event.get("text", "")
        if not direct and (not threaded or mentioned):
            return
        if not first_delivery(self.deliveries, body, event):
            return
        thread = read_thread(client, event, context) if threaded else None
        if not direct and not (thread and thread.bot_answered):
            return
        history = thread.questions if thread else ()
        self._answer(client, Where.reply_to(event), question_text(event.get("text", "")), history)

    def ask(self, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """/ask: the answer, headed by the question, posted in the channel."""
        SLACK_EVENTS.labels("command").inc()
        question = question_text(command.get("text", ""))
        if not question:
            return  # the ack showed how to ask
        where = Where(command["channel_id"], thread_ts=None, question_ts=None)
        if not self._answer(client, where, question, (), asked_by=command["user_id"]):
            respond(text=CANT_POST, response_type="ephemeral")

    def vote(self, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        """👍/👎 under an answer: record it and thank the voter in place of the buttons."""
        SLACK_EVENTS.labels("vote").inc()
        channel = body["container"]["channel_id"]
        ts = body["container"]["message_ts"]
        user = body["user"]["id"]
        message = body["message"]
        if not self.feedback.vote(channel, ts, user, action["value"]):
            call_slack(
                "chat.postEphemeral",
                channel,
                lambda: client.chat_postEphemeral(
                    channel=channel, user=user, thread_ts=message.get("thread_ts"), text=FORGOTTEN
                ),
            )
            return
        blocks = thanked(message["blocks"], user, action["value"])
        call_slack(
            "chat.update",
            channel,
            lambda: client.chat_update(
                channel=channel, ts=ts, text=message.get("text", ""), blocks=blocks
            ),
        )

    def _answer(
        self,
        client: WebClient,
        where: Where,
        question: str,
        history: tuple[str, ...],
        asked_by: str | None = None,
    ) -> bool:
        """Answer and post; False when Slack refused the post."""
        reply = Reply(client, where.channel, where.thread_ts)
        try:
            request = SearchRequest(question, ANSWER_K, history=history)  # as POST /ask asks
        except InvalidRequest as error:
            return reply.show(text=USAGE if not question else f"Sorry: {error}.") is not None
        with eyes(client, where.channel, where.question_ts, self.eyes_after):
            try:
                answer = self._streamed(reply, request, asked_by)
            except Exception:
                log.exception("could not answer a question in channel %s", where.channel)
                return reply.show(text=SORRY) is not None
            count_answer(answer, "slack")
            ts = reply.show(
                text=fallback_text(answer, asked_by), blocks=answer_blocks(answer, asked_by)
            )
        if ts and answer.answered:
            self.feedback.remember(where.channel, ts, answer)
        return ts is not None

    def _streamed(self, reply: Reply, request: SearchRequest, asked_by: str | None) -> Answer:
        """The chain's final answer; a model's drafts are shown as they grow, at most once per
        `draft_every` seconds, in the message the answer will replace."""
        shown = time.monotonic()
        answer = None
        for answer in self.services().chain.stream(request):
            if answer.draft and time.monotonic() - shown >= self.draft_every:
                reply.show(text=fallback_text(answer, asked_by), blocks=draft_blocks(answer))
                shown = time.monotonic()
        if answer is None or answer.draft:
            raise RuntimeError("the answer chain ended without an answer")
        return answer
