"""The context every benchmark prints with its figures: the machine, its load before the run, the versions of
what is measured, and the git commit.  A figure is only as good as the machine was idle; with this printed,
two runs can be compared (or told apart).

    from bench._context import print_context
    print_context("bench_idle")      # at the start of main(), before any work
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def postgres_version() -> str:
    exe = shutil.which("postgres") or shutil.which("pg_config")
    if not exe:
        return "not installed"
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    found = re.search(r"\d+(\.\d+)+", out)
    return found.group(0) if found else "unknown"


def git_commit() -> str:
    try:
        sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return f"{sha}{' (uncommitted changes)' if dirty else ''}" if sha else "unknown"


def context() -> dict[str, str]:
    load = os.getloadavg()
    return {
        "cpu": f"{cpu_model()}, {os.cpu_count()} cores",
        "load before": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1, 5, 15 min)",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": ", ".join(f"{name} {_version(dist)}" for name, dist in (
            ("Django", "django"), ("WeasyPrint", "weasyprint"), ("pyHanko", "pyhanko"), ("psycopg", "psycopg"))),
        "postgresql": postgres_version(),
        "commit": git_commit(),
    }


def print_context(name: str) -> dict[str, str]:
    """Print the context block (and return it) before the benchmark runs."""
    ctx = context()
    print(f"== {name} — context", flush=True)
    for key, value in ctx.items():
        print(f"  {key + ':':<13} {value}", flush=True)
    return ctx


def load_line(label: str = "load now") -> str:
    load = os.getloadavg()
    return f"{label}: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
