"""Helpers for routing tests: a registered letter, targets."""

from __future__ import annotations

from typing import Any

from saraban.registry.actions import Upload, register_incoming
from saraban.registry.models import RegisterEntry
from saraban.registry.validation import IncomingMetadata
from tests.fixtures import make_pdf, meta, user

_variant = [100]


def registered(**over: Any) -> RegisterEntry:
    _variant[0] += 1
    who = over.pop("by", "registrar")
    m = meta(their_ref=f"นร 0105/{_variant[0]}", **over)
    return register_incoming(user(who), IncomingMetadata(**m), Upload(make_pdf(variant=_variant[0]), "in.pdf"))
