"""The newsdesk command: one typer app; the settings are read once, in its callback."""

import typer

from bot.cli import archive, asking, feeds, running
from bot.cli.context import load_settings

app = typer.Typer(
    help="Ask a news archive; every answer cites its sources.",
    no_args_is_help=True,
    callback=load_settings,
)
app.command()(archive.ingest)
app.command()(archive.delete)
app.command()(asking.ask)
app.command()(asking.search)
app.command()(archive.stats)
app.command(name="eval")(asking.evaluate_command)
app.command()(running.serve)
app.command()(running.slack)
app.command()(running.feedback)
app.add_typer(feeds.app, name="feeds")
app.command()(feeds.follow)
