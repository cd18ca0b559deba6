"""Articles → the index: skip what is unchanged, chunk and embed the rest in batches."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from retrieval.errors import BadInput
from retrieval.index.store import Index
from retrieval.ingest.chunk import chunk_article
from retrieval.records import Article, Chunk

# Enough texts per encode call to keep the model busy; small enough to commit work often.
BATCH_CHUNKS = 64
STATE_GROUP = 200  # articles whose stored state is read in one query


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    chunks: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.failed} failed; {self.chunks} chunks written"
        )


Progress = Callable[[int, int], None]  # (chunks done, chunks in total)


def index_articles(
    results: Iterable[Article | BadInput],
    index: Index,
    on_error: Callable[[str], None] = lambda message: None,
    progress: Progress = lambda done, total: None,
) -> IngestReport:
    """Write every readable article; report the others through on_error and keep going."""
    report = IngestReport()
    fresh: list[Article] = []
    seen: dict[str, str] = {}
    for result in results:
        if isinstance(result, BadInput):
            _fail(report, on_error, str(result))
            continue
        if result.article_id in seen:
            _fail(
                report,
                on_error,
                f"{result.origin}: duplicate id {result.article_id!r}, "
                f"already read from {seen[result.article_id]}; kept the first",
            )
            continue
        seen[result.article_id] = result.origin
        fresh.append(result)
    pending: list[tuple[Article, list[Chunk], str]] = []
    for start in range(0, len(fresh), STATE_GROUP):
        group = fresh[start : start + STATE_GROUP]
        states = index.states(group)
        for article in group:
            if states[article.article_id] == "unchanged":
                report.unchanged += 1
            else:
                pending.append((article, chunk_article(article), states[article.article_id]))
    total = sum(len(chunks) for _, chunks, _ in pending)
    progress(0, total)
    batch: list[tuple[Article, list[Chunk], str]] = []
    for item in pending:
        batch.append(item)
        if sum(len(chunks) for _, chunks, _ in batch) >= BATCH_CHUNKS:
            _write(batch, index, report)
            progress(report.chunks, total)
            batch = []
    if batch:
        _write(batch, index, report)
        progress(report.chunks, total)
    return report


def _write(
    batch: list[tuple[Article, list[Chunk], str]], index: Index, report: IngestReport
) -> None:
    index.write([(article, chunks) for article, chunks, _ in batch])
    for _, chunks, state in batch:
        report.chunks += len(chunks)
        if state == "added":
            report.added += 1
        else:
            report.updated += 1


def _fail(report: IngestReport, on_error: Callable[[str], None], message: str) -> None:
    report.errors.append(message)
    on_error(message)
