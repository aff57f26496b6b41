"""What a system holds, in a form to compare before a backup and after a restore.

``python -m tests.storage.restored`` prints it as JSON for the system its environment names (``SARABAN_HOME``,
``DATABASE_URL``); the backup tests run it against the restored system.
"""

from __future__ import annotations

import json
import os
from typing import Any


def summary() -> dict[str, Any]:
    from saraban.audit.models import AuditEvent, AuditHead
    from saraban.letters.models import Letter, LetterFile
    from saraban.registry.models import RegisterEntry

    head = AuditHead.objects.filter(id=1).first()
    return {
        "letters": sorted([str(x.pk), x.subject, x.secrecy] for x in Letter.objects.all()),
        "files": sorted([str(f.pk), str(f.letter_id), f.role, f.blob.sha256, f.blob.encrypted]
                        for f in LetterFile.objects.select_related("blob")),
        "numbers": sorted([e.book.unit.code, e.book.kind, e.book.year_be, e.number, str(e.letter_id)]
                          for e in RegisterEntry.objects.select_related("book__unit")),
        "audit_head": [head.last_seq, head.last_hash] if head else [0, ""],
        "last_events": [[e.seq, e.action, e.prev_hash] for e in AuditEvent.objects.order_by("-seq")[:2]],
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saraban.settings")
    import django

    django.setup()
    print(json.dumps(summary(), ensure_ascii=False))
