"""The page in a real browser: Debian's Chromium, driven by Playwright, against `newsdesk serve`
on the seeds, open and with an API token. Never skipped: without Chromium these fail, saying how
to install it."""

import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from typer.testing import CliRunner

from bot.cli.main import app as cli
from bot.errors import Loading, RateLimited
from devtools.browser import launch, missing
from devtools.servers import Served
from retrieval.errors import NewsdeskError
from retrieval.index.embed import Embedder
from tests.helpers import FOLLOW_UP, KERRY, LAVROV, NBC, SEEDS, WORLD_CUP, ingest, make_services

TOKEN = "nd-page-token-51c2"
WAIT_MS = 15_000  # for any one thing to happen; generous, as the cores are shared


@contextmanager
def side_by_side(*servers: Served) -> Iterator[None]:
    """Start the servers at once, as each spends seconds loading the model; stop them all."""
    with ThreadPoolExecutor(len(servers)) as pool:
        starts = [pool.submit(server.__enter__) for server in servers]
        wait(starts)
    with ExitStack() as stack:
        for server, start in zip(servers, starts, strict=True):
            if start.exception() is None:
                stack.push(server.__exit__)
        for start in starts:
            start.result()
        yield


@pytest.fixture(scope="module")
def servers(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, chroma_server: str
) -> Iterator[tuple[Served, Served]]:
    """`newsdesk serve` on the seeds, and another with an API token, sharing a Chroma server:
    the seeds are ingested here, with the model already loaded, not by a third process."""
    root = tmp_path_factory.mktemp("page")
    shared = {"NEWSDESK_CHROMA_URL": chroma_server, "NEWSDESK_COLLECTION": root.name}
    ingest(make_services(root, embedder, chroma_url=chroma_server, collection=root.name), SEEDS)
    served = Served({**shared, "NEWSDESK_DATA_DIR": str(root / "open")})
    guarded = Served(
        {**shared, "NEWSDESK_DATA_DIR": str(root / "guarded"), "NEWSDESK_API_TOKEN": TOKEN}
    )
    with side_by_side(served, guarded):
        yield served, guarded


@pytest.fixture(scope="module")
def served(servers: tuple[Served, Served]) -> Served:
    return servers[0]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    problem = missing()
    if problem:
        pytest.fail(problem, pytrace=False)
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def requested() -> list[str]:
    """Every URL the page's browser context asked for, from the browser's own request log."""
    return []


@pytest.fixture
def page(browser: Browser, requested: list[str]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    context.set_default_timeout(WAIT_MS)
    context.on("request", lambda request: requested.append(request.url))
    yield context.new_page()
    context.close()
    assert [url for url in requested if urlsplit(url).hostname != "127.0.0.1"] == []


def ask(page: Page, question: str) -> Locator:
    """Ask as a person does, by typing and pressing Enter; the turn once it is answered."""
    turn = page.locator(".turn").nth(page.locator(".turn").count())
    page.get_by_label("Your question").fill(question)
    page.get_by_label("Your question").press("Enter")
    expect(turn.locator(".made-by")).not_to_be_empty()
    return turn


def test_kerry_answer_streams_in_and_its_source_shows_the_sentence_in_its_passage(
    page: Page, served: Served
) -> None:
    page.goto(served.url)
    with page.expect_response("**/ask/stream") as streamed:
        turn = ask(page, KERRY)

    assert streamed.value.headers["content-type"].startswith("text/event-stream")
    expect(turn.locator(".text")).to_contain_text("would close the door to diplomacy")
    source = turn.locator(".source")
    expect(source).to_have_count(1)
    expect(source.locator(".meta")).to_have_text("NBC News · 2014-03-08")
    expect(source.locator(".passage")).not_to_be_visible()

    turn.get_by_role("link", name="source 1").click()

    quoted = source.locator(".passage mark")
    expect(quoted).to_be_visible()
    expect(quoted).to_contain_text("told Russian Foreign Minister Sergei Lavrov")
    expect(source.locator(".passage")).to_contain_text("He made clear that continued military")
    expect(source.locator("summary")).to_be_focused()


def test_a_follow_up_is_sent_with_the_earlier_question_until_a_new_conversation(
    page: Page, served: Served
) -> None:
    page.goto(served.url)
    ask(page, KERRY)

    with page.expect_request("**/ask/stream") as sent:
        turn = ask(page, FOLLOW_UP)

    assert sent.value.post_data_json["history"] == [KERRY]
    expect(turn.locator(".text")).to_contain_text("hasty and reckless steps")
    expect(turn.locator(".meta")).to_have_text("PBS NewsHour · 2014-03-07")

    page.get_by_role("button", name="New conversation").click()

    expect(page.locator(".turn")).to_have_count(0)
    expect(page.get_by_label("Your question")).to_be_focused()
    with page.expect_request("**/ask/stream") as sent:
        ask(page, LAVROV)
    assert sent.value.post_data_json["history"] == []


def test_a_question_the_archive_cannot_answer_looks_declined(page: Page, served: Served) -> None:
    page.goto(served.url)
    answered = ask(page, KERRY)
    declined = ask(page, WORLD_CUP)

    expect(declined).to_have_class(re.compile(r"\bdeclined\b"))
    expect(declined.get_by_text("Not in the archive")).to_be_visible()
    expect(declined.locator(".text")).to_contain_text("The archive doesn't say")
    expect(declined.locator(".source")).to_have_count(0)
    expect(answered).not_to_have_class(re.compile(r"\bdeclined\b"))
    expect(answered.get_by_text("Not in the archive")).to_be_hidden()


def test_an_as_of_date_before_the_saturday_call_changes_the_answer(
    page: Page, served: Served
) -> None:
    page.goto(served.url)
    before = ask(page, KERRY).locator(".text").inner_text()
    page.locator("summary", has_text="Filters").click()
    outlets = page.get_by_label("Outlet").locator("option")
    expect(outlets).to_have_text(["Any outlet", "NBC News (1)", "PBS NewsHour (1)"])

    page.get_by_label("As of").fill("2014-03-07")
    with page.expect_request("**/ask/stream") as sent:
        after = ask(page, KERRY)

    assert sent.value.post_data_json["as_of"] == "2014-03-07"
    expect(after.locator(".text")).not_to_have_text(before)
    expect(after.locator(".meta").filter(has_text="NBC News")).to_have_count(0)


def test_a_vote_on_the_page_is_listed_by_newsdesk_feedback(
    page: Page, served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.goto(served.url)
    turn = ask(page, KERRY)

    turn.get_by_role("button", name="Useful", exact=True).click()

    expect(turn.get_by_text("Thanks for the feedback")).to_be_focused()
    monkeypatch.setenv("NEWSDESK_DATA_DIR", served.env["NEWSDESK_DATA_DIR"])
    listed = CliRunner().invoke(cli, ["feedback", "--json"])
    assert listed.exit_code == 0, listed.output
    vote = json.loads(listed.stdout)["votes"][0]
    assert (vote["question"], vote["vote"], vote["origin"]) == (KERRY, "up", "web")
    assert vote["article_ids"] == [NBC]


def test_with_a_token_set_the_page_asks_for_it_once(
    page: Page, servers: tuple[Served, Served]
) -> None:
    _, guarded = servers
    page.goto(guarded.url)
    dialog = page.get_by_role("dialog", name="API token needed")
    expect(dialog).to_be_visible()

    dialog.get_by_label("API token").fill("not-the-token")
    dialog.get_by_role("button", name="Continue").click()
    expect(dialog.get_by_role("alert")).to_contain_text("not accepted")
    dialog.get_by_label("API token").fill(TOKEN)
    dialog.get_by_label("API token").press("Enter")

    expect(dialog).to_be_hidden()
    expect(ask(page, KERRY).locator(".text")).to_contain_text("close the door to diplomacy")
    page.reload()
    expect(page.get_by_label("Outlet").locator("option")).to_have_count(3)
    expect(dialog).to_be_hidden()


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (RateLimited(5, 60, 7), "Too many questions for now: ask again in 7 s."),
        (Loading(), "newsdesk is still starting (loading the model); try again shortly"),
    ],
    ids=["429", "503"],
)
def test_errors_say_what_to_do(
    page: Page, served: Served, error: NewsdeskError, shown: str
) -> None:
    """The server's own refusals, answered here: a real server can't be held in either state."""
    page.route(
        "**/ask/stream",
        lambda route: route.fulfill(
            status=error.status, headers=error.headers, json={"error": str(error)}
        ),
    )
    page.goto(served.url)
    page.get_by_label("Your question").fill(KERRY)
    page.get_by_label("Your question").press("Enter")

    expect(page.get_by_role("alert")).to_have_text(shown)


def test_keyboard_alone_at_a_phones_width(page: Page, served: Served) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(served.url)
    page.keyboard.type(KERRY)  # the question box has the focus from the start
    page.keyboard.press("Enter")
    expect(page.locator(".turn .made-by")).not_to_be_empty()

    citation = page.get_by_role("link", name="source 1")
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if citation.evaluate("link => link === document.activeElement"):
            break
    expect(citation).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(".passage mark")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_docs_list_the_operations(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/docs")

    paths = page.locator(".opblock-summary-path")
    expect(paths.first).to_be_visible()
    assert {"/ask", "/ask/stream", "/search", "/sources", "/feedback"} <= set(
        paths.all_inner_texts()
    )


def test_no_request_leaves_the_machine(page: Page, served: Served, requested: list[str]) -> None:
    page.goto(served.url)
    ask(page, KERRY).get_by_role("link", name="source 1").click()
    page.goto(f"{served.url}/docs")
    expect(page.locator(".opblock").first).to_be_visible()

    paths = {urlsplit(url).path for url in requested}
    assert {"/static/page.js", "/sources", "/ask/stream", "/openapi.json"} <= paths
    assert {urlsplit(url).hostname for url in requested} == {"127.0.0.1"}
