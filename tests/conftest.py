"""The whole suite's fixtures come from tests/plugins/ (fixtures.py, browser.py for Chromium,
and cheap_setup.py for what every test would otherwise pay again); a folder's conftest.py
holds only what that folder alone uses, and imports no other conftest."""
pytest_plugins = ["tests.plugins.cheap_setup", "tests.plugins.fixtures", "tests.plugins.browser"]
