"""The participant directory: a signed, versioned JSON document, loaded from a file or URL and cached here.

Document (``sbx-directory/1.0``)::

    {"spec": "sbx-directory/1.0", "serial": 7, "issued_at": "…+07:00", "expires_at": "…+07:00",
     "operator": "…", "entries": [{"org": "th-org:1100500000", "code": "tmd", "names": {"th": …, "en": …},
       "ministry": "11", "email": "saraban@tmd.go.th", "channels": ["sbx", "email"],
       "systems": [{"system": "SARABAN", "endpoint": "https://…/sbx/v1", "protocols": ["sbx/1.0"],
                    "tls_cert_sha256": […], "seal_certs": ["<base64 DER>"], "encryption_cert": "<base64 DER>",
                    "max_message_bytes": 52428800, "via": null, "valid_from": …, "valid_to": null}]}]}

with a detached CAdES signature (``<source>.p7s``) by the directory operator, whose certificate must be
one of the node's configured ``signer_sha256`` and chain to a trust root.  A version with a lower serial
than the one held, or past its ``expires_at``, is refused.  ``channels`` says how the organisation takes
letters, in order of preference (``sbx``, ``email`` at its central address; default both, SBX first).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509

from saraban.kernel import clock

from . import cades
from .errors import DirectoryInvalid, UnknownParticipant
from .models import DirectoryVersion, Participant
from .node import NodeConfig

SPEC = "sbx-directory/1.0"


@dataclass(frozen=True)
class Fetched:
    source: str
    document: bytes
    signature: bytes


def fetch(source: str, signature: str = "", *, node: NodeConfig | None = None) -> Fetched:
    """Read the document and its signature from files or URLs (over HTTPS with our client certificate)."""
    sig_source = signature or source + ".p7s"

    def get(where: str) -> bytes:
        if "://" in where:
            kwargs: dict[str, Any] = {"timeout": 20.0}
            if node is not None and where.startswith("https://"):
                kwargs["verify"] = str(node.trust_file)
                kwargs["cert"] = (str(node.client_cert), str(node.client_key))
            try:
                r = httpx.get(where, **kwargs)
                r.raise_for_status()
            except httpx.HTTPError as exc:
                raise DirectoryInvalid(f"ดึงสมุดรายชื่อจาก {where} ไม่ได้", f"Cannot fetch the directory from {where}",
                                       details={"reason": str(exc)}) from exc
            return r.content
        try:
            return Path(where).read_bytes()
        except OSError as exc:
            raise DirectoryInvalid(f"อ่านไฟล์ {where} ไม่ได้", f"Cannot read {where}") from exc

    return Fetched(source, get(source), get(sig_source))


def sign_document(document: dict[str, Any], seal: cades.SealKey, timestamper: Any = None) -> tuple[bytes, bytes]:
    """(document bytes, signature) — for the directory operator (``saraban sbx directory sign``)."""
    raw = json.dumps(document, ensure_ascii=False, indent=1).encode()
    return raw, cades.sign(raw, seal, timestamper)


def _dt(value: Any) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("times need a UTC offset")
    return parsed


def verify(fetched: Fetched, node: NodeConfig) -> dict[str, Any]:
    """Check the signature, version and validity of a fetched directory; return the parsed document."""
    try:
        report = cades.verify(fetched.document, fetched.signature, trust=node.trust,
                              allowed_sha256=set(node.directory_signers) or None)
    except cades.CmsInvalid as exc:
        raise DirectoryInvalid("ลายมือชื่อของสมุดรายชื่อไม่ถูกต้อง", "The directory signature is invalid",
                               details={"reason": exc.reason}) from exc
    try:
        doc = json.loads(fetched.document.decode("utf-8"))
        if doc.get("spec") != SPEC:
            raise ValueError(f"spec must be {SPEC}")
        int(doc["serial"])
        issued, expires = _dt(doc["issued_at"]), _dt(doc["expires_at"])
        entries = doc["entries"]
        if not isinstance(entries, list):
            raise ValueError("entries must be a list")
        seen: set[str] = set()
        for e in entries:
            if not e["org"] or not e["code"] or not e["names"]["th"] or e["code"] in seen:
                raise ValueError(f"bad entry {e.get('code')!r}")
            seen.add(e["code"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise DirectoryInvalid(f"สมุดรายชื่อมีรูปแบบไม่ถูกต้อง: {exc}", f"The directory is malformed: {exc}") from exc
    if expires is None or expires <= clock.now():
        raise DirectoryInvalid("สมุดรายชื่อนี้หมดอายุแล้ว", "This directory version has expired")
    if issued is not None and issued > clock.now() + dt.timedelta(minutes=10):
        raise DirectoryInvalid("สมุดรายชื่อลงวันที่ในอนาคต", "This directory version is dated in the future")
    doc["_signer"] = report.signer
    return doc


def participant_fields(entry: dict[str, Any], serial: int) -> dict[str, Any]:
    system = next((s for s in entry.get("systems", []) if "sbx/1.0" in s.get("protocols", ["sbx/1.0"])), None) or {}
    return {
        "org": entry["org"], "name_th": entry["names"]["th"], "name_en": entry["names"].get("en", ""),
        "ministry": entry.get("ministry", ""), "email": entry.get("email", ""),
        "system": system.get("system", ""), "endpoint": system.get("endpoint") or "",
        "protocols": system.get("protocols", []), "tls_cert_sha256": system.get("tls_cert_sha256", []),
        "seal_certs": system.get("seal_certs", []), "encryption_cert": system.get("encryption_cert") or "",
        "max_message_bytes": int(system.get("max_message_bytes") or 52428800), "via": system.get("via") or "",
        "valid_from": _dt(system.get("valid_from")), "valid_to": _dt(system.get("valid_to")),
        "serial": serial, "entry": entry,
    }


def current() -> DirectoryVersion | None:
    return DirectoryVersion.objects.order_by("-serial").first()


# ---- lookups ---------------------------------------------------------------------------------------

_cache: dict[tuple[str, str], tuple[float, Participant | None]] = {}
_cache_lock = threading.Lock()
CACHE_SECONDS = 10.0  # a process reuses a directory entry this long (a new version is seen within it)


def forget() -> None:
    with _cache_lock:
        _cache.clear()


def _lookup(field: str, value: str) -> Participant | None:
    key = (field, value)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    p = Participant.objects.filter(**{field: value}).first()
    with _cache_lock:
        _cache[key] = (now + CACHE_SECONDS, p)
    return p


def participant(code: str) -> Participant:
    p = _lookup("code", code)
    if p is None:
        raise UnknownParticipant(details={"recipient": code})
    return p


def by_org(org: str) -> Participant | None:
    return _lookup("org", org)


def seal_fingerprints(p: Participant) -> set[str]:
    return {hashlib.sha256(base64.b64decode(c)).hexdigest() for c in p.seal_certs}


def encryption_cert(p: Participant) -> x509.Certificate | None:
    if not p.encryption_cert:
        return None
    return x509.load_der_x509_certificate(base64.b64decode(p.encryption_cert))


def in_force(p: Participant, at: dt.datetime | None = None) -> bool:
    at = at or clock.now()
    return (p.valid_from is None or p.valid_from <= at) and (p.valid_to is None or at < p.valid_to)
