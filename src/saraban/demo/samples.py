"""Write one signed sample letter of every kind, with its source text, for checking with other tools.

``saraban samples letters --out DIR`` calls :func:`write_samples`: for each kind it writes
``<name>.pdf`` (rendered, QR code added, signed with the test PKI and the local TSA) and
``<name>.txt`` (the text ``pdftotext`` should give back, whitespace aside).  The test PKI used is
kept in ``DIR/test-pki`` (or ``pki_dir``) so the signatures can be checked against its root.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from saraban.kernel import clock
from saraban.letterpress.content import Letter, MemoRecord, Minutes
from saraban.letterpress.examples import AGENCY, EXAMPLES

PEOPLE = {
    "นายสมชาย ใจดี": ("somchai", "somchai@mdes.go.th"),
    "นางสาวกำไล น้ำใจดี": ("kamlai", "kamlai@mdes.go.th"),
    "นายวีรวัฒน์ ดิจิทัลไทย": ("weerawat", "weerawat@mdes.go.th"),
    "นางสุดา ดำรงค์": ("suda", "suda@mdes.go.th"),
}
AGENCY_ID = "mdes"


def dated_today(letter: Letter) -> Letter:
    """``letter`` dated the day it is signed (the clock's today), as a signed letter is: the signature
    blocks carry the signing time, and the letter's date must agree with it."""
    changes: dict[str, object] = {}
    if isinstance(letter, MemoRecord) and letter.recorder.typed_at is not None:
        changes["recorder"] = dataclasses.replace(letter.recorder, typed_at=clock.now())
    elif getattr(letter, "date", None) is not None and not isinstance(letter, Minutes):
        changes["date"] = clock.today()  # minutes keep the meeting's date
    return dataclasses.replace(letter, **changes) if changes else letter  # type: ignore[arg-type]


@dataclass(frozen=True)
class SampleFile:
    name: str
    pdf: Path
    txt: Path
    level: str


def write_samples(out: Path | str, *, pki_dir: Path | str | None = None,
                  base_url: str = "https://saraban.example/verify") -> list[SampleFile]:
    """Write every kind's signed sample into ``out``; return what was written."""
    from saraban.signing.pades import LetterSigner, LetterSigning, TrustSettings, sign_letter, write_atomic
    from saraban.signing.pki import AgencySpec, PersonSpec, TestPKI
    from saraban.signing.signers import KeyFile
    from saraban.signing.tsa import HttpTimeStamper, LocalTSA

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pki = TestPKI.load_or_create(
        Path(pki_dir) if pki_dir else out / "test-pki",
        people=[PersonSpec(pid, name, email) for name, (pid, email) in PEOPLE.items()],
        agencies=[AgencySpec(AGENCY_ID, AGENCY)],
    )
    written: list[SampleFile] = []
    with LocalTSA(pki.tsa) as tsa:
        timestamper = HttpTimeStamper(tsa.url)
        trust = TrustSettings(
            trust_roots=tuple(pki.trust_roots),
            other_certs=(pki.intermediate.cert, pki.tsa.cert),
            crls=tuple(pki.crls()),
            timestamper=timestamper,
        )
        try:
            for name, build in EXAMPLES.items():
                letter = dated_today(build())
                keys: list[LetterSigner] = []
                for signatory in letter.all_signatories():
                    if signatory.typed_at is None and signatory.name in PEOPLE:
                        cred = pki.person(PEOPLE[signatory.name][0])
                        # the name as typed under the signature: a certificate's name may be cut short
                        keys.append(LetterSigner(KeyFile(pki.directory / f"{cred.id}.p12", "TEST-only-password"),
                                                 name=signatory.name))
                if not keys:  # stamped letters, statements, news, typed-name records: the agency seal
                    keys.append(LetterSigner(KeyFile(pki.directory / f"{pki.seal(AGENCY_ID).id}.p12",
                                                     "TEST-only-password")))
                signed = sign_letter(letter, LetterSigning(
                    signers=tuple(keys),
                    trust=trust,
                    verification_url=f"{base_url}/{name}",
                ))
                pdf, txt = out / f"{name}.pdf", out / f"{name}.txt"
                write_atomic(pdf, signed.pdf)
                write_atomic(txt, (signed.text + "\n").encode())
                written.append(SampleFile(name, pdf, txt, str(signed.level)))
        finally:
            timestamper.close()
    (out / "README.txt").write_text(
        "Saraban sample letters - signed with a TEST PKI (not for production).\n"
        "Trust root: test-pki/root.crt.  Check with: pdfsig <name>.pdf ; pdffonts <name>.pdf ;\n"
        "pdftotext <name>.pdf - (equals <name>.txt after whitespace normalisation).\n",
        encoding="utf-8",
    )
    return written
