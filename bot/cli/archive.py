"""Commands that change or describe the archive: ingest, delete, stats."""

import os
import time
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.context import services, settings
from bot.cli.output import AS_JSON, err, error, progress, show, user_errors
from bot.wiring import Services
from retrieval.errors import NotFound
from retrieval.index.writer import IngestReport, index_articles
from retrieval.ingest.files import read_paths


def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="files or folders of articles")],
    if_empty: Annotated[bool, typer.Option(help="do nothing when the index has articles")] = False,
) -> None:
    """Add articles (.txt, .md, .html, .json, .jsonl) to the index; unchanged ones are skipped.

    Example: newsdesk ingest seeds/ more-articles.jsonl
    """
    config = settings(ctx)
    with user_errors():
        built = services(config)
        if if_empty and built.index.counts()[0]:
            err.print("The index already has articles; nothing to do.")
            return
        started = time.perf_counter()
        report = ingest_with_progress(paths, built, "Embedding chunks")
    record_ingest(config.metrics_dir, time.perf_counter() - started)
    if report.failed:
        raise typer.Exit(1)


def delete(
    ctx: typer.Context, article_id: Annotated[str, typer.Argument(help="the article's id")]
) -> None:
    """Remove one article from the index.

    Example: newsdesk delete 000_bd662be0dd968903
    """
    with user_errors():
        if not services(settings(ctx)).index.delete(article_id):
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


def ingest_with_progress(paths: list[Path], built: Services, label: str) -> IngestReport:
    """Ingest with a progress bar, each bad file or line reported as it is met."""
    with progress() as bar:
        task = bar.add_task(label, total=None)
        report = index_articles(
            read_paths(paths),
            built.index,
            on_error=error,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    err.print(report.summary())
    return report
