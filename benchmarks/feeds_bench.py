"""Following the news: how much of an article page's body each extractor keeps (and how much
boilerplate it lets through), how soon a new feed entry is answerable, and how many articles a
minute a large feed yields."""

import json
import random
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import ROOT, SQUAD
from benchmarks.report import machine, table
from bot.config import Settings
from bot.feeds.follower import Follower
from bot.feeds.state import FeedState
from bot.wiring import build_services
from devtools.outlet import Outlet
from devtools.servers import Served
from retrieval.index.embed import Embedder
from retrieval.index.writer import IngestReport, index_articles
from retrieval.ingest.files import read_file
from retrieval.ingest.html import read_html
from retrieval.ingest.html_text import html_text
from retrieval.ingest.web.fetch import Fetched, Fetcher, Manners
from retrieval.ingest.web.pages import page_article
from retrieval.records import Article

OUTLETS = ROOT / "tests" / "fixtures" / "outlets"
POLL_EVERY_S = 10
TRIALS = 5
FEED_ENTRIES = 500
_WORD = re.compile(r"\w+")
FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>H</title>{items}</channel></rss>'
ITEM = "<item><title>{title}</title><link>{url}</link></item>"
PLACES = ["Kestrel Point", "Gull Rock", "Marram Bay", "Skerry Head", "Tern Island", "Wrack Cove"]


def run() -> str:
    quality = extraction_quality()
    latencies = entry_to_answer()
    rate, index_share = feed_throughput()
    rows = [
        [name, f"{r:.3f}", f"{1 - p:.3f}", f"{f:.3f}", f"{worst:.3f}"]
        for name, (r, p, f, worst) in quality.items()
    ]
    return f"""## Feeds

{machine()}. **Extraction**: the {len(_pages())} article pages of `tests/fixtures/outlets`
(two made-up outlets, each page with navigation, a cookie banner, share bars, a newsletter box,
related and most-read links and a footer; one an AMP page) against hand-made gold bodies. Words
are compared as multisets: *kept* is the share of the gold body's words in the output (recall),
*boilerplate* the share of output words that are not the body's (1 − precision); means over
pages, and the worst page's F1.

{table(["extractor", "kept (recall)", "boilerplate", "F1", "worst page F1"], rows)}

A fetched page and a saved `.html` file are read by the same function, `read_html`
(`retrieval/ingest/html.py`: trafilatura in precision mode), then cleaned by `clean.py`. Before,
files went through newsdesk's own extractor (the former `html.py`; its text walk is kept, as
`html_text.py`, for fragments trafilatura reads no article in): with `clean.py` it kept 1.000 of
the gold words, let 0.139 boilerplate through, F1 0.920, worst page 0.679; and pages by URL went
through trafilatura's default mode: F1 0.989, boilerplate 0.019 (a newsletter prompt), worst
page 0.895 (commit f58bd4c).

**New entry → first answer**: `newsdesk serve` following a local RSS feed every
{POLL_EVERY_S} s; an entry and its page are published at a random moment, then `/ask` is asked
every 0.1 s until it answers from that page. {TRIALS} trials: median
{statistics.median(latencies):.1f} s, min {min(latencies):.1f} s, max {max(latencies):.1f} s
(half the polling interval is the expected wait).

**A large feed**: {FEED_ENTRIES} entries, each a page (squad-a articles in the outlet's page
template), read by one poll with no pause between requests (`NEWSDESK_FETCH_DELAY=0`: a site of
your own): **{rate:.0f} articles a minute** fetched, extracted and indexed, of which
{index_share:.0%} of the time is chunking, embedding and writing. With the default 1 s pause
between two requests to the same site, a single site gives at most 60 a minute.
"""


def _pages() -> list[Path]:
    return sorted(p for p in OUTLETS.rglob("*.html") if p.with_suffix(".gold.txt").is_file())


def extraction_quality() -> dict[str, tuple[float, float, float, float]]:
    """Mean recall, precision and F1 over the fixture pages, and the worst F1, per extractor."""
    site = "http://127.0.0.1:8000"
    extractors: dict[str, Callable[[str, str], str]] = {
        "read_html + clean.py, a URL (`newsdesk ingest URL`, feeds)": lambda url, html: (
            page_article(Fetched(url, 200, "text/html", html.encode())).text
        ),
        "read_html + clean.py, a saved file (`newsdesk ingest page.html`)": _files_path,
        "read_html alone (its text keeps the headline)": lambda url, html: (
            read_html(html, url).text
        ),
        "html_text alone (the fallback for fragments)": lambda url, html: html_text(html),
    }
    results = {}
    for name, extract in extractors.items():
        scores = []
        for page in _pages():
            html = page.read_text().replace("{site}", site)
            url = f"{site}/{page.relative_to(OUTLETS).as_posix()}"
            gold = page.with_name(page.name.replace(".html", ".gold.txt")).read_text()
            scores.append(_score(gold, extract(url, html)))
        recall, precision, f1 = (statistics.mean(s[i] for s in scores) for i in range(3))
        results[name] = (recall, precision, f1, min(s[2] for s in scores))
    return results


def _files_path(url: str, html: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_text(html)
        [article] = read_file(path)
    if not isinstance(article, Article):
        raise RuntimeError(f"{url}: {article}")
    return article.text


def _score(gold: str, found: str) -> tuple[float, float, float]:
    expected = Counter(_WORD.findall(gold.lower()))
    got = Counter(_WORD.findall(found.lower()))
    common = sum((expected & got).values())
    recall = common / max(1, sum(expected.values()))
    precision = common / max(1, sum(got.values()))
    f1 = 2 * recall * precision / (recall + precision) if common else 0.0
    return recall, precision, f1


def entry_to_answer() -> list[float]:
    """Seconds from publishing an entry to the first answer citing its page, per trial."""
    took = []
    with tempfile.TemporaryDirectory() as scratch, Outlet(OUTLETS) as site:
        env = {
            "NEWSDESK_DATA_DIR": str(Path(scratch) / "data"),
            "NEWSDESK_FETCH_DELAY": "0",
            "PYTHONPATH": str(ROOT),
        }
        items: list[str] = [ITEM.format(title="Tides", url=f"{site.url}/news/tides.html")]
        site.put("/feeds/live.rss", FEED.format(items="".join(items)))
        with Served(env) as server, httpx.Client(base_url=server.url, timeout=60) as client:
            client.post("/feeds", json={"url": f"{site.url}/feeds/live.rss", "every_s": 10})
            _until(lambda: _answer(client, "When is high water on Saturday?"), 60)
            for trial in range(TRIALS):
                time.sleep(random.uniform(0, POLL_EVERY_S))
                place, crew = PLACES[trial], 3 + trial
                path = f"/news/rescue-{trial}.html"
                site.put(path, _rescue_page(place, crew, path))
                items.insert(0, ITEM.format(title=f"Rescue off {place}", url=site.url + path))
                site.put("/feeds/live.rss", FEED.format(items="".join(items)))
                published = time.monotonic()
                question = f"How many sailors did the lifeboat rescue off {place}?"
                _until(partial(_answer, client, question, path), 120)
                took.append(time.monotonic() - published)
    return took


def _rescue_page(place: str, crew: int, path: str) -> str:
    template = (OUTLETS / "news" / "ferry-strike.html").read_text()
    body = (
        f"<p>The lifeboat rescued {crew} sailors off {place} on Sunday after their yacht lost "
        f"its mast in a gale.</p><p>All {crew} were taken to hospital as a precaution.</p>"
    )
    return _with_body(template, f"Lifeboat rescues {crew} off {place}", body, path)


def _with_body(template: str, title: str, body: str, path: str) -> str:
    """The outlet's page template around another article, at path."""
    start = template.index("<p>Ferry crews on")
    end = template.index('<div class="newsletter-box">')
    page = template[:start] + body + "\n" + template[end:]
    page = page.replace("Ferry crews strike over pay", title)
    return page.replace("/news/ferry-strike.html", path)


def _answer(client: httpx.Client, question: str, path: str = "") -> bool:
    body: dict[str, Any] = client.post("/ask", json={"question": question}).json()
    cited = [c["url"] for c in body.get("citations", [])]
    return bool(body.get("answered")) and (not path or any(u.endswith(path) for u in cited))


def _until(check: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"no answer within {seconds:.0f} s")
        time.sleep(0.1)


def feed_throughput() -> tuple[float, float]:
    """Articles a minute from one poll of a FEED_ENTRIES-entry feed, and the share of that
    time spent writing to the index."""
    template = (OUTLETS / "news" / "ferry-strike.html").read_text()
    records = [json.loads(line) for line in (SQUAD / "articles.jsonl").read_text().splitlines()]
    with tempfile.TemporaryDirectory() as scratch, Outlet() as site:
        items = []
        for n, record in enumerate(records[:FEED_ENTRIES]):
            paragraphs = re.split(r"(?<=\.) (?=[A-Z])", record["text"])
            body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
            path = f"/news/{n}.html"
            site.put(path, _with_body(template, record["title"], body, path))
            items.append(ITEM.format(title=record["title"], url=site.url + path))
        site.put("/feeds/big.rss", FEED.format(items="".join(items)))
        settings = Settings(data_dir=Path(scratch) / "data")
        services = build_services(settings, Embedder(settings.model_cache))
        writing = 0.0

        def write(articles: list[Article]) -> IngestReport:
            nonlocal writing
            started = time.perf_counter()
            report = index_articles(articles, services.index)
            writing += time.perf_counter() - started
            return report

        FeedState(settings.data_dir).follow(f"{site.url}/feeds/big.rss", 3600, "")
        follower = Follower(settings.data_dir, Fetcher(Manners(delay_s=0)), write)
        started = time.perf_counter()
        new = follower.poll_due() or 0
        seconds = time.perf_counter() - started
    if new != FEED_ENTRIES:
        raise RuntimeError(f"{new} of {FEED_ENTRIES} entries were indexed")
    return new / seconds * 60, writing / seconds
