"""The whole suite's fixtures come from one plugin module, tests/plugins/fixtures.py; a folder's
conftest.py holds only what that folder alone uses, and imports no other conftest."""
pytest_plugins = ["tests.plugins.fixtures"]
