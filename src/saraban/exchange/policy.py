"""Who may use the exchange between systems (SBX).

A letter's dispatches are seen with the letter (:func:`saraban.letters.policy.can_view_letter`).  Sending
it, recalling it and recording a fallback are for those who may issue numbers in its unit, at its secrecy
level, and for those it was given to send (:data:`saraban.letters.records.DISPATCH_GRANT`: the drafter, the
typist and the signers of a letter drafted here).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from saraban.access.principal import Principal
from saraban.kernel.models import SECRECY_LEVEL, Secrecy
from saraban.letters.models import Letter, LetterAccess
from saraban.letters.policy import can_view_letter, visible_letters_q
from saraban.letters.records import DISPATCH_GRANT
from saraban.orgs.models import Role
from saraban.registry.policy import can_register_in


def may_send_as_participant(p: Principal, letter: Letter) -> bool:
    """The drafter, typist or a signer of the letter (given it to send when it was signed)."""
    if not p.person_id:
        return False
    return LetterAccess.objects.filter(letter=letter, person_id=p.person_id, reason=DISPATCH_GRANT).exists()


def can_dispatch(p: Principal, letter: Letter) -> bool:
    if not can_view_letter(p, letter):
        return False
    return can_register_in(p, letter.unit_id, letter.secrecy) or may_send_as_participant(p, letter)


def dispatchable_q(p: Principal) -> Q:
    """Letters ``p`` may send (the filter that agrees with :func:`can_dispatch`)."""
    if p.is_anonymous:
        return Q(pk__in=[])
    levels = [s for s in Secrecy.values if SECRECY_LEVEL[Secrecy(s)] <= p.clearance]
    registrar = Q(unit_id__in=p.units(Role.REGISTRAR, Role.SECRET_REGISTRAR), secrecy=Secrecy.NORMAL) | Q(
        unit_id__in=p.units(Role.SECRET_REGISTRAR), secrecy__in=[s for s in levels if s != Secrecy.NORMAL])
    participant = Q(Exists(LetterAccess.objects.filter(letter=OuterRef("pk"), person_id=p.person_id,
                                                       reason=DISPATCH_GRANT))) if p.person_id else Q(pk__in=[])
    return visible_letters_q(p) & (registrar | participant)


def can_admin_exchange(p: Principal) -> bool:
    """The participant directory and the outbox/inbox screens: administrators."""
    return not p.is_anonymous and (p.is_superuser or bool(p.units(Role.ADMIN)))


def can_view_exchange_dashboard(p: Principal) -> bool:
    """The ministry's linking dashboard: administrators and executives."""
    return not p.is_anonymous and (p.is_superuser or bool(p.units(Role.ADMIN, Role.EXECUTIVE)))
