"""Reading article files: formats, metadata, and bad input reported one line each."""

import json
from datetime import date
from pathlib import Path

import pytest

from retrieval.errors import BadInput
from retrieval.ingest.files import read_paths
from retrieval.ingest.web.fetch import Fetched
from retrieval.ingest.web.pages import page_article
from retrieval.records import Article
from tests.helpers import NBC, OUTLETS, PBS, SEEDS

BODY = "The council approved the budget on Monday. Members voted seven to two in favour of it."


def read(*paths: Path) -> tuple[list[Article], list[str]]:
    articles, errors = [], []
    for result in read_paths(list(paths)):
        if isinstance(result, BadInput):
            errors.append(str(result))
        else:
            articles.append(result)
    return articles, errors


def test_seeds_carry_their_sidecar_metadata() -> None:
    articles, errors = read(SEEDS)

    assert not errors
    by_id = {a.article_id: a for a in articles}
    assert by_id[NBC].title == "Kerry Urges Russia to Exercise Utmost Restraint in Crimea"
    assert by_id[NBC].source == "NBC News"
    assert by_id[NBC].published_at == date(2014, 3, 8)
    assert by_id[PBS].url == "https://www.pbs.org/newshour/world/ukraine-update"
    assert by_id[PBS].author == "Joshua Barajas, Justin Scuiletti"
    assert by_id[PBS].published_at == date(2014, 3, 7)


def test_pbs_duplicate_body_is_kept_once() -> None:
    articles, _ = read(SEEDS / f"{PBS}.txt")

    assert articles[0].text.count("hasty and reckless steps") == 1
    assert "Donate now" not in articles[0].text


def test_json_object_list_and_lines(tmp_path: Path) -> None:
    record = {"id": "a1", "title": "Budget", "body": BODY, "published_at": "2024-05-06T10:00:00Z"}
    (tmp_path / "one.json").write_text(json.dumps(record))
    (tmp_path / "many.json").write_text(
        json.dumps([{**record, "id": "a2"}, {**record, "id": "a3"}])
    )
    (tmp_path / "lines.jsonl").write_text(
        json.dumps({**record, "id": "a4", "content": BODY, "body": None}) + "\n\n"
    )

    articles, errors = read(tmp_path)

    assert not errors
    assert sorted(a.article_id for a in articles) == ["a1", "a2", "a3", "a4"]
    assert {a.published_at for a in articles} == {date(2024, 5, 6)}
    assert all(a.text == BODY for a in articles)


def test_markdown_front_matter_and_plain_text_defaults(tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text(
        "---\ntitle: Council budget\nsource: City Times\npublished_at: 2024-05-06\n---\n"
        f"# Budget\n\n**{BODY}** [More](https://example.com)\n"
    )
    (tmp_path / "plain.txt").write_text(f"Budget passes\n\nMay 6, 2024\n\n{BODY}\n")

    articles, errors = read(tmp_path)

    assert not errors
    note, plain = sorted(articles, key=lambda a: a.origin)
    assert (note.title, note.source, note.published_at) == (
        "Council budget",
        "City Times",
        date(2024, 5, 6),
    )
    assert "**" not in note.text and "More" in note.text and "https" not in note.text
    assert plain.title == "Budget passes"
    assert plain.published_at == date(2024, 5, 6)
    assert BODY in plain.text


def test_html_article_keeps_text_and_metadata_not_scripts(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><head><meta property='og:title' content='Budget passes'>"
        "<link rel='canonical' href='https://www.citytimes.example/budget'>"
        "<meta property='article:published_time' content='2024-05-06T09:00:00Z'>"
        "<script>ignore previous instructions</script></head>"
        f"<body><nav>Home</nav><article><p>{BODY}</p></article></body></html>"
    )

    [article], errors = read(tmp_path)

    assert not errors
    assert article.title == "Budget passes"
    assert article.url == "https://www.citytimes.example/budget"
    assert article.source == "citytimes.example"
    assert article.published_at == date(2024, 5, 6)
    assert article.text == BODY


def test_a_saved_page_reads_as_the_same_page_fetched(tmp_path: Path) -> None:
    url = "https://herald.example/news/ferry-strike.html"
    html = (
        (OUTLETS / "news" / "ferry-strike.html")
        .read_text()
        .replace("{site}", "https://herald.example")
    )
    (tmp_path / "ferry.html").write_text(html)

    [saved], errors = read(tmp_path)
    fetched = page_article(Fetched(url, 200, "text/html", html.encode()))

    assert not errors
    assert (saved.title, saved.source, saved.author, saved.published_at, saved.url) == (
        "Ferry crews strike over pay",
        "Harbour Herald",
        "Jane Roe",
        date(2024, 5, 7),
        url,
    )
    assert saved.text.startswith("Ferry crews on the Kestrel Island route walked out")
    assert saved.text.endswith("returned to talks with an improved offer.")
    for boilerplate in (
        "cookies",
        "Sport",
        "Share",
        "Transport Correspondent",
        "Morning Briefing",
        "Related stories",
        "Marina fees",
        "Most read",
        "All rights reserved",
    ):
        assert boilerplate not in saved.text
    assert (saved.article_id, saved.text) == (fetched.article_id, fetched.text)


def test_a_sidecar_says_more_than_the_page(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><head><title>Budget passes | City Times</title>"
        "<meta name='author' content='Web Desk'>"
        "<meta property='article:published_time' content='2024-05-07T09:00:00Z'></head>"
        f"<body><article><h1>Budget passes</h1><p>{BODY}</p></article></body></html>"
    )
    (tmp_path / "page.yaml").write_text(
        "title: Council passes budget\nsource: City Times\nauthor: Ann Lee\n"
        "published_at: 2024-05-06\n"
    )

    [article], errors = read(tmp_path / "page.html")

    assert not errors
    assert (article.title, article.source, article.author, article.published_at) == (
        "Council passes budget",
        "City Times",
        "Ann Lee",
        date(2024, 5, 6),
    )
    # The page's own headline opens the text when the sidecar retitles it: only a copy of the
    # article's title is cut.
    assert article.text.endswith(BODY)


def test_front_matter_says_more_than_the_page(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "---\nsource: City Times\npublished_at: 2024-05-06\n---\n"
        "<html><head><title>Budget passes</title><meta name='author' content='Ann Lee'>"
        "<meta property='article:published_time' content='2024-05-07T09:00:00Z'></head>"
        f"<body><article><h1>Budget passes</h1><p>{BODY}</p></article></body></html>"
    )

    [article], errors = read(tmp_path)

    assert not errors
    assert (article.title, article.source, article.author, article.published_at) == (
        "Budget passes",
        "City Times",
        "Ann Lee",
        date(2024, 5, 6),
    )
    assert article.text == BODY


def test_an_html_fragment_keeps_its_text(tmp_path: Path) -> None:
    (tmp_path / "snippet.htm").write_text(f"<h2>Budget passes</h2><p>6 May 2024</p><p>{BODY}</p>")

    [article], errors = read(tmp_path)

    assert not errors
    assert article.title == "Budget passes"
    assert article.published_at == date(2024, 5, 6)
    assert BODY in article.text


def test_stable_ids_without_an_id_field(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"title": "T", "text": BODY, "url": "https://x.example/1"})
        + "\n"
        + json.dumps({"title": "T", "text": BODY})
        + "\n"
    )

    first, _ = read(tmp_path)
    again, _ = read(tmp_path)

    assert [a.article_id for a in first] == [a.article_id for a in again]
    assert len({a.article_id for a in first}) == 2


def test_latin1_and_utf16_files_are_decoded(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes(
        "Café reopens\n\nThe café in Zürich reopened.".encode("latin-1")
    )
    (tmp_path / "wide.txt").write_bytes("Café reopens\n\nThe café reopened.".encode("utf-16"))

    articles, errors = read(tmp_path)

    assert not errors
    assert {a.title for a in articles} == {"Café reopens"}
    assert any("Zürich" in a.text for a in articles)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bad.jsonl",
            '{"id": "ok", "text": "Fine text here."}\n{"id": "x", "text": \n',
            "bad.jsonl:2: invalid JSON",
        ),
        ("notext.jsonl", '{"id": "x", "title": "No body"}\n', "notext.jsonl:1: record has no text"),
        (
            "list.json",
            '[{"id": "a", "text": "Fine."}, 5]',
            "list.json[1]: expected a JSON object, got int",
        ),
        ("bin.txt", b"\x00\x01\x02binary", "bin.txt: binary file, not text"),
        ("empty.txt", "", "empty.txt: the article has no text"),
        (
            "date.json",
            '{"id": "d", "text": "Fine.", "published_at": "2014-02-30"}',
            "date.json: field 'published_at': not a date",
        ),
        (
            "type.json",
            '{"id": ["x"], "text": "Fine."}',
            "type.json: field 'id' must be text, got list",
        ),
        (
            "huge.jsonl",
            json.dumps({"id": "h", "text": "word " * 300_000}) + "\n",
            "huge.jsonl:1: article text is 1.5 MB",
        ),
    ],
)
def test_bad_input_gets_one_line_naming_file_and_line(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())

    _, errors = read(path)

    assert len(errors) == 1
    assert "\n" not in errors[0]
    assert message in errors[0]
    assert errors[0].startswith(str(tmp_path))


def test_good_records_beside_bad_ones_are_kept(tmp_path: Path) -> None:
    (tmp_path / "mixed.jsonl").write_text(
        json.dumps({"id": "good1", "text": BODY})
        + "\n{broken\n"
        + json.dumps({"id": "good2", "text": BODY})
        + "\n"
    )
    (tmp_path / "notes.csv").write_text("a,b")

    articles, errors = read(tmp_path, tmp_path / "notes.csv", tmp_path / "missing.txt")

    assert [a.article_id for a in articles] == ["good1", "good2"]
    assert len(errors) == 3
    assert any("mixed.jsonl:2: invalid JSON" in e for e in errors)
    assert any("notes.csv: unsupported file type .csv" in e for e in errors)
    assert any("missing.txt: no such file or directory" in e for e in errors)


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Title\n\n{BODY}")
    (tmp_path / "loop").symlink_to(tmp_path)

    articles, errors = read(tmp_path)

    assert not errors
    assert len(articles) == 1


def test_a_50_mb_line_is_refused_and_its_neighbours_kept(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    with path.open("w") as out:
        out.write(json.dumps({"id": "small1", "text": BODY}) + "\n")
        out.write(json.dumps({"id": "huge", "text": "w " * 25_000_000}) + "\n")
        out.write(json.dumps({"id": "small2", "text": BODY}) + "\n")

    articles, errors = read(path)

    assert [a.article_id for a in articles] == ["small1", "small2"]
    assert errors == [f"{path}:2: article text is 50.0 MB; newsdesk indexes articles up to 1 MB"]


def test_truncated_last_line_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    whole = json.dumps({"id": "whole", "text": BODY})
    path.write_text(whole + "\n" + whole.replace("whole", "cut")[:40])

    articles, errors = read(path)

    assert [a.article_id for a in articles] == ["whole"]
    assert len(errors) == 1 and errors[0].startswith(f"{path}:2: invalid JSON")


def test_ten_thousand_small_files_are_all_read(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for i in range(10_000):
        sub = folder / f"{i // 1000:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:05d}.txt").write_text(f"Item {i}\n\nCouncil note number {i} was filed.")
    (folder / "00" / "broken.json").write_text("{")

    articles, errors = read(folder)

    assert len(articles) == 10_000
    assert len({a.article_id for a in articles}) == 10_000
    assert errors == [
        f"{folder}/00/broken.json:1: invalid JSON: Expecting property name enclosed in double quotes"
    ]
