"""Editing the file plan (แผนแฟ้ม) as data, and importing/exporting it as a file (CSV or JSON)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from typing import Any

from saraban.audit import log as audit
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.orgs.models import Agency

from .. import retention as rt
from ..errors import BadFilePlan, PermissionDenied
from ..models import FileCode
from ..policy import is_keeper

FIELDS = ("code", "parent", "title_th", "title_en", "retention", "special_years", "special_law", "basis")


@dataclass
class CodeRow:
    code: str
    title_th: str
    parent: str = ""
    title_en: str = ""
    retention: str = "10y"
    special_years: int | None = None
    special_law: str = ""
    basis: str = ""


def _check(row: CodeRow) -> None:
    if not row.code.strip() or not row.title_th.strip():
        raise BadFilePlan("ต้องมีรหัสแฟ้มและชื่อแฟ้ม", "A file code needs a code and a title", details={"code": row.code})
    if row.retention not in rt.YEARS:
        raise BadFilePlan(f"อายุการเก็บ {row.retention!r} ไม่ถูกต้อง", f"Unknown retention class {row.retention!r}",
                          details={"code": row.code})
    if row.retention == "special" and not row.special_law.strip():
        raise BadFilePlan("อายุการเก็บตามกฎหมายเฉพาะต้องระบุกฎหมาย", "A special-law class must name the law",
                          details={"code": row.code})
    if rt.shortens(row.retention, "10y", row.special_years) and not row.basis.strip():
        raise BadFilePlan("อายุการเก็บต่ำกว่า 10 ปีต้องระบุเหตุตามข้อ 57 (เช่น เรื่องธรรมดาที่ทำเป็นประจำ)",
                          "A class under 10 years must state its basis under ข้อ 57 (e.g. routine matters)",
                          code="retention_shortened", details={"code": row.code})


def _apply(agency: Agency, rows: list[CodeRow]) -> tuple[int, int]:
    codes = [r.code for r in rows]
    if len(set(codes)) != len(codes):
        raise BadFilePlan("รหัสแฟ้มซ้ำกันในไฟล์", "Duplicate file codes in the file")
    known = {c.code: c for c in FileCode.objects.filter(agency=agency)}
    created = updated = 0
    for order, r in enumerate(rows):
        _check(r)
        values = {"title_th": r.title_th, "title_en": r.title_en, "retention": r.retention,
                  "special_years": r.special_years, "special_law": r.special_law, "basis": r.basis,
                  "sort_order": order, "active": True}
        fc = known.get(r.code)
        if fc is None:
            known[r.code] = FileCode.objects.create(agency=agency, code=r.code, **values)
            created += 1
        else:
            FileCode.objects.filter(pk=fc.pk).update(**values)
            updated += 1
    for r in rows:  # parents after every code exists, so a file may list children before parents
        parent = known.get(r.parent) if r.parent else None
        if r.parent and parent is None:
            raise BadFilePlan(f"ไม่พบรหัสแฟ้มแม่ {r.parent}", f"Unknown parent code {r.parent}", details={"code": r.code})
        FileCode.objects.filter(pk=known[r.code].pk).update(parent=parent)
    _no_cycles(agency)
    return created, updated


def _no_cycles(agency: Agency) -> None:
    parent = dict(FileCode.objects.filter(agency=agency).values_list("id", "parent_id"))
    for start in parent:
        seen: set[Any] = set()
        node: Any = start
        while node is not None:
            if node in seen:
                raise BadFilePlan("แผนแฟ้มวนกลับหากัน", "The file plan has a cycle")
            seen.add(node)
            node = parent.get(node)


@action("records.save_file_codes")
def save_file_codes(actor: Actor, agency: Agency, rows: list[CodeRow], *, source: str = "form") -> dict[str, int]:
    """Create or update file codes (by code) of ``agency``'s file plan; codes not named stay as they are."""
    if not is_keeper(actor, agency):
        raise PermissionDenied()
    created, updated = _apply(agency, rows)
    audit.record("records.save_file_codes", actor=actor, obj=agency, data={
        "source": source, "created": created, "updated": updated, "codes": [r.code for r in rows][:200]})
    return {"created": created, "updated": updated}


def parse(data: bytes, filename: str = "") -> list[CodeRow]:
    """Rows of a file plan file: JSON (a list of objects) or CSV with a header row of :data:`FIELDS`."""
    text = data.decode("utf-8-sig")
    try:
        if filename.lower().endswith(".json") or text.lstrip().startswith("["):
            items: list[dict[str, Any]] = json.loads(text)
        else:
            items = list(csv.DictReader(io.StringIO(text)))
        rows = []
        for item in items:
            text_of = {k: str(item.get(k) or "").strip() for k in FIELDS}
            years = text_of.pop("special_years")
            text_of["retention"] = text_of["retention"] or "10y"
            rows.append(CodeRow(**text_of, special_years=int(years) if years else None))
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise BadFilePlan("อ่านไฟล์แผนแฟ้มไม่ได้", "The file plan file cannot be read",
                          details={"error": str(exc)[:200]}) from None
    return rows


def rows_of(agency: Agency) -> list[CodeRow]:
    out = []
    for fc in FileCode.objects.filter(agency=agency).select_related("parent"):
        out.append(CodeRow(code=fc.code, title_th=fc.title_th, parent=fc.parent.code if fc.parent else "",
                           title_en=fc.title_en, retention=fc.retention, special_years=fc.special_years,
                           special_law=fc.special_law, basis=fc.basis))
    return out


def export(agency: Agency, fmt: str = "csv") -> bytes:
    rows = rows_of(agency)
    if fmt == "json":
        return json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1).encode()
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(FIELDS))
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in asdict(r).items()})
    return ("\ufeff" + out.getvalue()).encode()
