"""Our CAdES seals and pyHanko's are interchangeable: wire compatibility with other SBX 1.0 nodes.

``exchange.cades`` assembles and checks CMS itself for speed (see its docstring); pyHanko is the reference
implementation other nodes are likely to use, so each must accept what the other produces.
"""

from __future__ import annotations

import asyncio

import pytest
from asn1crypto import cms, keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes, SimpleSigner
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from saraban.exchange import cades
from saraban.exchange import node as node_mod
from saraban.kernel import clock as kclock

DATA = b'{"spec":"sbx/1.0","kind":"signal","signal":"delivered"}'


def _asn1(cert) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cades.der(cert))


def _pyhanko_validate(data: bytes, signature: bytes):
    node = node_mod.load()
    context = ValidationContext(trust_roots=[_asn1(c) for c in node.trust.roots],
                                other_certs=[_asn1(c) for c in node.trust.intermediates],
                                allow_fetching=False, revocation_mode="soft-fail", moment=kclock.now())
    sd = cms.ContentInfo.load(signature)["content"]
    return asyncio.run(async_validate_detached_cms(
        data, sd, signer_validation_context=context, key_usage_settings=KeyUsageConstraints(
            key_usage={"digital_signature"})))


def _pyhanko_sign(data: bytes, seal: cades.SealKey, timestamper) -> bytes:
    key = seal.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    signer = SimpleSigner(signing_cert=_asn1(seal.cert), signing_key=keys.PrivateKeyInfo.load(key),
                          cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in seal.chain]))
    info = asyncio.run(signer.async_sign_general_data(
        data, "sha256", detached=True, use_cades=True, timestamper=timestamper,
        signed_attr_settings=PdfCMSSignedAttributes(signing_time=kclock.now())))
    return info.dump()


def test_pyhanko_validates_our_seal_with_its_timestamp(sbx, clock) -> None:
    node = node_mod.load()
    sig = cades.sign(DATA, node.seal_for("tmd"), node.timestamper())
    status = _pyhanko_validate(DATA, sig)
    assert status.bottom_line and (ts := status.timestamp_validity) is not None
    assert ts.intact and ts.valid and ts.trusted
    signer_info = cms.ContentInfo.load(sig)["content"]["signer_infos"][0]
    assert {a["type"].native for a in signer_info["signed_attrs"]} == {
        "content_type", "message_digest", "signing_time", "signing_certificate_v2"}  # CAdES-B-B
    assert [a["type"].native for a in signer_info["unsigned_attrs"]] == ["signature_time_stamp_token"]  # B-T
    assert not _pyhanko_validate(DATA + b" ", sig).intact


def test_we_verify_a_pyhanko_seal(sbx, clock) -> None:
    node = node_mod.load()
    seal = node.seal_for("tmd")
    sig = _pyhanko_sign(DATA, seal, node.timestamper())
    report = cades.verify(DATA, sig, trust=node.trust, allowed_sha256={seal.sha256})
    assert report.level == "B-T" and report.signer_sha256 == seal.sha256 and report.signing_time is not None
    with pytest.raises(cades.CmsInvalid) as err:
        cades.verify(DATA + b" ", sig, trust=node.trust, allowed_sha256={seal.sha256})
    assert err.value.reason == "digest_mismatch"
    with pytest.raises(cades.CmsInvalid) as err:
        cades.verify(DATA, sig, trust=node.trust, allowed_sha256={node.seal_for("nso").sha256})
    assert err.value.reason == "signer_not_allowed"
