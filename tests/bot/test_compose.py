"""docker-compose.yml, .env.example and the Slack manifest, checked against the code they run:
no Docker engine here, so every command must parse as a real `newsdesk` command and every
variable must be one that something reads."""

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml
from pydantic import AliasChoices

from bot.cli.main import app
from bot.config import Settings
from tests.helpers import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
MANIFEST = yaml.safe_load((ROOT / "bot" / "slack" / "manifest.yml").read_text())
CHROMA_IMAGE = "chromadb/chroma:"
CHROMA_ENV: set[str] = set()  # compose sets none; Chroma would read CHROMA_* ones
_ASSIGNMENT = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.M)


def settings_variables() -> set[str]:
    """Every environment variable Settings reads."""
    prefix = Settings.model_config.get("env_prefix", "")
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        if alias is None:
            names.add(f"{prefix}{name}".upper())
        elif isinstance(alias, str):
            names.add(alias)
        elif isinstance(alias, AliasChoices):
            names.update(choice for choice in alias.choices if isinstance(choice, str))
    return names


def environment(service: dict[str, Any]) -> set[str]:
    env = service.get("environment") or {}
    return set(env) if isinstance(env, dict) else {item.split("=", 1)[0] for item in env}


def newsdesk_services() -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in COMPOSE["services"].items()
        if not service.get("image", "").startswith(CHROMA_IMAGE)
    }


def test_there_are_chroma_an_http_service_and_a_socket_mode_bot() -> None:
    commands = [service["command"][:2] for service in newsdesk_services().values()]

    assert ["newsdesk", "serve"] in commands and ["newsdesk", "slack"] in commands
    chroma = [
        s for s in COMPOSE["services"].values() if s.get("image", "").startswith(CHROMA_IMAGE)
    ]
    assert len(chroma) == 1 and chroma[0]["command"][0] == "run"  # the image's entrypoint: chroma


@pytest.mark.parametrize("name", sorted(newsdesk_services()))
def test_service_command_is_a_real_newsdesk_command(name: str) -> None:
    program, subcommand, *args = newsdesk_services()[name]["command"]
    commands = typer.main.get_command(app).commands

    assert program == "newsdesk"
    assert subcommand in commands, f"{name}: no `newsdesk {subcommand}`"
    commands[subcommand].make_context(subcommand, list(args))  # raises on an unknown option


@pytest.mark.parametrize("name", sorted(COMPOSE["services"]))
def test_service_sets_only_variables_something_reads(name: str) -> None:
    service = COMPOSE["services"][name]
    readers = CHROMA_ENV if name not in newsdesk_services() else settings_variables()

    assert environment(service) <= readers


def test_newsdesk_services_build_from_the_dockerfile_and_read_dotenv() -> None:
    for name, service in newsdesk_services().items():
        assert (ROOT / service["build"] / "Dockerfile").is_file(), name
        assert {"path": ".env", "required": False} in service["env_file"], name
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.index("torch==2.13.0") < dockerfile.index("pip install .")


def test_env_example_lists_exactly_the_variables_settings_reads() -> None:
    listed = _ASSIGNMENT.findall((ROOT / ".env.example").read_text())

    assert len(listed) == len(set(listed)), "a variable is listed twice"
    assert set(listed) == settings_variables()


def test_env_example_as_copied_is_valid_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    monkeypatch.chdir(tmp_path)

    settings = Settings()

    assert settings.slack_bot_token is None and not settings.slack_events_enabled


def test_manifest_asks_for_what_the_bot_listens_to() -> None:
    features, settings = MANIFEST["features"], MANIFEST["settings"]
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])

    assert [c["command"] for c in features["slash_commands"]] == ["/ask"]
    assert settings["interactivity"]["is_enabled"] is True
    assert features["app_home"]["messages_tab_enabled"] is True
    events = set(settings["event_subscriptions"]["bot_events"])
    assert events == {
        "app_mention",
        "message.channels",
        "message.groups",
        "message.im",
        "message.mpim",
    }
    history = {f"{kind}:history" for kind in ("channels", "groups", "im", "mpim")}
    assert {"app_mentions:read", "chat:write", "commands", "reactions:write"} | history <= scopes
    assert isinstance(settings["socket_mode_enabled"], bool)
