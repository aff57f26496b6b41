"""The published JSON Schemas of SBX 1.0: the envelope and ``letter.json`` (normative for this project).

They are generated from the pydantic models that check incoming messages, written to
``exchange/schemas/*.json`` (``saraban sbx schemas``) and served at ``/sbx/v1/schemas/<name>``; a test
keeps the files and the models equal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .envelope import Envelope
from .package import LetterJson

DIR = Path(__file__).resolve().parent / "schemas"
BASE = "https://saraban.example/sbx/v1/schemas/"


def generate() -> dict[str, dict[str, Any]]:
    out = {}
    for name, model, title in (("envelope.json", Envelope, "SBX 1.0 envelope"),
                               ("letter.json", LetterJson, "SBX 1.0 letter.json")):
        schema = model.model_json_schema()
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE + name, **schema,
                  "title": title}
        out[name] = schema
    return out


def write() -> list[Path]:
    DIR.mkdir(exist_ok=True)
    paths = []
    for name, schema in generate().items():
        path = DIR / name
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def published(name: str) -> dict[str, Any]:
    path = DIR / name
    if name not in ("envelope.json", "letter.json") or not path.is_file():
        raise KeyError(name)
    return json.loads(path.read_text(encoding="utf-8"))
