"""Letters to lend and re-grade: one ordinary, one ลับ and one ลับมาก, registered in กองกลาง's books."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures import make_pdf, meta, user


def person(username: str) -> Any:
    from saraban.orgs.models import Person

    return Person.objects.select_related("home_unit__agency").get(user__username=username)


@pytest.fixture
def letters(org: Any, clock: Any) -> dict[str, Any]:
    from saraban.registry.actions import Upload, register_incoming
    from saraban.registry.validation import IncomingMetadata

    normal = register_incoming(user("registrar"), IncomingMetadata(**meta(subject="ขอเชิญประชุมคณะทำงาน")),
                               Upload(make_pdf(), "a.pdf"))
    conf = register_incoming(user("secretary"), IncomingMetadata(**meta(
        secrecy="confidential", their_ref="ลับ/1", subject="แผนรักษาความปลอดภัยศูนย์ข้อมูล")),
        Upload(make_pdf(variant=3), "b.pdf"))
    secret = register_incoming(user("secretary"), IncomingMetadata(**meta(
        secrecy="secret", their_ref="ลับ/2", subject="รายงานข่าวกรองลับมาก")), Upload(make_pdf(variant=4), "c.pdf"))
    return {"normal": normal.letter, "confidential": conf.letter, "secret": secret.letter,
            "entries": {"normal": normal, "confidential": conf, "secret": secret}}
