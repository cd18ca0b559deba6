"""Articles → the index: skip what is unchanged, chunk and embed the rest in batches."""

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from retrieval.errors import BadInput
from retrieval.index.store import Index
from retrieval.ingest.chunk import chunk_article
from retrieval.records import Article, Chunk

# Enough texts per encode call to keep the model busy; small enough to commit work often.
BATCH_CHUNKS = 128
STATE_GROUP = 200  # articles whose stored state is read in one query


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    chunks: int = 0
    errors: list[str] = field(default_factory=list)
    states: dict[str, str] = field(default_factory=dict)  # article id → added, updated, unchanged

    @property
    def failed(self) -> int:
        return len(self.errors)

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.failed} failed; {self.chunks} chunks written"
        )


Progress = Callable[[int, int], None]  # (articles written, articles to write)


def index_articles(
    results: Iterable[Article | BadInput],
    index: Index,
    on_error: Callable[[str], None] = lambda message: None,
    progress: Progress = lambda done, total: None,
) -> IngestReport:
    """Write every readable article; report the others through on_error and keep going."""
    report = IngestReport()
    fresh = readable(results, report, on_error)
    pending: list[tuple[Article, str]] = []
    for start in range(0, len(fresh), STATE_GROUP):
        group = fresh[start : start + STATE_GROUP]
        states = index.states(group)
        report.unchanged += sum(states[a.article_id] == "unchanged" for a in group)
        report.states.update(states)
        pending += [(a, states[a.article_id]) for a in group if states[a.article_id] != "unchanged"]
    progress(0, len(pending))
    # The model embeds one batch while the one before is written: both cores stay busy.
    with ThreadPoolExecutor(1, thread_name_prefix="store") as writer:
        writing: tuple[Future[None], list[tuple[Article, list[Chunk], str]]] | None = None
        for batch in _batches(pending):
            embedded = index.embed([(article, chunks) for article, chunks, _ in batch])
            if writing is not None:
                _written(*writing, report, progress, len(pending))
            writing = (writer.submit(index.store, embedded), batch)
        if writing is not None:
            _written(*writing, report, progress, len(pending))
    return report


def readable(
    results: Iterable[Article | BadInput], report: IngestReport, on_error: Callable[[str], None]
) -> list[Article]:
    """The articles among the results, each id once; the rest counted and reported as failed."""
    fresh: list[Article] = []
    seen: dict[str, str] = {}
    for result in results:
        if isinstance(result, BadInput):
            _fail(report, on_error, str(result))
        elif result.article_id in seen:
            _fail(
                report,
                on_error,
                f"{result.origin}: duplicate id {result.article_id!r}, "
                f"already read from {seen[result.article_id]}; kept the first",
            )
        else:
            seen[result.article_id] = result.origin
            fresh.append(result)
    return fresh


def _batches(
    pending: list[tuple[Article, str]],
) -> Iterator[list[tuple[Article, list[Chunk], str]]]:
    """Articles chunked, in batches of about BATCH_CHUNKS chunks."""
    batch: list[tuple[Article, list[Chunk], str]] = []
    for article, state in pending:
        batch.append((article, chunk_article(article), state))
        if sum(len(chunks) for _, chunks, _ in batch) >= BATCH_CHUNKS:
            yield batch
            batch = []
    if batch:
        yield batch


def _written(
    storing: Future[None],
    batch: list[tuple[Article, list[Chunk], str]],
    report: IngestReport,
    progress: Progress,
    total: int,
) -> None:
    """Wait for a batch's write, then count it."""
    storing.result()
    for _, chunks, state in batch:
        report.chunks += len(chunks)
        if state == "added":
            report.added += 1
        else:
            report.updated += 1
    progress(report.added + report.updated, total)


def _fail(report: IngestReport, on_error: Callable[[str], None], message: str) -> None:
    report.errors.append(message)
    on_error(message)
