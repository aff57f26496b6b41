"""Settings for the test suite: production settings with a private data directory and inline tasks.

The environment must be fixed before ``saraban.settings`` is read, so pytest-django loads this module.
"""

import os
import tempfile

# a fresh data directory per test process: xdist workers inherit the controller's environment, and sharing
# one blob store between processes would let one worker's files show up in another's "nothing stored" checks
os.environ["SARABAN_HOME"] = tempfile.mkdtemp(prefix="saraban-test-")
os.environ.setdefault("SARABAN_TASKS", "immediate")
os.environ.setdefault("SARABAN_FAST_PASSWORDS", "1")
os.environ.setdefault("SARABAN_PRINCIPAL_TTL", "0")  # tests change roles freely
os.environ.setdefault("SARABAN_TOKEN_CACHE_TTL", "0")
os.environ.setdefault("SARABAN_EMBLEM_PLACEHOLDER", "1")  # test agencies print the placeholder; one test refuses

from saraban.settings import *  # noqa: F403
