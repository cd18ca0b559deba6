"""Following the news: feeds and sitemaps newsdesk reads on a schedule (`newsdesk feeds …`),
and `newsdesk follow`, which polls them without a server."""

import time
from contextlib import suppress
from typing import Annotated

import typer

from bot.cli.context import services, settings
from bot.cli.output import AS_JSON, err, error, show, user_errors
from bot.cli.remote import Remote, running_server
from bot.config import Settings
from bot.feeds.every import spoken
from bot.feeds.follower import Follower
from bot.feeds.following import follow_source, followed, source_json, unfollow
from bot.feeds.poll import Write
from bot.feeds.state import Source
from bot.wiring import fetcher
from retrieval.index.writer import IngestReport, index_articles
from retrieval.records import Article

app = typer.Typer(help="Feeds and sitemaps newsdesk follows.")


@app.callback(invoke_without_command=True)
def listing(ctx: typer.Context, as_json: AS_JSON = False) -> None:
    """List the followed feeds: last and next fetch, new articles, last error, lag.

    Example: newsdesk feeds --json
    """
    if ctx.invoked_subcommand is not None:
        return
    config = settings(ctx)
    found = followed(config.data_dir)
    show(
        {"feeds": [source_json(s) for s in found]},
        as_json,
        lambda: _table(found) if found else "No feeds followed yet: newsdesk feeds add URL",
    )


@app.command()
def add(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="an RSS or Atom feed, or a (news) sitemap")],
    every: Annotated[str | None, typer.Option(help="how often, e.g. 90s, 15m, 2h")] = None,
    source: Annotated[str, typer.Option(help="file its articles under this outlet")] = "",
) -> None:
    """Follow a feed or sitemap: read now, then at every interval.

    Example: newsdesk feeds add https://news.example/rss.xml --every 15m --source "News Example"
    """
    config = settings(ctx)
    with user_errors():
        added = follow_source(config.data_dir, url, every or config.feeds_every, source)
    err.print(f"Following {added.url} every {spoken(added.every_s)}.")


@app.command()
def remove(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="a followed feed's URL")],
) -> None:
    """Stop following a feed; what it brought stays in the archive.

    Example: newsdesk feeds remove https://news.example/rss.xml
    """
    config = settings(ctx)
    if not unfollow(config.data_dir, url):
        error(f"{url} is not followed; `newsdesk feeds` lists those that are")
        raise typer.Exit(1)
    err.print(f"No longer following {url}.")


def follow(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option(help="poll what is due once, then stop")] = False,
) -> None:
    """Poll the followed feeds without a server (beside one on the same data dir, its index
    receives the articles).

    Example: newsdesk follow
    """
    config = settings(ctx)
    with user_errors():
        follower = Follower(config.data_dir, fetcher(config), _writer(config))
        if once:
            new = follower.poll_due()
            follower.stop()  # and let the next poller take over at once
            err.print(
                "Another process is polling these feeds."
                if new is None
                else f"{new} articles added or updated."
            )
            return
    err.print("Polling the followed feeds; Ctrl+C stops.")
    with suppress(KeyboardInterrupt):
        follower.run()


def _writer(config: Settings) -> Write:
    url = running_server(config)
    if url is not None:
        remote = Remote(url, config)

        def send(articles: list[Article]) -> IngestReport:
            report = IngestReport()
            remote.add(articles, report, lambda done, total: None, error)
            return report

        return send
    built = services(config)
    return lambda articles: index_articles(articles, built.index)


def _table(found: list[Source]) -> str:
    now = time.time()
    rows = [("url", "every", "last fetch", "next fetch", "new", "lag", "last error")]
    for s in found:
        rows.append(
            (
                s.url,
                spoken(s.every_s),
                _ago(now - s.last_fetch) if s.last_fetch else "never",
                "due" if s.next_fetch <= now else f"in {_span(s.next_fetch - now)}",
                f"{s.new_last} ({s.new_total} in all)",
                _span(s.lag_s) if s.lag_s is not None else "-",
                s.last_error or "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    )


def _ago(seconds: float) -> str:
    return f"{_span(seconds)} ago"


def _span(seconds: float) -> str:
    seconds = max(0.0, seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit}"
    return f"{seconds:.0f}s"
