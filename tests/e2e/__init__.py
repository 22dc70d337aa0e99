"""Browser tests: the app over real HTTP, driven in headless Chromium by Playwright.

`screenshot(page, name)` and `docs_screenshot(target, name)` live here so any test can import
them. The fixtures (live_server, browser, page, logged_in_page) are in tests/plugins.
"""
import os
import pathlib
import re
import shutil

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DOCS = ROOT / "docs"


def screenshot(page, name):
    """Save the whole page as test-artifacts/screenshots/<name>.png; returns the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


def docs_screenshot(target, name, **options):
    """A screenshot the README shows: `target` (a page or a locator) saved under
    test-artifacts/screenshots/, and copied over docs/<name>.png only with UPDATE_DOCS=1, so a
    test run never changes a tracked file by itself."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    target.screenshot(path=str(path), **options)
    if os.environ.get("UPDATE_DOCS") == "1":
        shutil.copyfile(path, DOCS / f"{name}.png")
    return path


def docs_screenshots_at_both_widths(page, name, widths=(360, 1280), full_page=True):
    """docs/<name>-<width>.png for a phone and a desktop (the page is left at the last width).
    full_page=False for a long page: its first screen says what it is."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        docs_screenshot(page, f"{name}-{width}", full_page=full_page)
