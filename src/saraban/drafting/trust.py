"""The deployment's signing trust: roots, intermediate and TSA certificates, CRLs, the time-stamping
authority and the PAdES level, read from settings (``SARABAN_TRUST_ROOTS``, ``SARABAN_TSA_URL`` …).

When the demo's TEST PKI exists (``SARABAN_TEST_PKI``), its root is trusted too, its CRLs are issued
fresh (so B-LT works offline), and ``SARABAN_TSA_URL=local`` means its time-stamping authority,
running in-process.  Certificates of that PKI say TEST in every name.  The result is cached for a
few minutes per process.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from django.conf import settings

from saraban.signing.pades import Level, TrustSettings
from saraban.signing.pki import TestPKI
from saraban.signing.tsa import HttpTimeStamper, stamper_for

TTL = 300.0


@dataclass(frozen=True)
class SigningConfig:
    trust: TrustSettings
    level: Level
    test_pki: TestPKI | None
    tsa: str
    """What time-stamps the signatures: a URL, ``local (TEST)``, or empty."""


def _certs(paths: list[Path]) -> list[x509.Certificate]:
    out: list[x509.Certificate] = []
    for path in paths:
        data = path.read_bytes()
        if b"-----BEGIN" in data:
            out.extend(x509.load_pem_x509_certificates(data))
        else:
            out.append(x509.load_der_x509_certificate(data))
    return out


def _crls(paths: list[Path]) -> list[x509.CertificateRevocationList]:
    out = []
    for path in paths:
        data = path.read_bytes()
        out.append(x509.load_pem_x509_crl(data) if b"-----BEGIN" in data else x509.load_der_x509_crl(data))
    return out


def load_test_pki() -> TestPKI | None:
    """The demo's TEST PKI, if this deployment has one."""
    directory = Path(settings.SARABAN_TEST_PKI)
    if not (directory / "pki.json").is_file():
        return None
    return TestPKI.load(directory)


def _build() -> SigningConfig:
    roots = _certs(settings.SARABAN_TRUST_ROOTS)
    others = _certs(settings.SARABAN_TRUST_CERTS)
    crls = _crls(settings.SARABAN_CRLS)
    pki = load_test_pki()
    if pki is not None:
        roots += pki.trust_roots
        others += [pki.intermediate.cert, pki.tsa.cert]
        crls += pki.crls()
    url = settings.SARABAN_TSA_URL.strip()
    timestamper = None
    tsa = ""
    if url == "local":
        if pki is not None:
            timestamper, tsa = stamper_for(pki.tsa), "local (TEST)"
    elif url:
        timestamper, tsa = HttpTimeStamper(url), url
    trust = TrustSettings(trust_roots=tuple(roots), other_certs=tuple(others), crls=tuple(crls),
                          timestamper=timestamper)
    level = Level(settings.SARABAN_SIGNING_LEVEL) if settings.SARABAN_SIGNING_LEVEL else trust.default_level()
    return SigningConfig(trust=trust, level=level, test_pki=pki, tsa=tsa)


_lock = threading.Lock()
_cached: dict[tuple[object, ...], tuple[float, SigningConfig]] = {}


def _key() -> tuple[object, ...]:
    return (str(settings.SARABAN_TEST_PKI), settings.SARABAN_TSA_URL, tuple(settings.SARABAN_TRUST_ROOTS),
            tuple(settings.SARABAN_TRUST_CERTS), tuple(settings.SARABAN_CRLS), settings.SARABAN_SIGNING_LEVEL)


def config() -> SigningConfig:
    """The signing configuration (cached for :data:`TTL` seconds)."""
    key = _key()
    now = time.monotonic()
    with _lock:
        hit = _cached.get(key)
        if hit is not None and now - hit[0] < TTL:
            return hit[1]
    built = _build()
    with _lock:
        _cached.clear()
        _cached[key] = (now, built)
    return built


def forget() -> None:
    """Drop the cached configuration (after the PKI or the settings change)."""
    with _lock:
        _cached.clear()


def validation_args() -> dict[str, object]:
    """Keyword arguments for :func:`saraban.signing.validate.validate_pdf`."""
    trust = config().trust
    return {"trust_roots": trust.trust_roots, "other_certs": trust.other_certs, "crls": trust.crls}
