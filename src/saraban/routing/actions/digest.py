"""The daily digest: a person's unsent notices gathered into one e-mail/LINE message."""

from __future__ import annotations

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.tasks import enqueue
from saraban.orgs.models import Person

from .. import errors
from ..models import Notification, NotifyPreference
from ..notify.delivery import deliver
from ..notify.service import build_digest, digest_due, outbound


@action("routing.digest")
def send_digest(person: Person) -> int:
    """Gather a digest person's unsent notices into one e-mail/LINE message (run daily by the worker)."""
    pref = NotifyPreference.objects.select_for_update().filter(person=person).first()
    if pref is None or pref.mode != NotifyPreference.Mode.DIGEST or not digest_due(pref, clock.now()):
        raise errors.DigestNotDue()
    items = list(Notification.objects.filter(person=person, digested_at__isnull=True).order_by("created_at"))
    pref.last_digest_on = clock.to_bkk(clock.now()).date()
    pref.save(update_fields=["last_digest_on"])
    if items:
        title, body = build_digest(person, items)
        for ob in outbound(person, pref, title, body, None):
            ob.save()
            enqueue(deliver, str(ob.pk))
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(digested_at=clock.now())
    audit.record("routing.digest", actor=None, obj=person, data={"count": len(items)})
    return len(items)
