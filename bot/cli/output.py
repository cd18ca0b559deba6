"""How the command talks: results on stdout (text or JSON), progress and errors on stderr, each
newsdesk error once, as one line, with exit status 1."""

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from retrieval.errors import InvalidRequest, NewsdeskError
from retrieval.ingest.dates import parse_date

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
AS_JSON = Annotated[bool, typer.Option("--json", help="print JSON")]


def error(message: str) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False)


def note(message: str) -> None:
    err.print(f"[dim]note:[/dim] {message}", highlight=False)


@contextmanager
def user_errors() -> Iterator[None]:
    """Print newsdesk's own errors as one line and exit 1; nobody needs a traceback for them."""
    try:
        yield
    except NewsdeskError as problem:
        error(str(problem))
        raise typer.Exit(1) from None


def show(value: Any, as_json: bool, as_text: Callable[[], str]) -> None:
    if as_json:
        sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
    else:
        out.print(as_text(), highlight=False, markup=False)


def progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )


def day(value: str | None, option: str) -> date | None:
    """A date option (YYYY-MM-DD), or InvalidRequest naming the option."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise InvalidRequest(f"{option}: not a date: {value!r} (expected YYYY-MM-DD)") from None
