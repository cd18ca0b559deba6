"""URLs → articles against a local news site: feeds, sitemaps and pages as outlets publish them,
and every way a site can fail, each a one-line error naming its URL."""

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from devtools.outlet import Outlet
from retrieval.errors import BadInput
from retrieval.ingest.web.fetch import Fetcher, Manners
from retrieval.ingest.web.reader import WebReader, looks_like_url
from retrieval.ingest.web.urls import canonical_url
from retrieval.records import Article
from tests.helpers import OUTLETS

QUICK = Manners(timeout_s=1.0, delay_s=0.0)


@pytest.fixture
def site() -> Iterator[Outlet]:
    with Outlet(OUTLETS) as outlet:
        yield outlet


def read(site: Outlet, *paths: str) -> tuple[dict[str, Article], list[str], list[str]]:
    notes: list[str] = []
    reader = WebReader(Fetcher(QUICK), on_note=notes.append)
    results = list(reader.read(site.url + path for path in paths))
    articles = {urlsplit(a.url).path: a for a in results if isinstance(a, Article)}
    errors = [str(e).replace(site.url, "") for e in results if isinstance(e, BadInput)]
    assert len(articles) == sum(isinstance(a, Article) for a in results)  # each story once
    return articles, errors, notes


def test_an_rss_feed_gives_its_articles_with_their_metadata_and_each_failure_named(
    site: Outlet,
) -> None:
    articles, errors, _ = read(site, "/feeds/herald.rss")

    ferry = articles["/news/ferry-strike.html"]
    assert (ferry.title, ferry.source, ferry.author) == (
        "Ferry crews strike over pay",
        "Harbour Herald",
        "Jane Roe",
    )
    assert ferry.url == f"{site.url}/news/ferry-strike.html"  # no utm_source
    assert str(ferry.published_at) == "2024-05-07"
    assert ferry.text.startswith("Ferry crews on the Kestrel Island route walked out")
    for boilerplate in ("cookies", "Share on", "newsletter", "Related stories", "Marina fees"):
        assert boilerplate not in ferry.text
    assert str(articles["/news/bridge.html"].published_at) == "2024-05-06"  # metadata only
    assert sorted(articles) == [
        "/news/bridge.html",
        "/news/dam-wire.html",
        "/news/ferry-strike.html",
        "/news/library.html",  # the AMP page and the fbclid link: one article
    ]
    assert errors == [
        "/news/marina-fees.html: 404 Not Found",
        "/news/broken.html: 500 Internal Server Error",
        "/news/report.pdf: application/pdf is not a web page, feed or sitemap",
        "/private/secret.html: robots.txt asks newsdesk not to fetch it",
        "/slow/page.html: no answer within 1 s",
        "/loop/a: more than 5 redirects",
        "/big.html: over the 5 MB limit for a page",
        "file://etc/passwd: only http and https URLs are fetched",  # as feedparser reads it
    ]
    assert "/private/secret.html" not in site.paths()


def test_an_atom_feed_and_a_news_sitemap_and_a_syndicated_story_read_once(site: Outlet) -> None:
    articles, errors, notes = read(
        site, "/feeds/herald.rss", "/feeds/courier.atom", "/feeds/news-sitemap.xml"
    )

    assert articles["/news/harvest.html"].author == "Owen Marsh"
    council = articles["/news/council-vote.html"]
    assert (council.source, str(council.published_at)) == ("Harbour Herald", "2024-05-08")
    assert "/courier/dam-wire.html" not in articles
    assert notes == [
        f"{site.url}/courier/dam-wire.html: the same text as "
        f"{articles['/news/dam-wire.html'].article_id}; indexed once"
    ]
    assert "/news/gone.html: 404 Not Found" in errors


def test_a_page_url_is_one_article_and_bad_documents_are_one_line_errors(site: Outlet) -> None:
    articles, errors, _ = read(
        site, "/news/tides.html?utm_medium=social", "/feeds/broken.rss", "/nowhere.rss"
    )

    assert list(articles) == ["/news/tides.html"]
    assert errors[0].startswith("/feeds/broken.rss: not a readable feed (")
    assert errors[1:] == ["/nowhere.rss: 404 Not Found"]
    assert all("\n" not in e for e in errors)


def test_requests_name_newsdesk_and_go_nowhere_but_the_site(site: Outlet) -> None:
    read(site, "/feeds/herald.rss")

    with site.lock:
        agents = {seen.headers.get("User-Agent", "") for seen in site.requests}
    assert len(agents) == 1 and agents.pop().startswith("newsdesk/")
    assert site.paths()[0] == "/robots.txt" and site.paths().count("/robots.txt") == 1


def test_a_site_whose_robots_txt_fails_is_left_alone(site: Outlet) -> None:
    site.special["/robots.txt"] = site.special["/news/broken.html"]

    articles, errors, _ = read(site, "/news/tides.html")

    assert articles == {}
    assert errors == [
        "/news/tides.html: not fetched: the site's robots.txt 500 Internal Server Error"
    ]
    assert site.paths() == ["/robots.txt"]


def test_a_second_fetch_of_an_unchanged_feed_is_not_modified(site: Outlet) -> None:
    fetcher = Fetcher(QUICK)
    first = fetcher.get(f"{site.url}/feeds/herald.rss")

    again = fetcher.get(f"{site.url}/feeds/herald.rss", etag=first.etag)

    assert first.status == 200 and again.not_modified and again.body == b""
    assert site.requests[-1].headers["If-None-Match"] == first.etag


def test_the_host_asking_to_wait_is_waited_for(site: Outlet) -> None:
    site.put("/busy.html", "<html><body><p>Busy.</p></body></html>")
    calls: list[int] = []

    def busy_once(handler: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            handler.send_response(429)  # type: ignore[attr-defined]
            handler.send_header("Retry-After", "1")  # type: ignore[attr-defined]
            handler.send_header("Content-Length", "0")  # type: ignore[attr-defined]
            handler.end_headers()  # type: ignore[attr-defined]
        else:
            handler.send_response(200)  # type: ignore[attr-defined]
            handler.send_header("Content-Length", "0")  # type: ignore[attr-defined]
            handler.end_headers()  # type: ignore[attr-defined]

    site.special["/busy.html"] = busy_once

    fetched = Fetcher(QUICK).get(f"{site.url}/busy.html")

    assert fetched.status == 200 and len(calls) == 2


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://News.Example:443/a?utm_source=x&id=7&fbclid=1#top",
            "https://news.example/a?id=7",
        ),
        ("http://news.example:8080", "http://news.example:8080/"),
    ],
)
def test_canonical_urls_drop_what_only_tracks_readers(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_urls_are_told_from_paths() -> None:
    assert looks_like_url("https://news.example/feed")
    assert not looks_like_url("seeds/")
    assert not looks_like_url("notes:today.txt")
