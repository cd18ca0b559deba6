"""The Slack bot: @mentions, DMs, thread follow-ups, /ask and 👍/👎, answered by the one chain.

Every listener acknowledges at once; the work runs after, in bolt's lazy listeners.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.config import Settings
from bot.feedback import Feedback
from bot.slack.blocks import VOTE_ACTION
from bot.slack.conversation import question_text
from bot.slack.deliveries import Deliveries
from bot.slack.listeners import DRAFT_EVERY_S, USAGE, Listeners
from bot.wiring import Services, slack_client

EYES_AFTER_S = 1.0  # answers quicker than this need no sign that the bot is on it
ANSWER_WORKERS = 4  # answers are CPU-bound (the embedding model); more threads would only queue


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


def register(app: App, listeners: Listeners) -> None:
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
