"""What signing one draft needs and produces, shared by the signing flow and the actions that keep its
result (:mod:`saraban.drafting.actions.signing`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from saraban.kernel.models import Secrecy as ModelSecrecy
from saraban.letterpress.content import Letter as LetterContent
from saraban.letterpress.render import RenderedLetter
from saraban.registry import issuing
from saraban.signing.pades import SignedLetter
from saraban.signing.signers import KeySource
from saraban.storage import blobs

from .build import SignerSpec
from .models import Draft


@dataclass(frozen=True)
class OpenedKey:
    """A signer's key, found and unlocked (PIN), with the certificate it must hold."""

    spec: SignerSpec | None
    """The signer (``None``: the agency seal standing in for typed names)."""
    source: KeySource
    expected: Any
    description: str


@dataclass(frozen=True)
class Job:
    """What signing one draft needs, gathered and checked before anything is signed."""

    draft: Draft
    content: LetterContent
    signers: list[SignerSpec]
    opened: list[OpenedKey]
    base_url: str
    book: str | None
    signers_data: list[dict[str, Any]]


@dataclass(frozen=True)
class Signed:
    """One signing's result: the number and date printed, the signed letter and its file copy."""

    planned: issuing.Planned | None
    day: dt.date
    letter: LetterContent
    signed: SignedLetter
    file_copy: RenderedLetter
    token: str


def stage(job: Job, result: Signed) -> tuple[blobs.Staged, blobs.Staged]:
    """Write the signed letter and its file copy to the blob store (encrypted if classified), before the
    transaction that keeps them."""
    encrypted = job.draft.secrecy != ModelSecrecy.NORMAL
    return (blobs.stage(result.signed.pdf, "application/pdf", encrypted=encrypted),
            blobs.stage(result.file_copy.pdf, "application/pdf", encrypted=encrypted))
