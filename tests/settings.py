"""Settings for the test suite: production settings with a private data directory and inline tasks.

The environment must be fixed before ``saraban.settings`` is read, so pytest-django loads this module.
"""

import os
import tempfile

os.environ.setdefault("SARABAN_HOME", tempfile.mkdtemp(prefix="saraban-test-"))
os.environ.setdefault("SARABAN_TASKS", "immediate")
os.environ.setdefault("SARABAN_FAST_PASSWORDS", "1")
os.environ.setdefault("SARABAN_PRINCIPAL_TTL", "0")  # tests change roles freely
os.environ.setdefault("SARABAN_TOKEN_CACHE_TTL", "0")

from saraban.settings import *  # noqa: F403
