"""Commands that change or describe the archive: ingest, delete, stats. While `newsdesk serve`
holds an on-disk index, ingest and delete send their work to it."""

import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.context import services, settings
from bot.cli.output import AS_JSON, err, error, note, progress, show, user_errors
from bot.cli.remote import Remote, running_server
from bot.config import Settings
from bot.feeds.state import FeedState
from bot.wiring import Services, fetcher
from retrieval.errors import BadInput, NotFound
from retrieval.index.writer import IngestReport, index_articles, readable
from retrieval.ingest.files import read_paths
from retrieval.ingest.web.reader import WebReader, looks_like_url
from retrieval.records import Article

SERVER = Annotated[
    str | None, typer.Option(help="send to the newsdesk at this url, e.g. http://host:8000")
]


def ingest(
    ctx: typer.Context,
    sources: Annotated[
        list[str],
        typer.Argument(help="files or folders of articles; URLs of pages, feeds or sitemaps"),
    ],
    if_empty: Annotated[bool, typer.Option(help="do nothing when the index has articles")] = False,
    server: SERVER = None,
) -> None:
    """Add articles (.txt, .md, .html, .json, .jsonl files; web pages, RSS/Atom feeds and
    sitemaps by URL) to the index; unchanged ones are skipped.

    Example: newsdesk ingest seeds/ https://news.example/feed.xml
    """
    config = settings(ctx)
    with user_errors():
        remote = _remote(config, server)
        if remote is not None:
            report = _send(read_sources(sources, config), remote)
        else:
            built = services(config)
            if if_empty and built.index.counts()[0]:
                err.print("The index already has articles; nothing to do.")
                return
            started = time.perf_counter()
            report = ingest_with_progress(
                read_sources(sources, config), built, "Embedding articles"
            )
            record_ingest(config.metrics_dir, time.perf_counter() - started)
    if report.failed:
        raise typer.Exit(1)


def delete(
    ctx: typer.Context,
    article_id: Annotated[str, typer.Argument(help="the article's id")],
    server: SERVER = None,
) -> None:
    """Remove one article from the index.

    Example: newsdesk delete 000_bd662be0dd968903
    """
    config = settings(ctx)
    with user_errors():
        remote = _remote(config, server)
        if remote is not None:
            remote.delete(article_id)
        elif not services(config).index.delete(article_id):
            raise NotFound(article_id)
        err.print(f"Deleted {article_id}.")


def stats(ctx: typer.Context, as_json: AS_JSON = False) -> None:
    """Show how many articles and chunks the index holds, and where.

    Example: newsdesk stats
    """
    config = settings(ctx)
    with user_errors():
        articles, chunks = services(config).index.counts()
    figures = {"index": config.chroma_location, "articles": articles, "chunks": chunks}
    show(figures, as_json, lambda: "\n".join(f"{k}: {v}" for k, v in figures.items()))


def record_ingest(metrics_dir: Path, seconds: float) -> None:
    """Add this run to the /metrics of a server on the same data dir, if one has made its
    metrics folder there (an ingest into a Chroma server while it serves)."""
    if not metrics_dir.is_dir():
        return
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    from bot.metrics import INGEST_SECONDS  # after the variable: prometheus-client reads it once

    INGEST_SECONDS.observe(seconds)


def read_sources(sources: list[str], config: Settings) -> Iterator[Article | BadInput]:
    """The articles of the files and folders, then of the URLs (fetched here)."""
    urls = [source for source in sources if looks_like_url(source)]
    yield from read_paths(Path(source) for source in sources if not looks_like_url(source))
    if urls:
        # Texts seen here or by the feed poller: a syndicated story is indexed once.
        reader = WebReader(fetcher(config), FeedState(config.data_dir), on_note=note)
        try:
            yield from reader.read(urls)
        finally:
            reader.fetcher.close()


def ingest_with_progress(
    results: Iterable[Article | BadInput], built: Services, label: str
) -> IngestReport:
    """Ingest with a progress bar, each bad file, line or URL reported as it is met."""
    with progress() as bar:
        task = bar.add_task(label, total=None)
        report = index_articles(
            results,
            built.index,
            on_error=error,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    err.print(report.summary())
    return report


def _remote(config: Settings, server: str | None) -> Remote | None:
    url = server or running_server(config)
    return Remote(url, config) if url else None


def _send(results: Iterable[Article | BadInput], remote: Remote) -> IngestReport:
    """Read the articles here and send them to the server, with the same bar and errors."""
    report = IngestReport()
    articles = readable(results, report, error)
    err.print(f"Sending to the newsdesk at {remote.url}")
    with progress() as bar:
        task = bar.add_task("Sending articles", total=len(articles))
        remote.add(articles, report, lambda done, _: bar.update(task, completed=done), error)
    err.print(report.summary())
    return report
