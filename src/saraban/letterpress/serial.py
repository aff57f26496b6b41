"""Letter content ⇄ JSON: how a draft's versions store :mod:`saraban.letterpress.content`.

The JSON mirrors the dataclasses field for field (``{"kind": "external", "subject": …, "body":
[{"type": "p", "text": …}, …], "to": {"title": …, "recipient_class": "general"}, …}``), so a stored
version is the typed content itself, not an editor's private format.  Unknown keys are refused:
nothing is guessed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from functools import cache
from typing import Any

from .content import (
    ANY_LETTER,
    Addressee,
    Attendee,
    Block,
    Contact,
    FileCopyMarks,
    Heading,
    Items,
    Kind,
    Letter,
    Paragraph,
    Signatory,
    Table,
)
from .errors import LetterpressError

LETTER_CLASSES: dict[str, type[Letter]] = {cls.kind.value: cls for cls in ANY_LETTER}
_BLOCK_TYPES: dict[str, type] = {"p": Paragraph, "items": Items, "table": Table, "h": Heading}
_BLOCK_TAGS = {cls: tag for tag, cls in _BLOCK_TYPES.items()}
_RECORDS = (Addressee, Signatory, Contact, Attendee, FileCopyMarks)
SERVER_ONLY = frozenset({"photo", "file_copy"})
"""Fields an editor or API client may not set: a file path, and the file-copy marks (recorded by the
system from who drafted, typed and checked the letter)."""


class ContentInvalid(LetterpressError):
    code = "content_invalid"
    message_th = "ข้อมูลร่างหนังสือไม่ถูกต้อง"
    message_en = "The draft's content is not valid"


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _fields(cls: type) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(cls) if f.init]


def to_json(value: Any) -> Any:
    """A content object (a letter, a block, a record, a value) as plain JSON data."""
    if isinstance(value, Letter):
        out: dict[str, Any] = {"kind": value.kind.value}
        for f in _fields(type(value)):
            out[f.name] = to_json(getattr(value, f.name))
        return out
    if type(value) in _BLOCK_TAGS:
        data = {f.name: to_json(getattr(value, f.name)) for f in _fields(type(value))}
        return {"type": _BLOCK_TAGS[type(value)], **data}
    if dataclasses.is_dataclass(value):
        return {f.name: to_json(getattr(value, f.name)) for f in _fields(type(value))}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    return value


def _bad(path: str, problem: str, problem_en: str) -> ContentInvalid:
    return ContentInvalid(f"ข้อมูลร่างหนังสือไม่ถูกต้อง: {path} {problem}",
                          f"The draft's content is not valid: {path} {problem_en}", details={"field": path})


def _convert(tp: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            if len(args) != len(typing.get_args(tp)):
                return None
            raise _bad(path, "ต้องมีค่า", "is required")
        if all(a in _BLOCK_TAGS for a in args):
            return _block(value, path)
        return _convert(args[0], value, path)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise _bad(path, "ต้องเป็นรายการ", "must be a list")
        inner = typing.get_args(tp)[0]
        return tuple(_convert(inner, v, f"{path}[{i}]") for i, v in enumerate(value))
    if tp is Block:
        return _block(value, path)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(value)
        except ValueError as exc:
            raise _bad(path, "ค่าไม่อยู่ในรายการที่กำหนด", "is not an allowed value") from exc
    if tp is dt.datetime:
        try:
            parsed = dt.datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise _bad(path, "รูปแบบวันเวลาไม่ถูกต้อง", "is not an ISO date-time") from exc
        if parsed.tzinfo is None:
            raise _bad(path, "ต้องระบุเขตเวลา", "needs a time zone")
        return parsed
    if tp is dt.date:
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError as exc:
            raise _bad(path, "รูปแบบวันที่ไม่ถูกต้อง (YYYY-MM-DD)", "is not an ISO date") from exc
    if tp in _RECORDS:
        return _record(tp, value, path)
    if tp is bool:
        if not isinstance(value, bool):
            raise _bad(path, "ต้องเป็น true หรือ false", "must be true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(path, "ต้องเป็นตัวเลข", "must be a whole number")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise _bad(path, "ต้องเป็นข้อความ", "must be text")
        return value
    raise _bad(path, "ชนิดข้อมูลไม่รองรับ", "has an unsupported type")  # pragma: no cover


def _record(cls: type, value: Any, path: str) -> Any:
    if not isinstance(value, dict):
        raise _bad(path, "ต้องเป็นออบเจกต์", "must be an object")
    hints = _hints(cls)
    names = {f.name for f in _fields(cls)}
    extra = set(value) - names
    if extra:
        raise _bad(f"{path}.{sorted(extra)[0]}", "ไม่รู้จักช่องนี้", "is not a known field")
    kwargs = {k: _convert(hints[k], v, f"{path}.{k}") for k, v in value.items()}
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise _bad(path, "ข้อมูลไม่ครบ", "is incomplete") from exc


def _block(value: Any, path: str) -> Any:
    if not isinstance(value, dict) or value.get("type") not in _BLOCK_TYPES:
        raise _bad(path, "ต้องเป็นย่อหน้า รายการ ตาราง หรือหัวข้อ", "must be a paragraph, list, table or heading")
    data = {k: v for k, v in value.items() if k != "type"}
    return _record(_BLOCK_TYPES[value["type"]], data, path)


def from_json(data: Any, *, trusted: bool = True) -> Letter:
    """The letter described by ``data``; ``trusted=False`` (input from editors and API clients) also
    refuses the fields only the system sets (:data:`SERVER_ONLY`)."""
    if not isinstance(data, dict):
        raise _bad("content", "ต้องเป็นออบเจกต์", "must be an object")
    kind = data.get("kind")
    if kind not in LETTER_CLASSES:
        raise _bad("kind", "ไม่รู้จักชนิดหนังสือนี้", "is not a known kind of letter")
    cls = LETTER_CLASSES[kind]
    body = {k: v for k, v in data.items() if k != "kind"}
    if not trusted:
        for name in SERVER_ONLY & set(body):
            if body[name] not in (None, "", []):
                raise _bad(name, "กำหนดโดยระบบเท่านั้น", "is set by the system only")
            del body[name]
    return _record(cls, body, "content")


def kind_of(data: dict[str, Any]) -> Kind:
    return Kind(data["kind"])
