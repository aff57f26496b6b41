"""A test PKI, the local TSA and signed letters shared by the signing tests (no database needed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from saraban.letterpress.examples import AGENCY
from saraban.signing.pki import AgencySpec, TestPKI
from saraban.signing.softhsm import SoftToken, create_token, put_credential, softhsm_module
from saraban.signing.tsa import HttpTimeStamper, LocalTSA

from .keys import PEOPLE, key_file


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPKI:
    return TestPKI.create(
        tmp_path_factory.mktemp("pki"), people=PEOPLE, agencies=[AgencySpec("mdes", AGENCY)], nodes=["node-a"],
    )


@pytest.fixture(scope="session")
def other_pki(tmp_path_factory: pytest.TempPathFactory) -> TestPKI:
    """A second, unrelated PKI: its certificates are unknown to ``pki``'s trust root."""
    return TestPKI.create(tmp_path_factory.mktemp("other-pki"), people=[PEOPLE[0]])


@pytest.fixture(scope="session")
def tsa(pki: TestPKI) -> Iterator[LocalTSA]:
    with LocalTSA(pki.tsa) as server:
        yield server


@pytest.fixture(scope="session")
def timestamper(tsa: LocalTSA) -> Iterator[HttpTimeStamper]:
    stamper = HttpTimeStamper(tsa.url)
    yield stamper
    stamper.close()


@pytest.fixture(scope="session")
def trust(pki: TestPKI, timestamper: HttpTimeStamper) -> object:
    from saraban.signing.pades import TrustSettings

    return TrustSettings(trust_roots=tuple(pki.trust_roots), other_certs=(pki.intermediate.cert, pki.tsa.cert),
                         timestamper=timestamper)


@pytest.fixture(scope="session")
def trust_lt(pki: TestPKI, timestamper: HttpTimeStamper) -> object:
    from saraban.signing.pades import TrustSettings

    return TrustSettings(trust_roots=tuple(pki.trust_roots), other_certs=(pki.intermediate.cert, pki.tsa.cert),
                         crls=tuple(pki.crls()), timestamper=timestamper)


@pytest.fixture(scope="session")
def signed_external(pki: TestPKI, trust: object) -> object:
    """The external example letter, signed at B-T by its signatory, with a verification QR code."""
    from saraban.letterpress.examples import external
    from saraban.signing.pades import LetterSigner, LetterSigning, sign_letter

    return sign_letter(external(), LetterSigning(
        signers=(LetterSigner(key_file(pki, "person-somchai")),), trust=trust,  # type: ignore[arg-type]
        verification_url="https://saraban.example/verify/0190e3c1-7b2a-7c4e-9d1f-2a3b4c5d6e7f",
    ))


@pytest.fixture(scope="session")
def soft_token(tmp_path_factory: pytest.TempPathFactory, pki: TestPKI) -> SoftToken:
    """A SoftHSM2 token holding somchai's key and certificate (label ``somchai``)."""
    if softhsm_module() is None:
        pytest.skip("SoftHSM2 is not installed (apt-get install -y --no-install-recommends softhsm2)")
    token = create_token(Path(tmp_path_factory.mktemp("softhsm")), "saraban-test", pin="1234")
    put_credential(token, pki.person("somchai"), "somchai")
    return token
