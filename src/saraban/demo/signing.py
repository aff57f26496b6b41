"""The demo's signing set-up: a TEST PKI with certificates for the demo's signers and agency seals,
registered as their signing keys.  Idempotent and fast (a fraction of a second).

Every certificate of this PKI says TEST; the local time-stamping authority (``SARABAN_TSA_URL=local``)
signs with its TEST TSA certificate.  Never use it for real letters.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from saraban.drafting import keys, trust
from saraban.drafting.actions.keys import register_key
from saraban.drafting.models import PinMode, SignerKey
from saraban.kernel.actor import Actor
from saraban.orgs.models import Agency, Person, Role, RoleGrant
from saraban.signing.pki import DEFAULT_PASSWORD, AgencySpec, PersonSpec, TestPKI

KEY_PASSWORD = DEFAULT_PASSWORD
"""The password of every demo person's TEST key file (typed as the PIN when signing in the demo)."""
SEAL_PIN_FILE = "seal-pin.txt"


def _signers() -> list[Person]:
    """Demo people who sign: executives and administrators (with accounts)."""
    ids = RoleGrant.objects.filter(role__in=[Role.EXECUTIVE, Role.ADMIN]).values_list("person_id", flat=True)
    return list(Person.objects.filter(pk__in=ids, user__isnull=False).select_related("user").order_by("user__username"))


def _pid(person: Person) -> str:
    return person.user.username if person.user_id else str(person.pk)


def _agencies() -> list[Agency]:
    return list(Agency.objects.filter(hosted=True).order_by("code"))


def setup_signing(directory: Path | str | None = None, *, actor: Actor = None,
                  people: list[Person] | None = None) -> dict[str, int]:
    """Create (or load) the TEST PKI and register a key for each demo signer and a seal per agency."""
    directory = Path(directory or settings.SARABAN_TEST_PKI)
    pki = TestPKI.load_or_create(directory)
    signers = _signers() if people is None else people
    agencies = _agencies()
    changed = False
    for person in signers:
        try:
            pki.person(_pid(person))
        except KeyError:
            pki.issue_person(PersonSpec(_pid(person), person.full_name_th, person.email), save=False)
            changed = True
    for agency in agencies:
        try:
            pki.seal(agency.code)
        except KeyError:
            pki.issue_seal(AgencySpec(agency.code, agency.name_th), save=False)
            changed = True
    if changed or not (directory / SEAL_PIN_FILE).exists():
        pki.save()
        pin_file = directory / SEAL_PIN_FILE
        pin_file.write_text(KEY_PASSWORD, encoding="utf-8")
        pin_file.chmod(0o600)
    trust.forget()
    registered = 0
    for person in signers:
        cred = pki.person(_pid(person))
        if not SignerKey.objects.filter(person=person, active=True, cert_sha256=keys.fingerprint(cred.cert)).exists():
            register_key(actor, person=person, path=str(directory / f"{cred.id}.p12"), pin=KEY_PASSWORD)
            registered += 1
    for agency in agencies:
        cred = pki.seal(agency.code)
        if not SignerKey.objects.filter(agency=agency, active=True, cert_sha256=keys.fingerprint(cred.cert)).exists():
            register_key(actor, agency=agency, path=str(directory / f"{cred.id}.p12"),
                         pin_mode=PinMode.STORED, pin_ref=f"file:{directory / SEAL_PIN_FILE}")
            registered += 1
    return {"people": len(signers), "seals": len(agencies), "registered": registered}
