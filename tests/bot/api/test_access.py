"""Access to the API: bearer token, rate limit, body size, CORS, and secrets kept out of logs."""

import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.api.access import Rate
from bot.api.limits import RateLimiter
from bot.config import Settings
from bot.wiring import Services
from tests.helpers import LiveServer

TOKEN = "nd-test-token-7f3a9c"
QUESTION = {"question": "What did Kerry tell Lavrov on Saturday?"}


@pytest.fixture(scope="module")
def guarded(seeded: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    data_dir = tmp_path_factory.mktemp("guarded")
    settings = Settings(api_token=TOKEN, rate_limit="5/minute", data_dir=data_dir)
    with LiveServer(lambda: seeded, settings) as server, httpx.Client(base_url=server.url) as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_is_required_on_ask_and_search_not_on_health(guarded: httpx.Client) -> None:
    missing = guarded.post("/ask", json=QUESTION)
    wrong = guarded.post("/search", json={"query": "Kerry"}, headers=bearer("nope"))

    assert missing.status_code == wrong.status_code == guarded.get("/sources").status_code == 401
    vote = {"question": "Kerry?", "answer": "…", "article_ids": [], "vote": "up"}
    assert guarded.post("/feedback", json=vote).status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in missing.json()["error"]
    assert guarded.get("/healthz").status_code == 200
    assert guarded.get("/readyz").status_code == 200
    assert guarded.post("/ask", json=QUESTION, headers=bearer(TOKEN)).status_code == 200


def test_the_page_and_the_docs_need_no_token(guarded: httpx.Client) -> None:
    for path in ("/", "/static/page.js", "/docs"):
        assert guarded.get(path).status_code == 200, path


def test_over_the_rate_limit_gets_429_with_retry_after(seeded: Services, tmp_path: Path) -> None:
    settings = Settings(rate_limit="3/minute", data_dir=tmp_path)
    with LiveServer(lambda: seeded, settings) as server, httpx.Client(base_url=server.url) as c:
        statuses = [c.post("/search", json={"query": "Kerry"}).status_code for _ in range(4)]
        refused = c.post("/search", json={"query": "Kerry"})

    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "too many requests" in refused.json()["error"]


def test_limiter_refills_over_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    now = [1000.0]
    monkeypatch.setattr("bot.api.limits.time.time", lambda: now[0])
    limiter = RateLimiter(Rate.parse("2/second"), tmp_path)

    limiter.take("a")
    limiter.take("a")
    limiter.take("b")  # clients have separate buckets
    with pytest.raises(Exception, match="too many requests"):
        limiter.take("a")
    now[0] = 1000.5
    limiter.take("a")


def test_limiters_on_one_data_dir_share_each_allowance(tmp_path: Path) -> None:
    first, second = (RateLimiter(Rate.parse("3/minute"), tmp_path) for _ in range(2))

    first.take("a")
    second.take("a")
    first.take("a")
    with pytest.raises(Exception, match="too many requests"):
        second.take("a")


@pytest.mark.parametrize("text", ["60", "0/minute", "ten/minute", "5 per hour"])
def test_bad_rate_limits_are_refused_naming_the_value(text: str) -> None:
    with pytest.raises(ValueError, match="must look like 60/minute"):
        Rate.parse(text)


def test_bodies_over_64_kib_get_413(api: httpx.Client) -> None:
    declared = api.post("/ask", json={"question": "x" * 70_000})

    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(80):
            yield b"x" * 1024
        yield b'"}'

    streamed = api.post("/ask", content=chunks(), headers={"content-type": "application/json"})

    assert declared.status_code == streamed.status_code == 413
    assert declared.json() == {"error": "request body over 64 KiB"}


def test_cors_is_closed_by_default(api: httpx.Client) -> None:
    preflight = api.options(
        "/ask",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )

    assert "access-control-allow-origin" not in preflight.headers


def test_no_secret_reaches_logs_docs_or_errors(
    seeded: Services, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = {
        "NEWSDESK_API_TOKEN": TOKEN,
        "SLACK_BOT_TOKEN": "xoxb-111-222-secretbot",
        "SLACK_SIGNING_SECRET": "signing-secret-3b9e",
    }
    settings = Settings(api_token=TOKEN)
    caplog.set_level(logging.DEBUG)
    with LiveServer(lambda: seeded, settings) as server, httpx.Client(base_url=server.url) as c:
        seen = [
            c.post("/ask", json=QUESTION, headers=bearer(TOKEN)).text,
            c.post("/ask", json=QUESTION, headers=bearer(TOKEN + "x")).text,
            c.post("/ask", json={"question": ""}, headers=bearer(TOKEN)).text,
            c.get("/openapi.json").text,
            c.get("/docs").text,
            repr(settings),
        ]
    with pytest.raises(ValueError) as bad:
        Settings(api_token=TOKEN, slack_bot_token="not-a-bot-token-secretbot")  # type: ignore[call-arg]
    seen += [caplog.text, str(bad.value)]

    for name, secret in secrets.items():
        assert not any(secret in text for text in seen), name
