"""This node's exchange identity: TLS certificates, agency seals, encryption keys, trust, TSA, directory source.

Read from a TOML file (``SARABAN_SBX_CONFIG``, default ``$SARABAN_HOME/exchange/node.toml``); paths in it are
relative to the file.  Example (``saraban demo federation`` writes such files for the test federation)::

    node = "a"
    endpoint = "https://127.0.0.1:8443/sbx/v1"     # what other nodes call (our directory entry)
    listen = "127.0.0.1:8443"                       # where `saraban sbx serve` listens
    trust_roots = ["pki/root.crt"]
    intermediates = ["pki/intermediate.crt"]

    [tls]
    server_cert = "pki/server-a.crt"
    server_key = "pki/server-a.key"
    client_cert = "pki/client-a.crt"
    client_key = "pki/client-a.key"

    [tsa]                       # B-T signatures: an RFC 3161 TSA (url), or "local-test" with a test TSA key
    url = "https://tsa.example/"

    [directory]
    source = "https://directory.example/sbx-directory.json"   # or a file path
    signature = ""                                           # default: source + ".p7s"
    signer_sha256 = ["…"]                                    # fingerprints of the operator's certificates
    refresh_seconds = 3600

    [[agency]]
    code = "mdes-ops"
    seal_cert = "pki/seal-mdes-ops.crt"
    seal_key = "pki/seal-mdes-ops.key"
    encryption_cert = "pki/enc-mdes-ops.crt"
    encryption_key = "pki/enc-mdes-ops.key"
"""

from __future__ import annotations

import hashlib
import os
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from .cades import SealKey, Trust, load_private_key
from .errors import NotConfigured


def cert_sha256(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def _certs(path: Path) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(path.read_bytes())


@dataclass(frozen=True)
class AgencyKeys:
    code: str
    seal: SealKey
    encryption_cert: x509.Certificate | None = None
    encryption_key: Any = None


@dataclass
class NodeConfig:
    path: Path
    name: str
    endpoint: str
    listen: str
    trust: Trust
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    trust_file: Path
    agencies: dict[str, AgencyKeys]
    tsa_url: str = ""
    tsa_local: tuple[Path, Path] | None = None
    directory_source: str = ""
    directory_signature: str = ""
    directory_signers: tuple[str, ...] = ()
    directory_refresh: int = 3600
    raw: dict[str, Any] = field(default_factory=dict)
    _timestamper: Any = None

    @property
    def client_sha256(self) -> str:
        return cert_sha256(_certs(self.client_cert)[0])

    @property
    def server_sha256(self) -> str:
        return cert_sha256(_certs(self.server_cert)[0])

    def seal_for(self, code: str) -> SealKey:
        keys = self.agencies.get(code)
        if keys is None:
            raise NotConfigured(f"ไม่มีใบรับรองตราของหน่วยงาน {code} ในการตั้งค่าของระบบนี้",
                                f"No seal certificate for agency {code} in this node's configuration")
        return keys.seal

    def timestamper(self) -> Any:
        """pyHanko time-stamper for B-T signatures (``None``: B-B only)."""
        if self._timestamper is None:
            if self.tsa_url:
                from saraban.signing.tsa import HttpTimeStamper

                self._timestamper = HttpTimeStamper(self.tsa_url)
            elif self.tsa_local:
                from .cades import TestTimeStamper

                cert = _certs(self.tsa_local[0])
                key = load_private_key(self.tsa_local[1].read_bytes())
                self._timestamper = TestTimeStamper(cert[0], key, tuple(self.trust.intermediates))
        return self._timestamper


def config_path() -> Path:
    from django.conf import settings

    return Path(os.environ.get("SARABAN_SBX_CONFIG") or settings.HOME / "exchange" / "node.toml")


_lock = threading.Lock()
_cached: tuple[Path, float, NodeConfig] | None = None


def load(path: Path | None = None) -> NodeConfig:
    """This node's configuration (cached per process; re-read when the file changes)."""
    global _cached
    path = path or config_path()
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError as exc:
        raise NotConfigured(details={"config": str(path)}) from exc
    with _lock:
        if _cached and _cached[0] == path and _cached[1] == mtime:
            return _cached[2]
    cfg = parse(path)
    with _lock:
        _cached = (path, mtime, cfg)
    return cfg


def configured() -> bool:
    return config_path().is_file()


def forget() -> None:
    global _cached
    with _lock:
        _cached = None


def parse(path: Path) -> NodeConfig:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    base = path.parent

    def p(value: str) -> Path:
        return (base / value).resolve()

    roots = [c for f in data.get("trust_roots", []) for c in _certs(p(f))]
    inter = [c for f in data.get("intermediates", []) for c in _certs(p(f))]
    trust = Trust(tuple(roots), tuple(inter))
    tls = data["tls"]
    agencies: dict[str, AgencyKeys] = {}
    for a in data.get("agency", []):
        cert = _certs(p(a["seal_cert"]))
        seal = SealKey(cert[0], load_private_key(p(a["seal_key"]).read_bytes()), tuple(cert[1:]) + tuple(inter))
        enc_cert = _certs(p(a["encryption_cert"]))[0] if a.get("encryption_cert") else None
        enc_key = load_private_key(p(a["encryption_key"]).read_bytes()) if a.get("encryption_key") else None
        agencies[a["code"]] = AgencyKeys(a["code"], seal, enc_cert, enc_key)
    tsa = data.get("tsa", {})
    directory = data.get("directory", {})
    trust_file = base / ".trust.pem"
    # TLS peers present their leaf certificate only: the issuing CAs are in the verify file too
    pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [*roots, *inter])
    if not trust_file.exists() or trust_file.read_bytes() != pem:
        trust_file.write_bytes(pem)
    source = directory.get("source", "")
    if source and "://" not in source:
        source = str(p(source))
    signature = directory.get("signature", "")
    if signature and "://" not in signature:
        signature = str(p(signature))
    return NodeConfig(
        path=path, name=data.get("node", ""), endpoint=data.get("endpoint", ""),
        listen=data.get("listen", "127.0.0.1:8443"), trust=trust,
        server_cert=p(tls["server_cert"]), server_key=p(tls["server_key"]),
        client_cert=p(tls["client_cert"]), client_key=p(tls["client_key"]), trust_file=trust_file,
        agencies=agencies, tsa_url=tsa.get("url", ""),
        tsa_local=(p(tsa["cert"]), p(tsa["key"])) if tsa.get("mode") == "local-test" else None,
        directory_source=source, directory_signature=signature,
        directory_signers=tuple(directory.get("signer_sha256", [])),
        directory_refresh=int(directory.get("refresh_seconds", 3600)), raw=data,
    )
