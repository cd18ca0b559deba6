"""The newsdesk command: ingest, ask, search, serve, stats, delete."""

import json
import logging
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from bot.config import Settings
from bot.feedback import Feedback, Vote
from bot.render import answer_json, answer_text, hit_json, hit_text
from bot.wiring import Services, build_services
from retrieval.dates import parse_date
from retrieval.documents import Answer
from retrieval.errors import BadInput, NewsdeskError
from retrieval.evaluate import EvalQuestion, evaluate, read_questions
from retrieval.indexing import IngestReport, index_articles
from retrieval.ingest import read_paths
from retrieval.search import Retrieval, SearchRequest, best_per_article

LOOPBACK = ("127.0.0.1", "localhost", "::1")
GRACEFUL_SECONDS = 30  # on SIGTERM, requests in flight get this long to finish
app = typer.Typer(help="Ask a news archive; every answer cites its sources.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

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
        report = _ingest_with_progress(paths, services, "Embedding chunks")
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


@app.command(name="eval")
def evaluate_command(
    questions: Annotated[Path, typer.Argument(help="JSON Lines: id, question, answers, gold_ids")],
    articles: Annotated[
        list[Path] | None,
        typer.Option(help="ingest these files or folders into a temporary index and ask that"),
    ] = None,
    k: Annotated[int, typer.Option("-k", help="rank cut-off for MRR")] = 10,
    index_dir: Annotated[
        Path | None, typer.Option(help="keep the --articles index here, to reuse next time")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Score search and answers on questions with known answers and source articles.

    Example: newsdesk eval ../shared/eval/squad-a/questions.jsonl
             --articles ../shared/eval/squad-a/articles.jsonl
    """
    with _user_errors(), tempfile.TemporaryDirectory() as scratch:
        if not articles:
            services = _services()
        else:
            settings = Settings(data_dir=index_dir or Path(scratch), chroma_url=None)
            with err.status("Loading the model…"):
                services = build_services(settings)
            _ingest_with_progress(articles, services, "Indexing articles")
        records = list(read_questions(questions, k))
        for problem in (r for r in records if isinstance(r, BadInput)):
            err.print(f"[red]error:[/red] {problem}", highlight=False)
        valid = [r for r in records if isinstance(r, EvalQuestion)]
        with _progress() as bar:
            task = bar.add_task("Asking", total=len(valid))
            scores = evaluate(
                valid,
                lambda request: _retrieve_and_answer(services, request),
                k,
                progress=lambda: bar.advance(task),
            )
    figures = scores.figures()
    _print(figures, as_json, lambda: "\n".join(f"{name}: {v}" for name, v in figures.items()))


def _retrieve_and_answer(services: Services, request: SearchRequest) -> tuple[Retrieval, Answer]:
    retrieval = services.searcher.retrieve(request)
    return retrieval, services.answerer(retrieval)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="port to listen on")] = None,
    workers: Annotated[int | None, typer.Option(help="server processes, one model each")] = None,
) -> None:
    """Serve the HTTP API (/ask, /search, /docs).

    Example: newsdesk serve --port 8000 --workers 2
    """
    import uvicorn

    settings = Settings()
    host = host or settings.host
    workers = workers or settings.workers
    if workers > 1 and not settings.chroma_url:
        err.print(
            f"[red]error:[/red] {workers} workers need NEWSDESK_CHROMA_URL: Chroma on disk "
            "serves one process at a time",
            highlight=False,
        )
        raise typer.Exit(1)
    if settings.api_token is None and host not in LOOPBACK:
        logging.getLogger("newsdesk").warning(
            "listening on %s without NEWSDESK_API_TOKEN: anyone who can reach it may ask", host
        )
    uvicorn.run(
        "bot.main:create",
        factory=True,
        host=host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
    )


@app.command()
def slack() -> None:
    """Answer questions in Slack over Socket Mode: no public URL needed.

    Needs SLACK_BOT_TOKEN (xoxb-…) and SLACK_APP_TOKEN (xapp-…); see slack/manifest.yml.

    Example: SLACK_BOT_TOKEN=xoxb-… SLACK_APP_TOKEN=xapp-… newsdesk slack
    """
    from bot.slack import slack_app
    from bot.socket_mode import check_slack, connect

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    with _user_errors():
        settings = Settings()
        name = check_slack(settings)  # before loading the model: a bad token fails fast
        services = _services()
        handler = connect(slack_app(settings, lambda: services), settings)
    err.print(f"Answering in Slack as @{name} over Socket Mode; Ctrl+C stops.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        handler.client.close()


@app.command()
def feedback(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="how many votes")] = 20,
    as_json: AsJson = False,
) -> None:
    """List the latest 👍/👎 votes on answers in Slack, newest first.

    Example: newsdesk feedback -n 50 --json
    """
    with _user_errors():
        votes = Feedback(Settings().data_dir).recent(limit)
    _print(
        {"votes": [v.as_json() for v in votes]},
        as_json,
        lambda: "\n".join(_vote_text(v) for v in votes) or "No votes yet.",
    )


def _vote_text(vote: Vote) -> str:
    thumb = "👍" if vote.vote == "up" else "👎"
    sources = ", ".join(vote.article_ids) or "no sources"
    return f"{vote.at:%Y-%m-%d %H:%M} {thumb} {vote.user}: {vote.question} ({sources})"


def _ingest_with_progress(paths: list[Path], services: Services, label: str) -> IngestReport:
    with _progress() as bar:
        task = bar.add_task(label, total=None)
        report = index_articles(
            read_paths(paths),
            services.index,
            on_error=lambda message: err.print(f"[red]error:[/red] {message}", highlight=False),
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    err.print(report.summary())
    return report


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
