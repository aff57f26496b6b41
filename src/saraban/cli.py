"""The ``saraban`` command: Django's management commands with Saraban's settings.

``saraban demo``, ``saraban serve``, ``saraban token create <user>``, ``saraban audit verify`` and every
Django command (``saraban migrate`` …) are available.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saraban.settings")
    from django.core.management import execute_from_command_line

    args = ["saraban", *(sys.argv[1:] if argv is None else argv)]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
