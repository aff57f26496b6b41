"""Progress on the terminal for long storage commands (backup, restore, verify, rewrap)."""

from __future__ import annotations

import time
from typing import Any, Protocol


class Writable(Protocol):
    def write(self, text: str) -> Any: ...

LABELS = {"database": "ฐานข้อมูล/database", "blobs": "ไฟล์/blobs", "check": "ตรวจ/checking",
          "restore": "ทดลองกู้คืน/test restore", "verify": "ตรวจไฟล์/verifying", "rewrap": "ห่อกุญแจใหม่/rewrap"}


class Progress:
    """Prints ``stage done/total (MB)``: in place on a terminal, else a line every few seconds."""

    def __init__(self, out: Writable, every: float = 2.0) -> None:
        self.out, self.every = out, every
        isatty = getattr(out, "isatty", None)
        self.tty = bool(isatty and isatty())
        self._last = 0.0

    def __call__(self, stage: str, done: int, total: int, size: int = 0) -> None:
        now = time.monotonic()
        final = done >= total
        if not final and now - self._last < (0.2 if self.tty else self.every):
            return
        self._last = now
        pct = 100 * done // total if total else 100
        line = f"{LABELS.get(stage, stage)}: {done}/{total} ({pct}%)" + (f", {size / 1e6:.1f} MB" if size else "")
        if self.tty:
            self.out.write("\r" + line.ljust(70) + ("\n" if final else ""))
            getattr(self.out, "flush", lambda: None)()
        else:
            self.out.write(line + "\n")

    def step(self, stage: str, done: int, total: int) -> None:
        self(stage, done, total, 0)
