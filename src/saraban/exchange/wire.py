"""The bytes on the wire: ``multipart/related`` messages (envelope, signature, payload).

A strict, small reader: parts are found by the boundary named in the ``Content-Type``; each part has its
headers and its exact bytes.  Nothing is decoded or re-encoded, so the envelope bytes the signature covers
arrive unchanged.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from . import codes
from .errors import EnvelopeInvalid


@dataclass(frozen=True)
class Part:
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Message:
    envelope: bytes
    signature: bytes
    payload: bytes | None = None
    payload_type: str = ""


def encode(parts: list[Part]) -> tuple[str, bytes]:
    """(content type, body) of a ``multipart/related`` message whose root is the envelope."""
    boundary = "sbx-" + secrets.token_hex(16)
    while any(boundary.encode() in p.data for p in parts):  # pragma: no cover - 128 random bits
        boundary = "sbx-" + secrets.token_hex(16)
    chunks = []
    for p in parts:
        head = f"--{boundary}\r\nContent-Type: {p.content_type}\r\nContent-Length: {len(p.data)}\r\n\r\n"
        chunks.append(head.encode())
        chunks.append(p.data)
        chunks.append(b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    ctype = f'multipart/related; type="{codes.ENVELOPE_TYPE}"; boundary={boundary}'
    return ctype, b"".join(chunks)


def encode_message(msg: Message) -> tuple[str, bytes]:
    parts = [Part(codes.ENVELOPE_TYPE, msg.envelope), Part(codes.SIGNATURE_TYPE, msg.signature)]
    if msg.payload is not None:
        parts.append(Part(msg.payload_type or codes.PACKAGE_TYPE, msg.payload))
    return encode(parts)


def _boundary(content_type: str) -> str:
    main, *params = [s.strip() for s in content_type.split(";")]
    if main.lower() != "multipart/related":
        raise EnvelopeInvalid("ต้องส่งเป็น multipart/related", "The body must be multipart/related")
    for p in params:
        if p.lower().startswith("boundary="):
            b = p.split("=", 1)[1].strip().strip('"')
            if 0 < len(b) <= 70:
                return b
    raise EnvelopeInvalid("ไม่มี boundary", "multipart boundary missing")


def decode(content_type: str, body: bytes) -> list[Part]:
    delim = b"--" + _boundary(content_type).encode()
    pos = body.find(delim)
    if pos < 0:
        raise EnvelopeInvalid("ไม่พบส่วนของข้อความ", "no multipart parts")
    parts: list[Part] = []
    while True:
        pos += len(delim)
        if body[pos:pos + 2] == b"--":
            return parts
        if body[pos:pos + 2] != b"\r\n":
            raise EnvelopeInvalid("รูปแบบ multipart ไม่ถูกต้อง", "malformed multipart body")
        head_end = body.find(b"\r\n\r\n", pos + 2)
        if head_end < 0:
            raise EnvelopeInvalid("รูปแบบ multipart ไม่ถูกต้อง", "malformed multipart headers")
        headers: dict[str, str] = {}
        for line in body[pos + 2:head_end].split(b"\r\n"):
            if b":" in line:
                k, v = line.split(b":", 1)
                headers[k.strip().lower().decode("latin-1")] = v.strip().decode("latin-1")
        start = head_end + 4
        if "content-length" in headers:
            try:
                end = start + int(headers["content-length"])
            except ValueError as exc:
                raise EnvelopeInvalid("Content-Length ไม่ถูกต้อง", "bad part Content-Length") from exc
            if body[end:end + 2 + len(delim)] != b"\r\n" + delim:
                raise EnvelopeInvalid("ความยาวส่วนของข้อความไม่ตรง", "part length does not match")
        else:
            end = body.find(b"\r\n" + delim, start)
            if end < 0:
                raise EnvelopeInvalid("รูปแบบ multipart ไม่ถูกต้อง", "unterminated part")
        parts.append(Part(headers.get("content-type", ""), body[start:end]))
        if len(parts) > 8:
            raise EnvelopeInvalid("มีส่วนของข้อความมากเกินไป", "too many parts")
        pos = end + 2


def decode_message(content_type: str, body: bytes) -> Message:
    parts = decode(content_type, body)
    if len(parts) not in (2, 3):
        raise EnvelopeInvalid("ข้อความต้องมี 2 หรือ 3 ส่วน (ซอง ลายมือชื่อ และเนื้อหา)",
                              "A message has 2 or 3 parts: envelope, signature, payload")
    if parts[0].content_type.split(";")[0].strip() != codes.ENVELOPE_TYPE:
        raise EnvelopeInvalid("ส่วนแรกต้องเป็นซอง", f"The first part must be {codes.ENVELOPE_TYPE}")
    if parts[1].content_type.split(";")[0].strip() != codes.SIGNATURE_TYPE:
        raise EnvelopeInvalid("ส่วนที่สองต้องเป็นลายมือชื่อ", f"The second part must be {codes.SIGNATURE_TYPE}")
    payload = parts[2] if len(parts) == 3 else None
    return Message(parts[0].data, parts[1].data, payload.data if payload else None,
                   payload.content_type if payload else "")

