"""Fill a system for the backup tests: ``python -m tests.storage.fill [--first N] [--normal N] [--secret N]``.

Runs in the system its environment names (``SARABAN_HOME``, ``DATABASE_URL``): migrates (unless it is
already), loads the demo organisation (first run only) and registers ordinary and ลับ letters through the real
actions (each with its original and its receipt-stamped copy).
Prints the system's :func:`~tests.storage.restored.summary`.
"""

from __future__ import annotations

import argparse
import json
import os


def fill(first: int, normal: int, secret: int) -> None:
    from saraban.orgs import directory
    from saraban.orgs.actions import load_directory
    from saraban.orgs.models import Unit
    from saraban.registry.actions import Upload, register_incoming
    from saraban.registry.validation import IncomingMetadata
    from tests.fixtures import make_pdf, meta, user

    if not Unit.objects.exists():
        load_directory(directory.read(directory.DEMO_FILE), demo=True)
    for i in range(first, first + normal):
        register_incoming(user("registrar"), IncomingMetadata(**meta(their_ref=f"นร 0105/{i}", subject=f"เรื่อง {i}")),
                          Upload(make_pdf(f"หนังสือ {i}", variant=i), f"n{i}.pdf"))
    for i in range(first, first + secret):
        register_incoming(user("secretary"), IncomingMetadata(**meta(
            secrecy="secret", their_ref=f"ลับ/{i}", subject=f"เรื่องลับ {i}")), Upload(make_pdf(f"ลับ {i}", variant=100 + i),
                                                                                    f"s{i}.pdf"))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saraban.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from .restored import summary

    parser = argparse.ArgumentParser()
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--normal", type=int, default=4)
    parser.add_argument("--secret", type=int, default=2)
    args = parser.parse_args()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):  # a copy of a migrated system needs none
        call_command("migrate", verbosity=0, interactive=False)
    fill(args.first, args.normal, args.secret)
    print(json.dumps(summary(), ensure_ascii=False))
