"""The ASGI app as uvicorn loads it in each worker: `uvicorn --factory bot.main:create`."""

import os
from functools import partial

from fastapi import FastAPI

from bot.api.app import Mount, create_app
from bot.config import Settings
from bot.metrics import TimedIndex
from bot.slack.app import slack_app
from bot.slack.http import slack_events
from bot.wiring import build_services


def create() -> FastAPI:
    os.environ["TOKENIZERS_PARALLELISM"] = "false"  # before any model loads in this process
    settings = Settings()
    load = partial(build_services, settings, index_type=TimedIndex)
    return create_app(load, settings, mounts_for(settings))


def mounts_for(settings: Settings) -> tuple[Mount, ...]:
    """Slack's events beside the API, when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set."""
    if not settings.slack_events_enabled:
        return ()
    return (slack_events(partial(slack_app, settings)),)
