"""The people of the test PKI and their key files."""

from __future__ import annotations

from saraban.signing.pki import PersonSpec, TestPKI
from saraban.signing.signers import KeyFile

PASSWORD = "TEST-only-password"
PEOPLE = [
    PersonSpec("somchai", "นายสมชาย ใจดี", "somchai@mdes.go.th", "ปลัดกระทรวง"),
    PersonSpec("kamlai", "นางสาวกำไล น้ำใจดี", "kamlai@mdes.go.th", "ผู้อำนวยการกองกลาง"),
]


def key_file(pki: TestPKI, cred_id: str, password: str = PASSWORD) -> KeyFile:
    """The PKCS#12 bundle the test PKI wrote for ``cred_id``."""
    return KeyFile(pki.directory / f"{cred_id}.p12", password)
