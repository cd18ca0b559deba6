"""One log line per request, with the id also returned as X-Request-ID; JSON lines for log
shippers. What a request carries (headers, query, body) never reaches the log."""

import json
import logging

import httpx
import pytest

from bot.logs import JsonFormatter, log_config
from tests.helpers import KERRY


def test_each_request_gets_one_line_with_its_id(
    api: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="newsdesk.http")
    response = api.post(
        "/ask?key=nd-query-secret",
        json={"question": KERRY},
        headers={"Authorization": "Bearer nd-header-secret"},
    )

    request_id = response.headers["x-request-id"]
    lines = [r for r in caplog.records if getattr(r, "request_id", None) == request_id]
    assert len(lines) == 1
    line = lines[0]
    assert (line.method, line.route, line.status) == ("POST", "/ask", 200)  # type: ignore[attr-defined]
    assert line.ms > 0  # type: ignore[attr-defined]
    assert not any(s in caplog.text for s in ("nd-query-secret", "nd-header-secret", "Kerry"))


def test_a_given_request_id_is_kept_a_strange_one_replaced(api: httpx.Client) -> None:
    kept = api.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"})
    replaced = api.get("/healthz", headers={"X-Request-ID": "x" * 65})
    refused = api.post("/ask", content=b"x" * 70_000, headers={"X-Request-ID": "big-1"})

    assert kept.headers["x-request-id"] == "lb-7f3a.42"
    assert len(replaced.headers["x-request-id"]) == 32
    assert refused.status_code == 413 and refused.headers["x-request-id"] == "big-1"


def test_json_lines_carry_the_request_fields() -> None:
    record = logging.LogRecord("newsdesk.http", logging.INFO, "", 0, "POST /ask 200", (), None)
    record.__dict__.update(request_id="abc", method="POST", route="/ask", status=200, ms=3.5)

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "POST /ask 200" and line["level"] == "INFO"
    assert (line["request_id"], line["route"], line["status"], line["ms"]) == (
        "abc",
        "/ask",
        200,
        3.5,
    )
    assert isinstance(line["pid"], int)


def test_an_unknown_log_format_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match=r"log format \(yaml\) must be one of text, json"):
        log_config("yaml")
