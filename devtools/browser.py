"""Debian's Chromium driven by Playwright, for the page's tests and its screenshot: the browser
comes from `apt-get install chromium` (the Makefile does it), never from `playwright install`."""

from pathlib import Path

from playwright.sync_api import Browser, Playwright

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and nothing of Chromium's own that would call out: updates, sync, field trials.
ARGS = [
    "--headless",
    "--no-sandbox",  # root in CI and containers
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing() -> str | None:
    """Why the browser can't start here, or None."""
    if CHROMIUM.exists():
        return None
    return f"{CHROMIUM} is missing: run `make install` (it runs `apt-get install -y chromium`)"


def launch(playwright: Playwright) -> Browser:
    """Chromium, headless; RuntimeError saying how to install it when it is missing."""
    problem = missing()
    if problem:
        raise RuntimeError(problem)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
