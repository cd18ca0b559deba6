"""The newsdesk command: ingest, ask, search, serve, stats, delete."""

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from bot.config import Settings
from bot.render import answer_json, answer_text, hit_json, hit_text
from bot.wiring import Services, build_services
from retrieval.dates import parse_date
from retrieval.errors import NewsdeskError
from retrieval.indexing import index_articles
from retrieval.ingest import read_paths
from retrieval.search import SearchRequest, best_per_article

app = typer.Typer(help="Ask a news archive; every answer cites its sources.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)
T = TypeVar("T")

AsOf = Annotated[
    str | None, typer.Option("--as-of", help="answer as the archive stood on this day (YYYY-MM-DD)")
]
Source = Annotated[str | None, typer.Option(help="only this outlet, e.g. 'NBC News'")]
AsJson = Annotated[bool, typer.Option("--json", help="print JSON")]


@contextmanager
def _user_errors() -> Iterator[None]:
    """Print newsdesk's own errors as one line and exit 1; nobody needs a traceback for them."""
    try:
        yield
    except (NewsdeskError, ValueError) as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from None


def _services() -> Services:
    with err.status("Loading the model and the index…"):
        return build_services(Settings())


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise ValueError(f"{option}: not a date: {value!r} (expected YYYY-MM-DD)") from None


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders of articles")],
    if_empty: Annotated[bool, typer.Option(help="do nothing when the index has articles")] = False,
) -> None:
    """Add articles (.txt, .md, .html, .json, .jsonl) to the index; unchanged ones are skipped.

    Example: newsdesk ingest seeds/ more-articles.jsonl
    """
    with _user_errors():
        services = _services()
        if if_empty and services.index.counts()[0]:
            err.print("The index already has articles; nothing to do.")
            return
        with _progress() as bar:
            task = bar.add_task("Embedding chunks", total=None)
            report = index_articles(
                read_paths(paths),
                services.index,
                on_error=lambda message: err.print(f"[red]error:[/red] {message}", highlight=False),
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        err.print(report.summary())
    if report.failed:
        raise typer.Exit(1)


@app.command()
def delete(article_id: Annotated[str, typer.Argument(help="the article's id")]) -> None:
    """Remove one article from the index.

    Example: newsdesk delete 000_bd662be0dd968903
    """
    with _user_errors():
        if not _services().index.delete(article_id):
            raise NewsdeskError(f"no article with id {article_id!r} in the index")
        err.print(f"Deleted {article_id}.")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="a question in plain words")],
    as_of: AsOf = None,
    source: Source = None,
    as_json: AsJson = False,
) -> None:
    """Answer a question from the archive, with cited sources.

    Example: newsdesk ask "What did Kerry tell Lavrov on Saturday?"
    """
    with _user_errors():
        request = SearchRequest(question, source=source, as_of=_day(as_of, "--as-of"))
        answer = _services().chain.invoke(request)
    _print(answer_json(answer), as_json, lambda: answer_text(answer))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="words to look for")],
    k: Annotated[int, typer.Option("-k", help="how many articles")] = 10,
    as_of: AsOf = None,
    source: Source = None,
    as_json: AsJson = False,
) -> None:
    """List the best matching passage of each of the k best articles.

    Example: newsdesk search "Crimea annexation" -k 5
    """
    with _user_errors():
        request = SearchRequest(query, k, source=source, as_of=_day(as_of, "--as-of"))
        hits = best_per_article(_services().searcher.retrieve(request).hits)[:k]
    _print(
        {"hits": [hit_json(h) for h in hits]},
        as_json,
        lambda: "\n".join(hit_text(i, h) for i, h in enumerate(hits, 1)) or "No matches.",
    )


@app.command()
def stats(as_json: AsJson = False) -> None:
    """Show how many articles and chunks the index holds, and where.

    Example: newsdesk stats
    """
    settings = Settings()
    with _user_errors():
        articles, chunks = _services().index.counts()
    figures = {"index": settings.chroma_location, "articles": articles, "chunks": chunks}
    _print(figures, as_json, lambda: "\n".join(f"{k}: {v}" for k, v in figures.items()))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="port to listen on")] = None,
) -> None:
    """Serve the HTTP API (/ask, /search, /docs).

    Example: newsdesk serve --port 8000
    """
    import uvicorn

    settings = Settings()
    uvicorn.run(
        "bot.main:create",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


def _print(value: Any, as_json: bool, as_text: Callable[[], str]) -> None:
    if as_json:
        sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
    else:
        out.print(as_text(), highlight=False, markup=False)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
