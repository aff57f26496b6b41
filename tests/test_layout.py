"""The layout's rules (docs/architecture.md), checked on the source itself.

- Transports (``web``, ``api``, the ``mail`` gateway, the SBX endpoint ``exchange/sbx``, the CLI and project
  wiring) may import the domain; no domain module imports ``saraban.web``, ``saraban.api`` or ``saraban.mail``.
- ``kernel`` imports no other Saraban app; ``letterpress`` imports only ``kernel``; ``orgs`` knows no letters.
- ``demo`` and ``ops`` sit above everything: nothing else imports them; they import no ``web`` or ``api`` either.
- No import cycles between files, lazy (function-level) imports included.
- No module over 600 lines, no function over 80.
"""

from __future__ import annotations

import ast
import os
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)

SRC = Path(os.environ.get("LAYOUT_SRC") or Path(__file__).resolve().parents[1] / "src")
PKG = SRC / "saraban"
TRANSPORT_APPS = {"web", "api", "mail"}  # mail: the central mailbox gateway
WIRING = {"saraban.urls", "saraban.settings", "saraban.cli", "saraban.wsgi", "saraban.asgi"}
TOP_APPS = {"demo", "ops"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(SRC).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base) + (f".{node.module}" if node.module else "")
            else:
                mod = node.module or ""
            yield mod, node.lineno
            for alias in node.names:
                yield f"{mod}.{alias.name}", node.lineno


@cache
def graph() -> dict[str, set[str]]:
    mods = _modules()
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        for target, _ in _imports(name, path):
            if target in mods and target != name:
                edges[name].add(target)
    for name in mods:
        edges.setdefault(name, set())
    return dict(edges)


def app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def is_transport(module: str) -> bool:
    return (app_of(module) in TRANSPORT_APPS or module.startswith("saraban.exchange.sbx")
            or module in WIRING or ".management.commands." in module or app_of(module) in TOP_APPS)


def test_domain_never_imports_the_transports() -> None:
    bad = sorted(f"{a} -> {b}" for a, targets in graph().items() for b in targets
                 if not is_transport(a) and app_of(b) in TRANSPORT_APPS)
    assert bad == []


def test_only_the_transports_import_web_or_api() -> None:
    """Not even ``ops`` and ``demo``, which sit above everything: ops declares links to its own pages in its
    ``AppConfig.web_links()`` and the web reads them."""
    bad = sorted(f"{a} -> {b}" for a, targets in graph().items() for b in targets
                 if app_of(b) in {"web", "api"} and app_of(a) not in {"web", "api"} and a not in WIRING
                 and not a.startswith("saraban.exchange.sbx"))
    assert bad == []


def test_web_and_api_stand_apart() -> None:
    bad = sorted(f"{a} -> {b}" for a, targets in graph().items() for b in targets
                 if {app_of(a), app_of(b)} == {"web", "api"})
    assert bad == []


def test_kernel_and_letterpress_stand_alone() -> None:
    allowed = {"kernel": {"kernel"}, "letterpress": {"letterpress", "kernel"}}
    bad = sorted(f"{a} -> {b}" for a, targets in graph().items() for b in targets
                 if app_of(a) in allowed and app_of(b) not in allowed[app_of(a)])
    assert bad == []


def test_orgs_knows_no_letters() -> None:
    below = {"orgs", "kernel", "audit", "storage", "access"}
    bad = sorted(f"{a} -> {b}" for a, targets in graph().items() for b in targets
                 if app_of(a) == "orgs" and app_of(b) not in below)
    assert bad == []


def test_nothing_imports_demo_or_ops() -> None:
    bad = sorted(f"{a} -> {b}" for a, targets in graph().items() for b in targets
                 if app_of(b) in TOP_APPS and app_of(a) not in TOP_APPS and a not in WIRING)
    assert bad == []


def test_no_import_cycles_between_files() -> None:
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    assert cycles == []


def test_modules_and_functions_stay_small() -> None:
    too_long = []
    for name, path in _modules().items():
        if ".migrations." in name:
            continue
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 600:
            too_long.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 80:
                    too_long.append(f"{name}.{node.name}: {length} lines")
    assert too_long == []
