"""``saraban signing …``: signing keys and the signing configuration.

- ``saraban signing check``: trust roots, time-stamping authority, level, and every registered key
  with its certificate and expiry.
- ``saraban signing add-keyfile --person USER --file KEY.p12``: a person's PKCS#12 key file (the PIN
  is asked once to read the certificate, or taken from ``--pin-env``; it is not stored).
- ``saraban signing add-pkcs11 --person USER --module LIB.so --token LABEL --key LABEL``: a key on a
  PKCS#11 token or HSM slot.
- ``saraban signing add-seal --agency CODE --file SEAL.p12 --pin-ref env:NAME|file:/path``: an
  agency's seal key, held by the server (its PIN from the environment or a file).

The demo's TEST PKI and keys: ``saraban demo signing`` (part of what ``saraban demo`` does).
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saraban.kernel.errors import SarabanError


class Command(BaseCommand):
    help = "Signing keys (key files, PKCS#11 tokens, agency seals) and the signing configuration."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("check", help="show the trust, TSA, level and registered keys")
        kf = sub.add_parser("add-keyfile", help="register a person's PKCS#12 key file")
        kf.add_argument("--person", required=True, help="username")
        kf.add_argument("--file", required=True)
        kf.add_argument("--pin-env", default=None, help="read the PIN once from this environment variable")
        p11 = sub.add_parser("add-pkcs11", help="register a person's key on a PKCS#11 token")
        p11.add_argument("--person", required=True, help="username")
        p11.add_argument("--module", required=True, help="the PKCS#11 library (.so)")
        p11.add_argument("--token", required=True, help="token label")
        p11.add_argument("--key", required=True, help="key label")
        p11.add_argument("--cert", default="", help="certificate label (default: the key label)")
        p11.add_argument("--raw-ecdsa", action="store_true", help="hash in software (SoftHSM2 and similar)")
        p11.add_argument("--pin-env", default=None)
        seal = sub.add_parser("add-seal", help="register an agency's seal key (held by the server)")
        seal.add_argument("--agency", required=True, help="agency code")
        seal.add_argument("--file", required=True)
        seal.add_argument("--pin-ref", required=True, help="env:NAME or file:/path holding the PIN")

    def _pin(self, env: str | None) -> str:
        if env:
            value = os.environ.get(env)
            if value is None:
                raise CommandError(f"{env} is not set")
            return value
        return getpass.getpass("PIN / key password: ")

    def handle(self, *args: Any, **o: Any) -> None:
        from saraban.orgs.models import Agency, Person

        from ... import trust
        from ...actions.keys import register_key
        from ...models import KeyBackend, PinMode, SignerKey

        try:
            if o["what"] == "check":
                cfg = trust.config()
                self.stdout.write(f"time-stamping authority: {cfg.tsa or '(none: signatures get no trusted time)'}")
                self.stdout.write(f"level: PAdES {cfg.level}")
                for c in cfg.trust.trust_roots:
                    self.stdout.write(f"trust root: {c.subject.rfc4514_string()}")
                self.stdout.write(f"CRLs: {len(cfg.trust.crls)}" + ("  (TEST PKI)" if cfg.test_pki else ""))
                for k in SignerKey.objects.filter(active=True).select_related("person", "agency"):
                    owner = k.person.full_name_th if k.person else f"seal of {k.agency.code}"
                    test = "  TEST" if k.test else ""
                    self.stdout.write(f"key: {owner}: {k.backend} {k.subject} (until {k.not_after:%Y-%m-%d}){test}")
                return
            if o["what"] == "add-seal":
                agency = Agency.objects.filter(code=o["agency"]).first()
                if agency is None:
                    raise CommandError(f"no agency {o['agency']}")
                key = register_key(None, agency=agency, path=o["file"], pin_mode=PinMode.STORED,
                                   pin_ref=o["pin_ref"])
            else:
                person = Person.objects.filter(user__username=o["person"]).first()
                if person is None:
                    raise CommandError(f"no person with username {o['person']}")
                pin = self._pin(o.get("pin_env"))
                if o["what"] == "add-keyfile":
                    key = register_key(None, person=person, path=o["file"], pin=pin)
                else:
                    key = register_key(None, person=person, backend=KeyBackend.PKCS11, path=o["module"],
                                       pin=pin, token_label=o["token"], key_label=o["key"],
                                       cert_label=o["cert"], raw_mechanism=o["raw_ecdsa"])
        except SarabanError as exc:
            raise CommandError(f"[{exc.code}] {exc.message_en} / {exc.message_th}") from exc
        self.stdout.write(self.style.SUCCESS(f"registered: {key.subject} (until {key.not_after:%Y-%m-%d})"))
