"""A test PKI for tests and the demo, built with ``cryptography``.  NOT FOR PRODUCTION.

Every subject says TEST.  The PKI has a root CA, an intermediate CA, signing certificates for
people and agency seals, a time-stamping certificate (EKU timeStamping), TLS server and client
certificates for exchange nodes, and a CRL for each CA.  It is written to a directory (PEM files,
PKCS#12 bundles and a ``pki.json`` manifest) and loaded back from it.

Keys are ECDSA P-256 (fast to sign with), except the TSA's RSA-2048 key.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from saraban.kernel import clock
from saraban.kernel.thai import clip

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
Role = Literal["root", "intermediate", "person", "seal", "tsa", "server", "client"]

ORGANISATION = "TEST Saraban PKI (not for production)"
CRL_BASE_URL = "http://pki.saraban.test/crl"
DEFAULT_PASSWORD = "TEST-only-password"
_MANIFEST = "pki.json"


@dataclass(frozen=True)
class Credential:
    """A certificate, its private key and the chain of its issuers (nearest first, root last)."""

    id: str
    role: Role
    cert: x509.Certificate
    key: PrivateKey
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def common_name(self) -> str:
        return _cn(self.cert)

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self, password: str | None = None) -> bytes:
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(password.encode())
            if password else serialization.NoEncryption()
        )
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)

    def pkcs12(self, password: str = DEFAULT_PASSWORD) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            self.id.encode(), self.key, self.cert, list(self.chain),
            serialization.BestAvailableEncryption(password.encode()),
        )

    def asn1_cert(self) -> asn1_x509.Certificate:
        return to_asn1(self.cert)

    def asn1_chain(self) -> list[asn1_x509.Certificate]:
        return [to_asn1(c) for c in self.chain]


def to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    """The same certificate as pyHanko's ``asn1crypto`` object."""
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _cn(cert: x509.Certificate) -> str:
    attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else cert.subject.rfc4514_string()


def _fit(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters (X.509's upper bounds count characters), never
    inside a grapheme."""
    return clip(text, limit)


# RFC 5280 bounds a CN at 64 *characters* (ub-common-name on a UTF8String), but ``cryptography`` checks
# 64 UTF-8 *bytes* (21 Thai letters) and warns on every longer name it reads, ours and other CAs' alike.
warnings.filterwarnings("ignore", message="Attribute's length must be >= 1 and <= 64", category=UserWarning)


def _common_name_attribute(name: str) -> x509.NameAttribute:
    """The CN attribute, its length checked by characters (the name was cut by :func:`_fit`)."""
    return x509.NameAttribute(NameOID.COMMON_NAME, name, _validate=False)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or "x"


@dataclass(frozen=True)
class PersonSpec:
    """A person to issue a signing certificate to."""

    id: str
    name: str
    """Full name as on the letter, e.g. ``นายสมชาย ใจดี`` (the certificate's CN is ``TEST <name>``)."""
    email: str = ""
    position: str = ""


@dataclass(frozen=True)
class AgencySpec:
    """An agency to issue a seal (organisation signing) certificate to."""

    id: str
    name: str


@dataclass
class TestPKI:
    """The test PKI in ``directory``: create it with :meth:`create`, read it with :meth:`load`."""

    __test__ = False  # not a pytest test class

    directory: Path
    root: Credential
    intermediate: Credential
    tsa: Credential
    credentials: dict[str, Credential] = field(default_factory=dict)
    revoked: dict[int, dt.datetime] = field(default_factory=dict)

    # --- creation -----------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        directory: Path | str,
        *,
        people: Sequence[PersonSpec] = (),
        agencies: Sequence[AgencySpec] = (),
        nodes: Sequence[str] = (),
        now: dt.datetime | None = None,
    ) -> TestPKI:
        """Make a new PKI in ``directory`` (created if missing) and write it there."""
        now = now or clock.now()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        root_key = ec.generate_private_key(ec.SECP256R1())
        root = _issue(
            "root", "root", "TEST Saraban Root CA", root_key, None, now, years=20, ca_path=1,
        )
        inter_key = ec.generate_private_key(ec.SECP256R1())
        intermediate = _issue(
            "intermediate", "intermediate", "TEST Saraban Issuing CA", inter_key, root, now,
            years=10, ca_path=0, crl_name="root",
        )
        tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        tsa = _issue("tsa", "tsa", "TEST Saraban Time-Stamping Authority", tsa_key, intermediate, now, years=5)
        pki = cls(directory=directory, root=root, intermediate=intermediate, tsa=tsa)
        for person in people:
            pki.issue_person(person, now=now, save=False)
        for agency in agencies:
            pki.issue_seal(agency, now=now, save=False)
        for node in nodes:
            pki.issue_server(node, now=now, save=False)
            pki.issue_client(node, now=now, save=False)
        pki.save()
        return pki

    def _add(self, cred: Credential, save: bool) -> Credential:
        self.credentials[cred.id] = cred
        if save:
            self.save()
        return cred

    def issue_person(
        self, person: PersonSpec, *, now: dt.datetime | None = None,
        not_before: dt.datetime | None = None, not_after: dt.datetime | None = None,
        issuer: Credential | None = None, save: bool = True,
    ) -> Credential:
        """A document-signing certificate for a person (``not_after`` in the past makes an expired one)."""
        now = now or clock.now()
        cred = _issue(
            f"person-{_slug(person.id)}", "person", f"TEST {person.name}", ec.generate_private_key(ec.SECP256R1()),
            issuer or self.intermediate, now, years=2, email=person.email, title=person.position,
            not_before=not_before, not_after=not_after,
        )
        return self._add(cred, save)

    def issue_seal(self, agency: AgencySpec, *, now: dt.datetime | None = None, save: bool = True) -> Credential:
        """An agency seal certificate (an organisation's signature for stamped letters)."""
        now = now or clock.now()
        cred = _issue(
            f"seal-{_slug(agency.id)}", "seal", f"TEST agency seal {agency.id}",
            ec.generate_private_key(ec.SECP256R1()), self.intermediate, now, years=3, organisation_unit=agency.name,
        )
        return self._add(cred, save)

    def issue_server(self, host: str, *, now: dt.datetime | None = None, save: bool = True) -> Credential:
        """A TLS server certificate for an exchange node (SAN: the host name, localhost and 127.0.0.1)."""
        now = now or clock.now()
        cred = _issue(
            f"server-{_slug(host)}", "server", f"TEST {host}", ec.generate_private_key(ec.SECP256R1()),
            self.intermediate, now, years=2, dns=(host, "localhost"),
        )
        return self._add(cred, save)

    def issue_client(self, node: str, *, now: dt.datetime | None = None, save: bool = True) -> Credential:
        """A TLS client certificate for an exchange node (mutual TLS)."""
        now = now or clock.now()
        cred = _issue(
            f"client-{_slug(node)}", "client", f"TEST node {node}", ec.generate_private_key(ec.SECP256R1()),
            self.intermediate, now, years=2,
        )
        return self._add(cred, save)

    def revoke(self, cred: Credential, *, when: dt.datetime | None = None) -> None:
        """Revoke ``cred`` and write new CRLs."""
        self.revoked[cred.cert.serial_number] = when or clock.now()
        self.save()

    # --- what others need ---------------------------------------------------------------------

    def __getitem__(self, cred_id: str) -> Credential:
        return self.credentials[cred_id]

    def person(self, person_id: str) -> Credential:
        return self.credentials[f"person-{_slug(person_id)}"]

    def seal(self, agency_id: str) -> Credential:
        return self.credentials[f"seal-{_slug(agency_id)}"]

    @property
    def trust_roots(self) -> list[x509.Certificate]:
        return [self.root.cert]

    @property
    def intermediates(self) -> list[x509.Certificate]:
        return [self.intermediate.cert]

    def crls(self, now: dt.datetime | None = None) -> list[x509.CertificateRevocationList]:
        """A fresh CRL from each CA, listing what was revoked."""
        now = now or clock.now()
        out = []
        for ca in (self.root, self.intermediate):
            builder = (
                x509.CertificateRevocationListBuilder()
                .issuer_name(ca.cert.subject)
                .last_update(now - dt.timedelta(minutes=5))
                .next_update(now + dt.timedelta(days=7))
                .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
                .add_extension(
                    x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
                )
            )
            for serial, when in sorted(self.revoked.items()):
                builder = builder.add_revoked_certificate(
                    x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
                )
            out.append(builder.sign(ca.key, hashes.SHA256()))
        return out

    def asn1_crls(self, now: dt.datetime | None = None) -> list[asn1_crl.CertificateList]:
        return [asn1_crl.CertificateList.load(c.public_bytes(serialization.Encoding.DER)) for c in self.crls(now)]

    # --- files --------------------------------------------------------------------------------

    def save(self) -> None:
        """Write every certificate, key, PKCS#12 bundle, CRL and the manifest to the directory."""
        d = self.directory
        d.mkdir(parents=True, exist_ok=True)
        manifest: dict[str, object] = {"warning": "TEST PKI - not for production", "credentials": [],
                                       "revoked": {str(k): v.isoformat() for k, v in self.revoked.items()}}
        creds = [self.root, self.intermediate, self.tsa, *self.credentials.values()]
        for cred in creds:
            (d / f"{cred.id}.crt").write_bytes(cred.cert_pem())
            (d / f"{cred.id}.key").write_bytes(cred.key_pem())
            if cred.role not in ("root", "intermediate"):
                (d / f"{cred.id}.p12").write_bytes(cred.pkcs12())
            manifest["credentials"].append({  # type: ignore[union-attr]
                "id": cred.id, "role": cred.role, "cn": cred.common_name,
                "chain": [c.serial_number for c in cred.chain],
            })
        for name, crl in zip(("root", "intermediate"), self.crls(), strict=True):
            (d / f"{name}.crl").write_bytes(crl.public_bytes(serialization.Encoding.DER))
        (d / "chain.pem").write_bytes(self.intermediate.cert_pem() + self.root.cert_pem())
        (d / _MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path | str) -> TestPKI:
        """Read a PKI written by :meth:`save`."""
        d = Path(directory)
        manifest = json.loads((d / _MANIFEST).read_text(encoding="utf-8"))

        def read(cid: str, role: Role, chain: Iterable[Credential]) -> Credential:
            cert = x509.load_pem_x509_certificate((d / f"{cid}.crt").read_bytes())
            key = serialization.load_pem_private_key((d / f"{cid}.key").read_bytes(), password=None)
            assert isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey)
            return Credential(cid, role, cert, key, tuple(c.cert for c in chain))

        root = read("root", "root", ())
        intermediate = read("intermediate", "intermediate", (root,))
        tsa = read("tsa", "tsa", (intermediate, root))
        pki = cls(directory=d, root=root, intermediate=intermediate, tsa=tsa)
        for entry in manifest["credentials"]:
            if entry["role"] in ("root", "intermediate", "tsa"):
                continue
            pki.credentials[entry["id"]] = read(entry["id"], entry["role"], (intermediate, root))
        pki.revoked = {int(k): dt.datetime.fromisoformat(v) for k, v in manifest.get("revoked", {}).items()}
        return pki

    @classmethod
    def load_or_create(cls, directory: Path | str, **kwargs: object) -> TestPKI:
        """Load the PKI in ``directory``, or create it there (``kwargs`` go to :meth:`create`)."""
        if (Path(directory) / _MANIFEST).is_file():
            return cls.load(directory)
        return cls.create(directory, **kwargs)  # type: ignore[arg-type]


def _issue(
    cred_id: str,
    role: Role,
    common_name: str,
    key: PrivateKey,
    issuer: Credential | None,
    now: dt.datetime,
    *,
    years: int,
    ca_path: int | None = None,
    crl_name: str = "intermediate",
    email: str = "",
    title: str = "",
    organisation_unit: str = "",
    dns: Sequence[str] = (),
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> Credential:
    subject = _subject(common_name, email=email, title=title, organisation_unit=organisation_unit)
    issuer_name = issuer.cert.subject if issuer else subject
    signing_key = issuer.key if issuer else key
    start = not_before or (now - dt.timedelta(hours=1))
    end = not_after or (now + dt.timedelta(days=365 * years))
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), critical=False
        )
    )
    builder = _role_extensions(builder, role, ca_path=ca_path, email=email, dns=dns)
    if issuer is not None:
        builder = builder.add_extension(
            x509.CRLDistributionPoints([x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(f"{CRL_BASE_URL}/{crl_name}.crl")],
                relative_name=None, reasons=None, crl_issuer=None,
            )]),
            critical=False,
        )
    cert = builder.sign(signing_key, hashes.SHA256())
    chain = (issuer.cert, *issuer.chain) if issuer else ()
    return Credential(cred_id, role, cert, key, chain)


def _subject(common_name: str, *, email: str, title: str, organisation_unit: str) -> x509.Name:
    """The certificate subject: country, organisation, then unit, title, name and e-mail if given."""
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
    ]
    if organisation_unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, organisation_unit))
    if title:
        attrs.append(x509.NameAttribute(NameOID.TITLE, title))
    attrs.append(_common_name_attribute(_fit(common_name, 64)))
    if email:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attrs)


def _role_extensions(
    builder: x509.CertificateBuilder, role: Role, *, ca_path: int | None, email: str, dns: Sequence[str]
) -> x509.CertificateBuilder:
    """Basic constraints, key usage and names for a CA (``ca_path`` given) or an end entity of ``role``."""
    if ca_path is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=ca_path), critical=True)
        builder = builder.add_extension(_key_usage(cert_sign=True), critical=True)
    else:
        builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        if role in ("person", "seal"):
            builder = builder.add_extension(_key_usage(signature=True, commitment=True), critical=True)
            if email:
                builder = builder.add_extension(
                    x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
                )
        elif role == "tsa":
            builder = builder.add_extension(_key_usage(signature=True, commitment=True), critical=True)
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
        elif role == "server":
            builder = builder.add_extension(_key_usage(signature=True), critical=True)
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
            )
            names: list[x509.GeneralName] = [x509.DNSName(n) for n in dns]
            names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        elif role == "client":
            builder = builder.add_extension(_key_usage(signature=True), critical=True)
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
            )
    return builder


def _key_usage(*, signature: bool = False, commitment: bool = False, cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signature or cert_sign,
        content_commitment=commitment,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )
