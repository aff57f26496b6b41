"""The test PKI (clearly TEST, right extensions, written and read back) and the local TSA."""

from __future__ import annotations

import datetime as dt
import hashlib
import ssl

import httpx
import pytest
from asn1crypto import algos, tsp
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from saraban.kernel.clock import MovableClock, use_clock
from saraban.signing.pki import TestPKI
from saraban.signing.tsa import CONTENT_TYPE_QUERY, LocalTSA

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


def test_every_subject_says_test(pki: TestPKI) -> None:
    creds = [pki.root, pki.intermediate, pki.tsa, *pki.credentials.values()]
    assert {c.role for c in creds} >= {"root", "intermediate", "tsa", "person", "seal", "server", "client"}
    for cred in creds:
        cn = cred.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        org = cred.cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
        assert str(cn).startswith("TEST") and "TEST" in str(org)


def test_extensions(pki: TestPKI) -> None:
    root_bc = pki.root.cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert root_bc.ca
    eku = pki.tsa.cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    person = pki.person("somchai").cert
    assert person.extensions.get_extension_for_class(x509.KeyUsage).value.content_commitment
    assert not person.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    server = pki["server-node-a"].cert
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "node-a" in san.get_values_for_type(x509.DNSName)
    assert ExtendedKeyUsageOID.SERVER_AUTH in server.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    client = pki["client-node-a"].cert
    assert ExtendedKeyUsageOID.CLIENT_AUTH in client.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    person.verify_directly_issued_by(pki.intermediate.cert)
    pki.intermediate.cert.verify_directly_issued_by(pki.root.cert)


def test_crls_are_signed_by_their_ca_and_list_revocations(pki: TestPKI) -> None:
    root_crl, inter_crl = pki.crls()
    assert root_crl.is_signature_valid(pki.root.key.public_key())
    assert inter_crl.is_signature_valid(pki.intermediate.key.public_key())
    assert (pki.directory / "intermediate.crl").is_file()


def test_written_and_read_back(pki: TestPKI) -> None:
    again = TestPKI.load(pki.directory)
    assert again.root.cert == pki.root.cert and again.tsa.cert == pki.tsa.cert
    assert set(again.credentials) == set(pki.credentials)
    assert again.person("somchai").key.private_numbers() == pki.person("somchai").key.private_numbers()
    assert (pki.directory / "person-somchai.p12").is_file()


def test_tls_certificates_work_for_a_loopback_server(pki: TestPKI) -> None:
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(pki.directory / "server-node-a.crt", pki.directory / "server-node-a.key")
    client = ssl.create_default_context(cafile=str(pki.directory / "root.crt"))
    client.load_verify_locations(pki.directory / "intermediate.crt")
    assert server.get_ca_certs() == [] and client.get_ca_certs()


def _request(digest: bytes) -> tsp.TimeStampReq:
    return tsp.TimeStampReq({
        "version": 1,
        "message_imprint": {"hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                            "hashed_message": digest},
        "nonce": 4242,
        "cert_req": True,
    })


def test_local_tsa_stamps_the_clock_time_over_http(tsa: LocalTSA) -> None:
    at = dt.datetime(2026, 1, 5, 3, 4, 5, tzinfo=dt.UTC)
    digest = hashlib.sha256(b"letter").digest()
    with use_clock(MovableClock(at)):
        reply = httpx.post(tsa.url, content=_request(digest).dump(), headers={"Content-Type": CONTENT_TYPE_QUERY})
    assert reply.status_code == 200
    response = tsp.TimeStampResp.load(reply.content)
    assert response["status"]["status"].native == "granted"
    info = response["time_stamp_token"]["content"]["encap_content_info"]["content"].parsed
    assert info["gen_time"].native == at
    assert info["message_imprint"]["hashed_message"].native == digest
    assert info["nonce"].native == 4242


def test_local_tsa_refuses_garbage(tsa: LocalTSA) -> None:
    assert httpx.post(tsa.url, content=b"garbage").status_code == 400


def test_tsa_stops(pki: TestPKI) -> None:
    server = LocalTSA(pki.tsa).start()
    url = server.url
    server.stop()
    with pytest.raises(httpx.HTTPError):
        httpx.post(url, content=b"x", timeout=1)


def test_thai_names_are_cut_by_characters_never_inside_a_grapheme(tmp_path) -> None:
    from saraban.kernel.thai import joins_previous
    from saraban.signing.pki import PersonSpec

    long_name = "นายสมมติ " + "ก" * 45 + " พ่วงทรัพย์"  # 5 + 64 characters with TEST: cut near พ่วงทรัพย์
    pki = TestPKI.create(tmp_path / "names", people=[PersonSpec("long", "นายวีรวัฒน์ ดิจิทัลไทยรุ่งเรือง"),
                                                     PersonSpec("longer", long_name)])
    assert pki.person("long").common_name == "TEST นายวีรวัฒน์ ดิจิทัลไทยรุ่งเรือง"  # 93 UTF-8 bytes, 35 characters
    cut = pki.person("longer").common_name
    assert len(cut) <= 64 and ("TEST " + long_name).startswith(cut)
    assert not joins_previous(("TEST " + long_name)[len(cut)])
    again = TestPKI.load(tmp_path / "names")
    assert again.person("long").common_name == "TEST นายวีรวัฒน์ ดิจิทัลไทยรุ่งเรือง"
