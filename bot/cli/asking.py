"""Commands that ask the archive: ask, search, eval."""

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.archive import ingest_with_progress
from bot.cli.context import services, settings
from bot.cli.output import AS_JSON, day, error, progress, show, user_errors
from bot.render import answer_json, answer_text, hit_json, hit_text
from bot.wiring import Services
from retrieval.errors import BadInput
from retrieval.evaluate import EvalQuestion, evaluate, read_questions
from retrieval.ingest.files import read_paths
from retrieval.records import Answer, SearchRequest
from retrieval.search.searcher import Retrieval

AS_OF = Annotated[
    str | None, typer.Option("--as-of", help="answer as the archive stood on this day (YYYY-MM-DD)")
]
SOURCE = Annotated[str | None, typer.Option(help="only this outlet, e.g. 'NBC News'")]


def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="a question in plain words")],
    as_of: AS_OF = None,
    source: SOURCE = None,
    as_json: AS_JSON = False,
) -> None:
    """Answer a question from the archive, with cited sources.

    Example: newsdesk ask "What did Kerry tell Lavrov on Saturday?"
    """
    with user_errors():
        request = SearchRequest(question, source=source, as_of=day(as_of, "--as-of"))
        answer = services(settings(ctx)).chain.invoke(request)
    show(answer_json(answer), as_json, lambda: answer_text(answer))


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="words to look for")],
    k: Annotated[int, typer.Option("-k", help="how many articles")] = 10,
    as_of: AS_OF = None,
    source: SOURCE = None,
    as_json: AS_JSON = False,
) -> None:
    """List the best matching passage of each of the k best articles.

    Example: newsdesk search "Crimea annexation" -k 5
    """
    with user_errors():
        request = SearchRequest(query, k, source=source, as_of=day(as_of, "--as-of"))
        hits = services(settings(ctx)).searcher.search(request)
    show(
        {"hits": [hit_json(h) for h in hits]},
        as_json,
        lambda: "\n".join(hit_text(i, h) for i, h in enumerate(hits, 1)) or "No matches.",
    )


def evaluate_command(
    ctx: typer.Context,
    questions: Annotated[Path, typer.Argument(help="JSON Lines: id, question, answers, gold_ids")],
    articles: Annotated[
        list[Path] | None,
        typer.Option(help="ingest these files or folders into a temporary index and ask that"),
    ] = None,
    k: Annotated[int, typer.Option("-k", help="rank cut-off for MRR")] = 10,
    index_dir: Annotated[
        Path | None, typer.Option(help="keep the --articles index here, to reuse next time")
    ] = None,
    as_json: AS_JSON = False,
) -> None:
    """Score search and answers on questions with known answers and source articles.

    Example: newsdesk eval ../shared/eval/squad-a/questions.jsonl
             --articles ../shared/eval/squad-a/articles.jsonl
    """
    config = settings(ctx)
    with user_errors(), tempfile.TemporaryDirectory() as scratch:
        if not articles:
            built = services(config)
        else:
            update = {"data_dir": index_dir or Path(scratch), "chroma_url": None}
            built = services(config.model_copy(update=update))
            ingest_with_progress(read_paths(articles), built, "Indexing articles")
        records = list(read_questions(questions, k))
        for problem in (r for r in records if isinstance(r, BadInput)):
            error(str(problem))
        valid = [r for r in records if isinstance(r, EvalQuestion)]
        with progress() as bar:
            task = bar.add_task("Asking", total=len(valid))
            scores = evaluate(
                valid,
                lambda request: _retrieve_and_answer(built, request),
                k,
                progress=lambda: bar.advance(task),
            )
    figures = scores.figures()
    show(figures, as_json, lambda: "\n".join(f"{name}: {v}" for name, v in figures.items()))


def _retrieve_and_answer(built: Services, request: SearchRequest) -> tuple[Retrieval, Answer]:
    retrieval = built.searcher.retrieve(request)
    return retrieval, built.answerer(retrieval)
