"""``/healthz`` (the process answers) and ``/readyz`` (it can do its work: database reachable, migrations
applied, blob store writable).  A load balancer sends traffic only to ready processes; an orchestrator
restarts one that is not healthy."""

from __future__ import annotations

import os
import secrets
import time

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse

_migrated_at = 0.0  # when the migrations were last seen applied (checking costs ~0.1 s: not on every call)


def _database() -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
        cur.fetchone()
    return "ok"


def _migrations() -> str:
    global _migrated_at
    if time.monotonic() - _migrated_at < 60:
        return "ok"
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return f"{len(pending)} migrations not applied"
    _migrated_at = time.monotonic()
    return "ok"


def _blob_store() -> str:
    """Write, read back and remove a unique probe blob through the configured store (local or S3)."""
    from saraban.storage import blobs

    data = b"saraban readiness probe " + secrets.token_hex(16).encode()
    digest = blobs.sha256_hex(data)
    store = blobs.store()
    created, _token = store.put(digest, [data])
    try:
        if b"".join(store.open(digest)) != data:
            return "read back differs"
    finally:
        if created:
            store.delete(digest)
    return "ok"


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "pid": os.getpid()})


def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    for name, check in (("database", _database), ("migrations", _migrations), ("blob_store", _blob_store)):
        try:
            checks[name] = check()
        except Exception as exc:  # reported, not raised: the answer is "not ready" and why
            checks[name] = f"{type(exc).__name__}: {str(exc)[:200]}"
    ok = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ready" if ok else "not ready", "checks": checks}, status=200 if ok else 503)
