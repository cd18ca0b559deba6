"""What every command starts from: the settings, read once, and the services built from them."""

import os

import typer
from pydantic import ValidationError

from bot.cli.output import err, error
from bot.config import Settings
from bot.wiring import Services, build_services


def load_settings(ctx: typer.Context) -> None:
    """The app's callback: read the settings once, before any command runs."""
    os.environ["TOKENIZERS_PARALLELISM"] = "false"  # before any model loads in this process
    try:
        ctx.obj = Settings()
    except ValidationError as problem:
        first = problem.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        error(f"{where}: {first['msg']}")
        raise typer.Exit(1) from None


def settings(ctx: typer.Context) -> Settings:
    found: Settings = ctx.find_root().obj
    return found


def services(config: Settings) -> Services:
    with err.status("Loading the model and the index…"):
        return build_services(config)
