"""Slack's Events API over HTTP: POST /slack/events, beside the API."""

from collections.abc import Callable

from fastapi import FastAPI, Request
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from bot.wiring import Services

Bot = Callable[[Callable[[], Services]], App]  # the Slack bot, given how to get the services


def slack_events(bot: Bot) -> Callable[[FastAPI, Callable[[], Services]], None]:
    """A mount for `create_app`: serve the bot's events, commands and button clicks."""

    def mount(app: FastAPI, services: Callable[[], Services]) -> None:
        slack = bot(services)

        @app.post("/slack/events", include_in_schema=False)
        async def events(request: Request) -> Response:
            """Slack's events, /ask and button clicks, signed with SLACK_SIGNING_SECRET."""
            # bolt's FastAPI adapter dispatches on the event loop; dispatch may call Slack
            # (auth.test on the first request), so it runs on a worker thread here, with the
            # adapter's converters.
            bolt_request = to_bolt_request(request, await request.body())
            return to_starlette_response(await run_in_threadpool(slack.dispatch, bolt_request))

    return mount
