"""Votes from Slack and from the web page, in one SQLite file that older versions also wrote."""

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from bot.feedback import DB_FILE, Feedback
from retrieval.records import Answer
from tests.helpers import KERRY, LAVROV, NBC, PBS

# What the file held before web votes: answers had no origin.
OLD_SCHEMA = """
CREATE TABLE answers (channel TEXT NOT NULL, ts TEXT NOT NULL, question TEXT NOT NULL,
    answer TEXT NOT NULL, article_ids TEXT NOT NULL, PRIMARY KEY (channel, ts));
CREATE TABLE votes (channel TEXT NOT NULL, ts TEXT NOT NULL, user TEXT NOT NULL,
    vote TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (channel, ts, user));
INSERT INTO answers VALUES ('C0OLD', '1.0', 'What did Kerry tell Lavrov on Saturday?',
    'Kerry told Lavrov… [1]', '["000_bd662be0dd968903"]');
INSERT INTO votes VALUES ('C0OLD', '1.0', 'U0ALICE', 'up', '2014-03-09T10:00:00+00:00');
"""


def test_votes_in_a_file_from_before_web_votes_are_kept_as_slacks(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        db.executescript(OLD_SCHEMA)
    db.close()

    feedback = Feedback(tmp_path)
    feedback.vote_on_web(LAVROV, "Lavrov warned… [1]", [PBS], "127.0.0.1", "down")

    web, slack = feedback.recent()
    assert (slack.question, slack.origin, slack.where, slack.user) == (
        KERRY,
        "slack",
        "Slack C0OLD",
        "U0ALICE",
    )
    assert (web.question, web.origin, web.where, web.article_ids) == (LAVROV, "web", "web", (PBS,))
    assert Feedback(tmp_path).recent() == [web, slack]  # opening it again changes nothing


def test_a_web_vote_must_be_up_or_down(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="vote \\('sideways'\\) must be one of"):
        Feedback(tmp_path).vote_on_web(KERRY, "…", [NBC], "127.0.0.1", "sideways")


def test_feedback_command_says_where_each_vote_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feedback = Feedback(tmp_path)
    feedback.remember("C0VOTE", "1.5", Answer(KERRY, "Kerry told Lavrov… [1]", True))
    feedback.vote("C0VOTE", "1.5", "U0ALICE", "up")
    feedback.vote_on_web(LAVROV, "Lavrov warned… [1]", [PBS], "127.0.0.1", "down")
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path))

    listed = CliRunner().invoke(app, ["feedback"])

    assert listed.exit_code == 0, listed.output
    web, slack = listed.stdout.splitlines()
    assert web.endswith(f"👎 web 127.0.0.1: {LAVROV} ({PBS})")
    assert slack.endswith(f"👍 Slack C0VOTE U0ALICE: {KERRY} (no sources)")
