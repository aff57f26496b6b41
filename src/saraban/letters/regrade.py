"""A letter's secrecy class changed (by :mod:`saraban.records`' re-grading action): the letter row, its files'
encryption at rest, and the search index follow.  Not an action: the caller's action writes the audit event.

- Raised to ลับ / ลับมาก: every file not yet encrypted is stored again encrypted (same bytes, same SHA-256:
  the original stays bit-identical) and the file rows point at the encrypted copy; a plaintext copy that no
  other row still uses (an intake item, an e-mail, another letter) is deleted from the store.
- Lowered to ปกติ: the files *stay* encrypted.  Reading is the same either way; decrypting them again would
  write a new plaintext copy (which backups would then keep) for no gain, and a letter declassified today may
  be raised again.  ``SARABAN_ENCRYPT_ALL`` deployments encrypt everything anyway.
"""

from __future__ import annotations

from saraban.kernel.models import Secrecy
from saraban.storage import blobs

from .changes import touch
from .models import Letter, LetterFile


def set_secrecy(letter: Letter, secrecy: str) -> tuple[int, int]:
    """Give ``letter`` its new class; returns (files re-stored encrypted, plaintext copies still used elsewhere)."""
    Letter.objects.filter(pk=letter.pk).update(secrecy=secrecy)
    letter.secrecy = secrecy
    touch(letter.pk, at_once=True)  # the search index seals a classified letter's text (saraban.search)
    if secrecy == Secrecy.NORMAL:
        return 0, 0
    encrypted = left = 0
    for f in LetterFile.objects.filter(letter=letter, blob__encrypted=False).select_related("blob"):
        plain = f.blob
        staged = blobs.stage(blobs.read(plain), plain.content_type, encrypted=True)
        LetterFile.objects.filter(pk=f.pk).update(blob=blobs.record(staged))
        encrypted += 1
        if not blobs.drop_if_unreferenced(plain):
            left += 1
    return encrypted, left
