"""The ``saraban`` command: Django's management commands with Saraban's settings.

``saraban demo``, ``saraban serve``, ``saraban token create <user>``, ``saraban audit verify`` and every
Django command (``saraban migrate`` …) are available.

Django runs its system checks before most commands.  The URL check imports every view and router, and with
them the PDF and signing stack: 2 s of CPU and ~60 MB before ``saraban backup list`` can print one line.  The
checks guard the code, not the data, so they run where a mistake would reach users: ``saraban check`` (with
``--deploy`` for the production settings), and the servers (``saraban serve``, ``saraban demo``,
``runserver``), which import all of it anyway.  Every other command skips them, as ``--skip-checks`` would.
The suite runs ``saraban check`` itself (``tests/ops/test_cli.py``).
"""

from __future__ import annotations

import os
import sys


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("saraban")
    except PackageNotFoundError:
        return "unknown"


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saraban.settings")
    from django.core.management import execute_from_command_line

    args = ["saraban", *(sys.argv[1:] if argv is None else argv)]
    if args[1:] == ["--version"]:  # Django would print its own version as ours
        print(f"saraban {version()}")
        return
    execute_from_command_line(with_checks_where_due(args))


CHECKED = frozenset({"check", "serve", "demo", "runserver"})


def with_checks_where_due(args: list[str]) -> list[str]:
    """``args`` with ``--skip-checks`` added, unless the command is one of :data:`CHECKED`, already says it, or
    has no such option (it runs no checks)."""
    if len(args) < 2 or args[1].startswith("-") or args[1] in CHECKED or "--skip-checks" in args:
        return args
    import django
    from django.core.management import ManagementUtility, get_commands

    django.setup()
    if args[1] not in get_commands():  # Django says so in its normal way
        return args
    parser = ManagementUtility(args).fetch_command(args[1]).create_parser("saraban", args[1])
    takes = any("--skip-checks" in action.option_strings for action in parser._actions)
    # right after the command's name: a command with sub-commands (``audit verify``) takes it only there
    return [*args[:2], "--skip-checks", *args[2:]] if takes else args


if __name__ == "__main__":
    main()
