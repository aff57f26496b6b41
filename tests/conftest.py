"""Test set-up shared by the whole suite (the environment itself is fixed in ``tests/settings.py``)."""

pytest_plugins = ["tests.fixtures"]
