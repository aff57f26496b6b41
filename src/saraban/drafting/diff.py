"""What changed between two versions of a draft, as lines a reviewer can read."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from saraban.letterpress.content import Letter
from saraban.letterpress.fields import fields_for, form_values


def letter_lines(letter: Letter) -> list[str]:
    """The letter as labelled lines: each field, then the body's lines."""
    values = form_values(letter)
    lines: list[str] = []
    for f in fields_for(letter.kind):
        value = values.get(f.name, "")
        for n, part in enumerate(value.splitlines() or [""]):
            if part or n == 0:
                lines.append(f"{f.label_th}: {part}" if n == 0 else f"    {part}")
    lines.append("ข้อความ:")
    lines += [f"    {line}" for line in values["body"].splitlines() if line.strip()]
    names = [s.name for s in letter.all_signatories() if s.name]
    if names:
        lines.append("ผู้ลงนาม: " + ", ".join(names))
    return lines


def unified(old: Letter, new: Letter, *, old_label: str, new_label: str) -> str:
    """A unified diff of the two letters' lines (empty when nothing changed)."""
    return "\n".join(difflib.unified_diff(letter_lines(old), letter_lines(new), fromfile=old_label,
                                          tofile=new_label, lineterm="", n=1))


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "del", "ctx", "hunk"
    text: str


def parse(diff: str) -> list[DiffLine]:
    """A stored diff as lines for display."""
    out: list[DiffLine] = []
    for line in diff.splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            out.append(DiffLine("hunk", "…"))
        elif line.startswith("+"):
            out.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            out.append(DiffLine("del", line[1:]))
        else:
            out.append(DiffLine("ctx", line[1:]))
    return out
