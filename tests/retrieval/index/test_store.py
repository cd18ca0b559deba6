"""Writing to the index: idempotent, replacing, deleting, and the catalog kept in step with
Chroma (and rebuilt from it)."""

import json
from pathlib import Path

import pytest

from bot.wiring import Services
from retrieval.index import store
from retrieval.index import view as view_module
from retrieval.index.embed import Embedder
from retrieval.index.filters import Filters
from retrieval.index.terms import terms
from retrieval.index.writer import index_articles
from retrieval.ingest.files import read_paths
from retrieval.records import SearchRequest
from tests.helpers import NBC, PBS, SEEDS, make_services


@pytest.fixture
def fresh(tmp_path: Path, embedder: Embedder) -> Services:
    return make_services(tmp_path / "data", embedder)


def documents(services: Services) -> list[str]:
    """The chunk texts Chroma holds."""
    return services.index.vectors.collection.get(include=["documents"])["documents"] or []


def catalogued(services: Services, article_id: str) -> list[tuple[str, int]]:
    """(text, sentences) of each chunk of the article in the catalog."""
    rows = services.index.catalog.connection().execute(
        "SELECT text, sentences FROM chunks WHERE article_id = ? ORDER BY id", (article_id,)
    )
    return [(text, len(json.loads(sentences))) for text, sentences in rows]


def write_jsonl(path: Path, *records: dict[str, str]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_reingesting_the_same_input_changes_nothing(fresh: Services) -> None:
    first = index_articles(read_paths([SEEDS]), fresh.index)
    before = sorted(fresh.index.vectors.collection.get()["ids"])
    second = index_articles(read_paths([SEEDS]), fresh.index)

    assert (first.added, first.unchanged) == (2, 0)
    assert (second.added, second.updated, second.unchanged, second.chunks) == (0, 0, 2, 0)
    assert sorted(fresh.index.vectors.collection.get()["ids"]) == before
    assert fresh.index.counts() == (2, len(before))


def test_articles_read_by_an_older_format_are_rewritten_on_reingest(
    fresh: Services, tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "INDEX_FORMAT", store.INDEX_FORMAT - 1)
    index_articles(read_paths([SEEDS]), make_services(tmp_path / "data", embedder).index)
    monkeypatch.undo()

    again = index_articles(read_paths([SEEDS]), fresh.index)

    assert (again.added, again.updated, again.unchanged) == (0, 2, 0)
    assert fresh.index.states(list(read_paths([SEEDS]))) == {NBC: "unchanged", PBS: "unchanged"}


def test_pbs_body_is_indexed_once(fresh: Services) -> None:
    index_articles(read_paths([SEEDS]), fresh.index)

    assert sum(d.count("hasty and reckless steps") for d in documents(fresh)) == 1
    assert sum(text.count("hasty and reckless steps") for text, _ in catalogued(fresh, PBS)) == 1


def test_changed_article_replaces_its_chunks(fresh: Services, tmp_path: Path) -> None:
    long_text = " ".join(
        f"The harbour project reached milestone number {i} this spring." for i in range(60)
    )
    path = write_jsonl(
        tmp_path / "a.jsonl", {"id": "harbour", "title": "Harbour", "text": long_text}
    )
    index_articles(read_paths([path]), fresh.index)
    assert fresh.index.counts()[1] > 1

    write_jsonl(
        path,
        {
            "id": "harbour",
            "title": "Harbour",
            "text": "The harbour project was cancelled on Friday.",
        },
    )
    report = index_articles(read_paths([path]), fresh.index)

    assert (report.updated, report.added) == (1, 0)
    assert documents(fresh) == ["The harbour project was cancelled on Friday."]
    assert catalogued(fresh, "harbour") == [("The harbour project was cancelled on Friday.", 1)]
    hits = fresh.searcher.search(SearchRequest("harbour milestone"))
    assert [h.text for h in hits] == ["The harbour project was cancelled on Friday."]


def test_delete_removes_an_article_from_both_searches(fresh: Services) -> None:
    index_articles(read_paths([SEEDS]), fresh.index)

    assert fresh.index.delete(NBC) is True
    assert fresh.index.delete(NBC) is False
    hits = fresh.searcher.search(SearchRequest("Kerry telephone call Saturday annex Crimea"))
    assert {h.article_id for h in hits} == {PBS}
    assert not catalogued(fresh, NBC)
    assert NBC not in {
        m["article_id"] for m in fresh.index.vectors.collection.get()["metadatas"] or []
    }


def test_bad_record_never_leaves_half_an_article(fresh: Services, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"id": "ok", "title": "Ferry", "text": "The ferry resumed service on Monday."})
        + "\n{not json\n"
        + json.dumps({"id": "no-text", "title": "Empty"})
        + "\n"
    )
    errors: list[str] = []

    report = index_articles(read_paths([path]), fresh.index, on_error=errors.append)

    assert (report.added, report.failed) == (1, 2)
    assert {m["article_id"] for m in fresh.index.vectors.collection.get()["metadatas"] or []} == {
        "ok"
    }
    assert errors[0].endswith(
        "mixed.jsonl:2: invalid JSON: Expecting property name enclosed in double quotes"
    )


def test_same_id_twice_in_one_run_keeps_the_first(fresh: Services, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "dup.jsonl",
        {"id": "x", "title": "One", "text": "The first version of the story."},
        {"id": "x", "title": "Two", "text": "The second version of the story."},
    )

    report = index_articles(read_paths([path]), fresh.index)

    assert (report.added, report.failed) == (1, 1)
    assert "duplicate id 'x'" in report.errors[0]
    assert documents(fresh) == ["The first version of the story."]


def test_event_dates_are_stored_with_chunks(fresh: Services) -> None:
    index_articles(read_paths([SEEDS]), fresh.index)

    [hit] = [
        h
        for h in fresh.searcher.search(SearchRequest("Kerry telephone call annex Crimea"))
        if h.article_id == NBC
    ]
    assert "2014-03-08" in hit.event_dates


def test_a_lost_catalog_is_rebuilt_from_chroma(
    fresh: Services, tmp_path: Path, embedder: Embedder
) -> None:
    index_articles(read_paths([SEEDS]), fresh.index)
    before = {a: catalogued(fresh, a) for a in (NBC, PBS)}
    for path in (tmp_path / "data" / "catalog").iterdir():
        path.unlink()

    again = make_services(tmp_path / "data", embedder)

    assert {a: catalogued(again, a) for a in (NBC, PBS)} == before
    assert again.index.article(NBC) == fresh.index.article(NBC)
    assert again.index.states(list(read_paths([SEEDS]))) == {NBC: "unchanged", PBS: "unchanged"}
    answer = again.chain.invoke(SearchRequest("What did Kerry tell Lavrov on Saturday?"))
    assert answer.citations[0].article_id == NBC


def test_sources_counts_each_outlets_articles(fresh: Services, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl",
        {"id": "a", "title": "A", "text": "Trams ran late on Monday.", "source": "Metro Times"},
        {"id": "b", "title": "B", "text": "Buses ran early on Tuesday.", "source": "metro times"},
        {"id": "c", "title": "C", "text": "Ferries ran on time on Friday."},
    )
    index_articles(read_paths([SEEDS, path]), fresh.index)

    counts = fresh.index.sources()

    assert counts.pop("NBC News") == counts.pop("PBS NewsHour") == 1
    assert list(counts.values()) == [2]  # however its articles write it; "c" names no outlet


@pytest.mark.parametrize("max_fetch", [1000, 1], ids=["overfetched", "fallback"])
def test_filtered_search_agrees_with_the_exact_one(
    fresh: Services, monkeypatch: pytest.MonkeyPatch, max_fetch: int
) -> None:
    """A filter admitting more chunks than are searched exactly goes through Chroma's nearest,
    asked for more and filtered; when that finds too few, through the exact search after all."""
    index_articles(read_paths([SEEDS]), fresh.index)
    vector = fresh.index.embedder.encode(["Kerry warned Lavrov about Crimea"])[0]
    nbc = Filters(sources=frozenset({"nbc news"}))
    with fresh.index.reading() as view:
        exact = fresh.index.dense(view, vector, 2, nbc)
        monkeypatch.setattr(store, "EXACT_ROWS", 0)
        monkeypatch.setattr(store, "MAX_FETCH", max_fetch)
        searched = fresh.index.dense(view, vector, 2, nbc)
        sources = {c.hit.source for c in view.candidates([row for row, _ in searched]).values()}
    assert len(exact) == 2
    assert [row for row, _ in searched] == [row for row, _ in exact]
    assert sources == {"NBC News"}


def test_bm25_reads_the_rarer_words_within_its_budget(
    fresh: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past its budget of postings BM25 leaves out the commoner words of a question (their long
    lists are where its time goes), and it still finds what the rarer ones find."""
    index_articles(read_paths([SEEDS]), fresh.index)
    words = terms("What did Kerry tell Lavrov about Crimea and Russia?")
    with fresh.index.reading() as view:
        frequencies = view.document_frequencies(words)
        rarest = min(frequencies, key=frequencies.__getitem__)
        everything = view.lexical(words, frequencies, 10, Filters())
        monkeypatch.setattr(view_module, "POSTINGS", frequencies[rarest])
        budgeted = view.lexical(words, frequencies, 10, Filters())
        alone = view.lexical([rarest], frequencies, 10, Filters())
        monkeypatch.setattr(view_module, "POSTINGS", frequencies[rarest] - 1)
        nothing = view.lexical(words, frequencies, 10, Filters())
    assert len(frequencies) > 1 and sum(frequencies.values()) > frequencies[rarest]
    assert budgeted == alone
    assert {row for row, _ in budgeted} <= {row for row, _ in everything}
    assert budgeted and nothing == []
