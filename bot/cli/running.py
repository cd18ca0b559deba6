"""Commands that run newsdesk as a service, and read what its users said: serve, slack, feedback."""

import logging
import os
import threading
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.context import services, settings
from bot.cli.output import AS_JSON, err, error, show, user_errors
from bot.cli.remote import announce
from bot.feedback import Feedback, Vote
from bot.logs import log_config

LOOPBACK = ("127.0.0.1", "localhost", "::1")
ANY_ADDRESS = ("0.0.0.0", "::", "")
GRACEFUL_SECONDS = 30  # on SIGTERM, requests in flight get this long to finish
# A new worker answers uvicorn's health ping only once it has imported newsdesk (chromadb, the
# runtimes): over uvicorn's 5 s on a busy machine, which then kills and restarts it, again and
# again.
WORKER_PING_SECONDS = 60


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="port to listen on")] = None,
    workers: Annotated[int | None, typer.Option(help="server processes, one model each")] = None,
    log_format: Annotated[
        str | None, typer.Option(help="text, or json (one object a line) for log shippers")
    ] = None,
) -> None:
    """Serve the web page (/) and the HTTP API (/ask, /search, /metrics, /docs).

    Example: newsdesk serve --port 8000 --workers 2 --log-format json
    """
    import uvicorn

    config = settings(ctx)
    host = host or config.host
    workers = workers or config.workers
    try:
        logs = log_config(log_format or config.log_format)
    except ValueError as problem:
        error(str(problem))
        raise typer.Exit(1) from None
    if workers > 1 and not config.chroma_url:
        error(
            f"{workers} workers need NEWSDESK_CHROMA_URL: Chroma on disk serves one process "
            "at a time"
        )
        raise typer.Exit(1)
    if config.api_token is None and host not in LOOPBACK:
        logging.getLogger("newsdesk").warning(
            "listening on %s without NEWSDESK_API_TOKEN: anyone who can reach it may ask", host
        )
    port = port or config.port
    # `newsdesk ingest` and `delete` on this data dir send their work here meanwhile.
    here = announce(config, f"http://{'127.0.0.1' if host in ANY_ADDRESS else host}:{port}")
    # Before any worker imports prometheus-client, which reads it once.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(fresh_metrics_dir(config.metrics_dir))
    try:
        uvicorn.run(
            "bot.main:create",  # each worker reads the same settings from the environment
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=logs,
            access_log=False,  # the request log has a line for each request, with its id
            timeout_graceful_shutdown=GRACEFUL_SECONDS,
            timeout_worker_healthcheck=WORKER_PING_SECONDS,
        )
    finally:
        here.unlink(missing_ok=True)


def fresh_metrics_dir(folder: Path) -> Path:
    """The folder where each worker writes its metrics, emptied: a run counts from zero, and
    the files of an earlier run's processes would be added in."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.db"):
        old.unlink()
    return folder


def slack(ctx: typer.Context) -> None:
    """Answer questions in Slack over Socket Mode: no public URL needed.

    Needs SLACK_BOT_TOKEN (xoxb-…) and SLACK_APP_TOKEN (xapp-…); see bot/slack/manifest.yml.

    Example: SLACK_BOT_TOKEN=xoxb-… SLACK_APP_TOKEN=xapp-… newsdesk slack
    """
    from bot.slack.app import slack_app
    from bot.slack.socket_mode import check_slack, connect

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    config = settings(ctx)
    with user_errors():
        name = check_slack(config)  # before loading the model: a bad token fails fast
        built = services(config)
        handler = connect(slack_app(config, lambda: built), config)
    err.print(f"Answering in Slack as @{name} over Socket Mode; Ctrl+C stops.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        handler.client.close()


def feedback(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="how many votes")] = 20,
    as_json: AS_JSON = False,
) -> None:
    """List the latest 👍/👎 votes on answers, in Slack and on the web page, newest first.

    Example: newsdesk feedback -n 50 --json
    """
    with user_errors():
        votes = Feedback(settings(ctx).data_dir).recent(limit)
    show(
        {"votes": [v.as_json() for v in votes]},
        as_json,
        lambda: "\n".join(_vote_text(v) for v in votes) or "No votes yet.",
    )


def _vote_text(vote: Vote) -> str:
    thumb = "👍" if vote.vote == "up" else "👎"
    sources = ", ".join(vote.article_ids) or "no sources"
    return f"{vote.at:%Y-%m-%d %H:%M} {thumb} {vote.where} {vote.user}: {vote.question} ({sources})"
