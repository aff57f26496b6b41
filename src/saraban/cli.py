"""The ``saraban`` command: Django's management commands with Saraban's settings.

``saraban demo``, ``saraban serve``, ``saraban token create <user>``, ``saraban audit verify`` and every
Django command (``saraban migrate`` …) are available.
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
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
