"""Browser tests: the app over real HTTP, driven in headless Chromium by Playwright.

`screenshot(page, name)` lives here so any test can import it: `from tests.e2e import
screenshot`. The fixtures (live_server, browser, page, logged_in_page) are in conftest.py.
"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def screenshot(page, name):
    """Save the whole page as test-artifacts/screenshots/<name>.png; returns the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path
