"""Where Slack's events are served, and how deliveries are claimed once across processes."""

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from bot.config import Settings
from bot.main import mounts_for
from bot.slack.deliveries import Deliveries
from bot.wiring import Services
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlack, blocks_text
from tests.fakes.slack_events import Slack, event_callback
from tests.helpers import KERRY, NBC_SOURCE, LiveServer


def texts(post: dict[str, Any]) -> str:
    return "\n".join(blocks_text(post["blocks"]))


def test_events_route_is_mounted_from_settings(
    seeded: Services, fake_slack: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("NEWSDESK_SLACK_API_URL", fake_slack.url)
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path))

    settings = Settings()
    with LiveServer(lambda: seeded, settings, mounts_for(settings)) as server:
        slack = Slack(server.url, fake_slack)
        challenge = {
            "token": "unused",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
        assert slack.send(json.dumps(challenge), "application/json").json() == {
            "challenge": challenge["challenge"]
        }
        question = fake_slack.say("D0SETTINGS", KERRY, channel_type="im")
        slack.deliver(event_callback(question))
        assert NBC_SOURCE in texts(slack.answer_in("D0SETTINGS", question["ts"]))
    assert (tmp_path / "slack.sqlite3").exists()


def test_without_slack_settings_there_is_no_events_route(api: httpx.Client) -> None:
    assert api.post("/slack/events", content="{}").status_code == 404


CLAIMER = """
import sys
from pathlib import Path
from bot.slack.deliveries import Deliveries

deliveries = Deliveries(Path(sys.argv[1]))
print(sum(deliveries.claim(f"event:Ev{i}", f"message:C1:{i}") for i in range(int(sys.argv[2]))))
"""


def test_each_delivery_is_claimed_once_across_worker_processes(tmp_path: Path) -> None:
    events = 200
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, str(tmp_path), str(events)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    wins = [int(worker.communicate(timeout=60)[0]) for worker in workers]

    assert sum(wins) == events


def test_a_message_is_claimed_once_until_the_claim_expires(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_700_000_000.0]
    monkeypatch.setattr("bot.slack.deliveries.time", SimpleNamespace(time=lambda: now[0]))
    deliveries = Deliveries(tmp_path, ttl_s=60)

    assert deliveries.claim("event:Ev1", "message:C1:1")
    assert not deliveries.claim("event:Ev1", "message:C1:1")  # Slack's retry
    assert not deliveries.claim("event:Ev2", "message:C1:1")  # the same message, another event
    now[0] += 61
    assert deliveries.claim("event:Ev1", "message:C1:1")
