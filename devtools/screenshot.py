"""The README's picture of the page answering the Kerry question, retaken whenever the page
changes: the seeds in a scratch index, `newsdesk serve`, and Chromium as in the page's tests.

Example: python -m devtools.screenshot docs/page.png
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import ViewportSize, expect, sync_playwright

from devtools.browser import launch
from devtools.servers import NEWSDESK, Served

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "What did Kerry tell Lavrov on Saturday?"
VIEWPORT: ViewportSize = {"width": 900, "height": 700}


def take(path: Path) -> None:
    """Ask the question, open its first source, and save the whole page as a PNG at `path`."""
    with tempfile.TemporaryDirectory() as data:
        server = Served({"NEWSDESK_DATA_DIR": data})
        seeds = [NEWSDESK, "ingest", str(ROOT / "seeds")]
        subprocess.run(seeds, env=server.env, check=True, capture_output=True)
        with server, sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(server.url)
            page.get_by_label("Your question").fill(QUESTION)
            page.get_by_label("Your question").press("Enter")
            page.get_by_role("link", name="source 1").click()
            expect(page.locator(".passage mark")).to_be_visible()
            page.evaluate("document.activeElement.blur()")  # no focus ring in the picture
            path.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=path, full_page=True)
            browser.close()


if __name__ == "__main__":
    take(Path(sys.argv[1]))
