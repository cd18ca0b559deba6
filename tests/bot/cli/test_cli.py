"""The newsdesk command, run in-process against an index on disk."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from tests.helpers import NBC, SEEDS


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def test_ingest_ask_search_stats_delete(run: CliRunner, tmp_path: Path) -> None:
    ingested = run.invoke(app, ["ingest", str(SEEDS)])
    assert ingested.exit_code == 0, ingested.output
    assert "2 added, 0 updated, 0 unchanged, 0 failed" in ingested.output

    asked = run.invoke(app, ["ask", "What did Kerry tell Lavrov on Saturday?", "--json"])
    body = json.loads(asked.stdout)
    assert body["answered"] and body["citations"][0]["article_id"] == NBC

    text = run.invoke(app, ["ask", "What did Kerry tell Lavrov on Saturday?"]).stdout
    assert (
        "[1] Kerry Urges Russia to Exercise Utmost Restraint in Crimea — NBC News, 2014-03-08"
        in text
    )

    found = json.loads(run.invoke(app, ["search", "Lavrov warned", "-k", "1", "--json"]).stdout)
    assert len(found["hits"]) == 1

    stats = json.loads(run.invoke(app, ["stats", "--json"]).stdout)
    assert stats["articles"] == 2

    assert run.invoke(app, ["delete", NBC]).exit_code == 0
    assert json.loads(run.invoke(app, ["stats", "--json"]).stdout)["articles"] == 1


def test_ingest_with_bad_input_reports_each_and_exits_nonzero(
    run: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "good.jsonl").write_text(
        json.dumps({"id": "g", "text": "Trams ran late on Monday."}) + "\n{oops\n"
    )
    (tmp_path / "bin.txt").write_bytes(b"\x00\x00binary")

    result = run.invoke(app, ["ingest", str(tmp_path / "good.jsonl"), str(tmp_path / "bin.txt")])

    assert result.exit_code == 1
    assert "good.jsonl:2: invalid JSON" in result.output
    assert "bin.txt: binary file, not text" in result.output
    assert "1 added, 0 updated, 0 unchanged, 2 failed" in result.output
    assert "Traceback" not in result.output


def test_ingest_if_empty_skips_a_filled_index(run: CliRunner) -> None:
    assert run.invoke(app, ["ingest", "--if-empty", str(SEEDS)]).exit_code == 0
    again = run.invoke(app, ["ingest", "--if-empty", str(SEEDS)])
    assert "already has articles" in again.output


def test_user_errors_are_one_line_and_exit_1(run: CliRunner) -> None:
    empty = run.invoke(app, ["ask", "Anything?"])
    assert empty.exit_code == 1
    assert "No articles indexed yet — run 'newsdesk ingest seeds/'" in empty.output

    bad_date = run.invoke(app, ["ask", "Anything?", "--as-of", "someday"])
    assert bad_date.exit_code == 1
    assert "--as-of: not a date: 'someday'" in bad_date.output

    unknown = run.invoke(app, ["delete", "nope"])
    assert unknown.exit_code == 1
    assert "no article with id 'nope'" in unknown.output
