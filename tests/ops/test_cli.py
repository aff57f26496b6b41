"""The ``saraban`` command: Django's system checks run where they guard something (``saraban check``, the
servers) and every other command skips them, so it starts without importing every view and the PDF stack."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from saraban.cli import with_checks_where_due


def test_the_system_checks_pass() -> None:
    call_command("check", fail_level="WARNING")  # what the other commands no longer run on every start


@pytest.mark.parametrize("args, added", [
    (["migrate", "-v0"], True),
    (["backup", "list"], True),
    (["search", "reindex"], True),
    (["audit", "verify"], True),  # a command with sub-commands takes it before them
    (["check"], False),
    (["serve", "--port", "8000"], False),
    (["demo"], False),
    (["runserver"], False),
    (["migrate", "--skip-checks"], False),  # said already: not twice
    (["nosuch"], False),  # Django reports the unknown command itself
    (["--help"], False),
    ([], False),
])
def test_which_commands_skip_the_checks(args: list[str], added: bool) -> None:
    out = with_checks_where_due(["saraban", *args])
    assert out == (["saraban", args[0], "--skip-checks", *args[1:]] if added else ["saraban", *args])


def test_a_command_starts_without_the_views(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SARABAN_", "DATABASE_URL"))}
    env.update(SARABAN_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="saraban.settings")
    probe = ("import sys\nfrom saraban.cli import main\nmain(sys.argv[1:])\n"
             "views = [m for m in ('saraban.api.app', 'saraban.web.desk.views', 'saraban.web.exchange.views',\n"
             "                     'saraban.ops.views') if m in sys.modules]\n"
             "print(' '.join(views) or 'light', file=sys.stderr)")

    def run(*args: str) -> str:
        out = subprocess.run([sys.executable, "-c", probe, *args], env=env, capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stderr.strip().splitlines()[-1]

    assert run("migrate", "--plan") == "light"
    assert run("check").split() == ["saraban.api.app", "saraban.web.desk.views", "saraban.web.exchange.views",
                                    "saraban.ops.views"]  # the probe sees the views once the checks load them
