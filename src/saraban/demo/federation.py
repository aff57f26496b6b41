"""A TEST federation for the demo and the tests: one test PKI, a signed directory, and a config per node.

``create(root, nodes)`` issues, from the test PKI (everything marked TEST): a TLS server and client
certificate per node, a seal certificate and an RSA encryption certificate per agency, and the directory
operator's certificate; it writes the directory listing every demo agency at the endpoint of the node
that hosts it, signs it, and writes each node's ``node.toml``.  NOT FOR PRODUCTION.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from saraban.exchange import cades, directory
from saraban.exchange.node import cert_sha256
from saraban.kernel import clock
from saraban.signing.pki import AgencySpec, Credential, TestPKI

# made-up department codes for the demo (th-org:<10 digits>, ministry 11 = digital economy; 50 = state enterprise)
DEMO_ORGS = {
    "mdes": "1100000000", "mdes-minister": "1100100000", "mdes-ops": "1100200000", "onde": "1100300000",
    "depa": "1100400000", "tmd": "1100500000", "nso": "1100600000", "etda": "1100700000",
    "thailandpost": "5001100000",
}


@dataclass(frozen=True)
class NodeSpec:
    name: str
    agencies: tuple[str, ...]
    port: int = 0
    host: str = "127.0.0.1"

    @property
    def endpoint(self) -> str:
        return f"https://{self.host}:{self.port}/sbx/v1" if self.port else ""


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _b64(cert: x509.Certificate) -> str:
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def issue_encryption(pki: TestPKI, code: str, now: dt.datetime) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """An RSA key-encipherment certificate (CMS EnvelopedData needs RSA key transport)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    issuer = pki.intermediate
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
                                 x509.NameAttribute(NameOID.ORGANIZATION_NAME, "TEST Saraban PKI (not for production)"),
                                 x509.NameAttribute(NameOID.COMMON_NAME, f"TEST encryption {code}")]))
        .issuer_name(issuer.cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=True,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(issuer.key, hashes.SHA256())
    )
    return cert, key


def _write_key(path: Path, key: Any) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def agencies_from_org(org_file: Path) -> list[dict[str, Any]]:
    with open(org_file, "rb") as fh:
        return tomllib.load(fh).get("agency", [])


def create(root: Path, nodes: list[NodeSpec], agencies: list[dict[str, Any]], *, serial: int = 1,
           valid_days: int = 365, tsa: bool = True, via: dict[str, str] | None = None) -> Path:
    """Write the federation under ``root``; returns the directory document's path."""
    now = clock.now()
    root.mkdir(parents=True, exist_ok=True)
    pki_dir = root / "pki"
    codes = [a["code"] for a in agencies]
    pki = TestPKI.load_or_create(pki_dir, agencies=[AgencySpec(c, c) for c in [*codes, "directory-operator"]],
                                 nodes=[n.name for n in nodes])
    for c in [*codes, "directory-operator"]:
        if f"seal-{c}" not in pki.credentials:
            pki.issue_seal(AgencySpec(c, c), now=now)
    for n in nodes:
        if f"server-{n.name}" not in pki.credentials:
            pki.issue_server(n.name, now=now)
            pki.issue_client(n.name, now=now)
    enc: dict[str, x509.Certificate] = {}
    for c in codes:
        crt, key_path = pki_dir / f"enc-{c}.crt", pki_dir / f"enc-{c}.key"
        if not crt.exists():
            cert, key = issue_encryption(pki, c, now)
            crt.write_bytes(_pem(cert))
            _write_key(key_path, key)
        enc[c] = x509.load_pem_x509_certificate(crt.read_bytes())
    host_of = {c: n for n in nodes for c in n.agencies}
    entries = []
    for a in agencies:
        c = a["code"]
        n = host_of.get(c)
        seal: Credential = pki.seal(c)
        systems = []
        if via and c in via:  # no endpoint of its own: it pulls from the mailbox the host keeps for it
            puller = host_of.get(c)
            systems.append({
                "system": "SARABAN", "endpoint": None, "protocols": ["sbx/1.0"],
                "tls_cert_sha256": [cert_sha256(pki[f"client-{puller.name}"].cert)] if puller else [],
                "seal_certs": [_b64(seal.cert)], "encryption_cert": _b64(enc[c]), "max_message_bytes": 52428800,
                "accepts": ["application/vnd.etsi.asic-e+zip"], "via": f"th-org:{DEMO_ORGS.get(via[c], via[c])}",
                "valid_from": (now - dt.timedelta(days=1)).isoformat(), "valid_to": None,
            })
        elif n is not None:
            systems.append({
                "system": "SARABAN", "endpoint": n.endpoint, "protocols": ["sbx/1.0"],
                "tls_cert_sha256": [cert_sha256(pki[f"server-{n.name}"].cert),
                                    cert_sha256(pki[f"client-{n.name}"].cert)],
                "seal_certs": [_b64(seal.cert)], "encryption_cert": _b64(enc[c]), "max_message_bytes": 52428800,
                "accepts": ["application/vnd.etsi.asic-e+zip"], "via": None,
                "valid_from": (now - dt.timedelta(days=1)).isoformat(), "valid_to": None,
            })
        entries.append({
            "org": f"th-org:{DEMO_ORGS.get(c, c)}", "code": c,
            "names": {"th": a["name_th"], "en": a.get("name_en", "")}, "ministry": DEMO_ORGS.get(c, "00")[:2],
            "email": a.get("central_email", ""), "systems": systems,
        })
    doc = {"spec": directory.SPEC, "serial": serial, "issued_at": now.isoformat(),
           "expires_at": (now + dt.timedelta(days=valid_days)).isoformat(),
           "operator": "TEST directory operator (demo)", "entries": entries}
    operator = pki.seal("directory-operator")
    raw, sig = directory.sign_document(doc, cades.SealKey(operator.cert, operator.key, operator.chain))
    doc_path = root / "directory.json"
    doc_path.write_bytes(raw)
    (root / "directory.json.p7s").write_bytes(sig)
    for n in nodes:
        write_node_config(root / n.name / "node.toml", n, pki_dir, doc_path, cert_sha256(operator.cert), tsa=tsa)
    return doc_path


def write_node_config(path: Path, n: NodeSpec, pki_dir: Path, doc_path: Path, operator_sha: str, *,
                      tsa: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    p = pki_dir.resolve()
    lines = [
        "# TEST federation node (made by `saraban demo federation`): NOT FOR PRODUCTION",
        f'node = "{n.name}"', f'endpoint = "{n.endpoint}"', f'listen = "{n.host}:{n.port}"',
        f'trust_roots = ["{p}/root.crt"]', f'intermediates = ["{p}/intermediate.crt"]', "",
        "[tls]", f'server_cert = "{p}/server-{n.name}.crt"', f'server_key = "{p}/server-{n.name}.key"',
        f'client_cert = "{p}/client-{n.name}.crt"', f'client_key = "{p}/client-{n.name}.key"', "",
    ]
    if tsa:
        lines += ["[tsa]", 'mode = "local-test"', f'cert = "{p}/tsa.crt"', f'key = "{p}/tsa.key"', ""]
    lines += ["[directory]", f'source = "{doc_path.resolve()}"', f'signer_sha256 = ["{operator_sha}"]',
              "refresh_seconds = 3600", ""]
    for c in n.agencies:
        lines += ["[[agency]]", f'code = "{c}"', f'seal_cert = "{p}/seal-{c}.crt"', f'seal_key = "{p}/seal-{c}.key"',
                  f'encryption_cert = "{p}/enc-{c}.crt"', f'encryption_key = "{p}/enc-{c}.key"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def describe(root: Path) -> dict[str, Any]:
    doc = json.loads((root / "directory.json").read_text(encoding="utf-8"))
    return {"serial": doc["serial"], "entries": [e["code"] for e in doc["entries"]]}
