"""The OpenAPI document describes every body: each operation's success has a schema with fields (or is a
file), and its errors share the one Error schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def doc(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    return r.json()


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, ops in doc["paths"].items() for method, op in ops.items()]


def test_every_success_has_a_described_body(doc) -> None:
    undescribed = []
    for method, path, op in _operations(doc):
        ok = {code: r for code, r in op["responses"].items() if str(code).startswith("2")}
        assert ok, f"{method} {path}: no success response"
        for code, response in ok.items():
            content = response.get("content") or {}
            if not content:
                undescribed.append(f"{method} {path} {code}: no body schema")
            for ctype, media in content.items():
                schema = _resolve(doc, media["schema"])
                if "json" not in ctype:
                    if schema != {"type": "string", "format": "binary"}:
                        undescribed.append(f"{method} {path} {code} {ctype}: a file should be binary")
                    continue
                if schema.get("type") == "array":
                    schema = _resolve(doc, schema["items"])
                if schema.get("type") != "object" or not schema.get("properties"):
                    undescribed.append(f"{method} {path} {code}: {schema}")
    assert undescribed == []


def test_errors_share_the_error_schema(doc) -> None:
    error = doc["components"]["schemas"]["Error"]
    assert list(error["properties"]) == ["code", "message", "message_th", "message_en", "details"]
    assert set(error["required"]) == {"code", "message", "message_th", "message_en"}
    missing = []
    for method, path, op in _operations(doc):
        errors = {code: r for code, r in op["responses"].items() if str(code)[0] in "45"}
        refs = {media["schema"].get("$ref") for r in errors.values() for media in (r.get("content") or {}).values()}
        if not errors or refs != {ERROR_REF}:
            missing.append(f"{method} {path}: {sorted(map(str, refs))}")
    assert missing == []


def test_operation_ids_are_unique(doc) -> None:
    ids = [op["operationId"] for _, _, op in _operations(doc)]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_schema_names_are_unique() -> None:
    """The document names each schema once: two schemas of one name would silently become one."""
    import importlib
    import pkgutil

    from ninja import Schema

    import saraban.api

    seen: dict[str, set[str]] = {}
    for info in pkgutil.walk_packages(saraban.api.__path__, "saraban.api."):
        if ".migrations" in info.name or ".management" in info.name:
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Schema) and obj.__module__ == module.__name__:
                seen.setdefault(obj.__name__, set()).add(module.__name__)
    assert {name: mods for name, mods in seen.items() if len(mods) > 1} == {}
