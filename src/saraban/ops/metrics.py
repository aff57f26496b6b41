"""Prometheus metrics (``GET /metrics``) with prometheus_client, in its multiprocess mode under gunicorn.

Per request: a counter and a latency histogram labelled by method, route pattern (never the raw path: no
letter ids or search words become labels) and status class.  At scrape time, from the database: tasks by
state, outbox rows waiting, task workers alive and lost.  ``saraban serve`` points
``PROMETHEUS_MULTIPROC_DIR`` at a fresh directory before anything imports prometheus_client, so the figures of
every web worker are summed.  Only loopback callers without a forwarding proxy, or callers presenting
``SARABAN_METRICS_TOKEN``, may read them.
"""

from __future__ import annotations

import hmac
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse

REQUESTS: Any = None
LATENCY: Any = None


def use_multiprocess_dir(path: Path) -> None:
    """Start a clean multiprocess directory for this server (call before prometheus_client is imported)."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)


def _instruments() -> tuple[Any, Any]:
    global REQUESTS, LATENCY
    if REQUESTS is None:
        from prometheus_client import Counter, Histogram

        REQUESTS = Counter("saraban_http_requests", "HTTP requests answered", ["method", "route", "status"])
        LATENCY = Histogram("saraban_http_request_seconds", "Time to answer an HTTP request", ["method", "route"],
                            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
    return REQUESTS, LATENCY


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return (match.route or match.view_name or "unknown")[:80]


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        _instruments()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        route = _route(request)
        if route != "metrics":
            requests, latency = _instruments()
            requests.labels(request.method, route, f"{response.status_code // 100}xx").inc()
            latency.labels(request.method, route).observe(time.perf_counter() - start)
        return response


class DatabaseCollector:
    """Queue and worker gauges read from the database when Prometheus scrapes."""

    def collect(self) -> Iterator[Any]:
        import datetime as dt

        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult
        from prometheus_client.core import GaugeMetricFamily

        from saraban.exchange.models import OutboxMessage, OutboxStatus
        from saraban.kernel import clock

        from .models import WorkerBeat
        from .recovery import lost_seconds

        tasks = GaugeMetricFamily("saraban_tasks", "Background tasks by state", labels=["state"])
        for row in DBTaskResult.objects.values("status").annotate(n=Count("id")):
            tasks.add_metric([row["status"].lower()], row["n"])
        yield tasks
        yield GaugeMetricFamily("saraban_outbox_waiting", "SBX outbox messages not yet delivered",
                                value=OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count())
        fresh = clock.now() - dt.timedelta(seconds=lost_seconds())
        beats = WorkerBeat.objects.filter(stopped=False)
        workers = GaugeMetricFamily("saraban_task_workers", "Task workers by heartbeat", labels=["state"])
        workers.add_metric(["alive"], beats.filter(seen_at__gte=fresh).count())
        workers.add_metric(["lost"], beats.filter(seen_at__lt=fresh).count())
        yield workers


def _allowed(request: HttpRequest) -> bool:
    token = os.environ.get("SARABAN_METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token:
        return hmac.compare_digest(given.encode(), token.encode())
    local = request.META.get("REMOTE_ADDR") in ("127.0.0.1", "::1")
    return local and "X-Forwarded-For" not in request.headers and "X-Real-Ip" not in request.headers


def metrics_view(request: HttpRequest) -> HttpResponse:
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    if not _allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    body = generate_latest(registry)
    db = CollectorRegistry()
    db.register(DatabaseCollector())
    body += generate_latest(db)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def gunicorn_hooks() -> dict[str, Any]:
    """``child_exit``: forget a dead web worker's live gauges (multiprocess mode)."""

    def child_exit(server: Any, worker: Any) -> None:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(worker.pid)

    return {"child_exit": child_exit}
