"""Central mailbox intake: mails per second from a real SMTP client to queued items, and memory for a 20 MB mail.

    .venv/bin/python bench/bench_mail.py [--mails 200] [--connections 2] [--pg]

Starts ``saraban mail smtpd`` as its own process in a fresh data directory (SQLite, or a private PostgreSQL
with ``--pg``), loads the demo organisation, then sends ``--mails`` letters (Thai subject, a one-page PDF and
a Thai-named enclosure) over ``--connections`` SMTP connections with smtplib.  The clock runs from the first
MAIL FROM until the last message is a queued intake item (kept, examined, in the queue).  Then one mail of
about 20 MB is sent and the receiver's peak resident memory (VmHWM) is read before and after.  The machine's
load average is printed with the figures (the machine is shared), and so is the CPU time the receiver
process used per mail, which does not depend on the load.
"""

from __future__ import annotations

import argparse
import io
import os
import smtplib
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from email import policy
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._node import Postgres, free_port  # noqa: E402

OPS = "saraban@ops.mdes.test"


def _pdf(text: str, pad: int = 0) -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    content = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode()
    pdf.pages[0].Contents = pdf.make_stream(content)
    if pad:
        pdf.Root.Padding = pdf.make_stream(os.urandom(pad))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def mail(i: int, *, pad: int = 0) -> bytes:
    m = EmailMessage(policy=policy.SMTP)
    m["From"] = "กรมอุตุนิยมวิทยา <saraban@tmd.mdes.test>"
    m["To"] = OPS
    m["Subject"] = f"ที่ ดศ 0301/{i} ลงวันที่ 5 มกราคม 2569 เรื่อง ขอเชิญประชุมคณะทำงานครั้งที่ {i}"
    m["Message-ID"] = f"<bench-{i}-{os.getpid()}@tmd.mdes.test>"
    m.set_content(f"เรียน ปลัดกระทรวง\n\nส่งหนังสือฉบับที่ {i} มาเพื่อโปรดพิจารณา\n")
    m.add_attachment(_pdf(f"letter {i}", pad), maintype="application", subtype="pdf", filename=f"หนังสือ {i}.pdf")
    m.add_attachment(_pdf(f"enclosure {i}"), maintype="application", subtype="pdf", filename="สิ่งที่ส่งมาด้วย 1.pdf")
    return m.as_bytes()


class Receiver:
    def __init__(self, pg: Postgres | None) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="saraban-bench-mail-"))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SARABAN_")}
        self.env.update(SARABAN_HOME=str(self.home), SARABAN_MAIL_MAX_MB="30", SARABAN_LOG_LEVEL="WARNING")
        self.env.pop("DATABASE_URL", None)
        self.db_url = pg.new_database() if pg else ""
        if self.db_url:
            self.env["DATABASE_URL"] = self.db_url
        self.port = free_port()
        self.run("migrate", "-v", "0")
        self.run("loadorg")
        self.proc = subprocess.Popen([sys.executable, "-m", "saraban.cli", "mail", "smtpd", "--port", str(self.port)],
                                     env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert "SMTP receiver" in line, line

    def run(self, *args: str) -> str:
        return subprocess.run([sys.executable, "-m", "saraban.cli", *args], env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def queued(self) -> int:
        sql = "SELECT count(*) FROM mail_mailmessage WHERE status IN ('queued', 'quarantined')"
        if self.db_url:
            import psycopg

            with psycopg.connect(self.db_url) as conn:
                return conn.execute(sql).fetchone()[0]  # type: ignore[index]
        with sqlite3.connect(f"file:{self.home / 'saraban.sqlite3'}?mode=ro", uri=True, timeout=30) as conn:
            return conn.execute(sql).fetchone()[0]

    def hwm_kb(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    def cpu_seconds(self) -> float:
        """CPU time the receiver process has used (user + system): what the work costs whatever the load."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


def send(port: int, mails: list[bytes]) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=120) as s:
        for raw in mails:
            s.sendmail("saraban@tmd.mdes.test", [OPS], raw)


def wait_for(r: Receiver, n: int, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while r.queued() < n:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {r.queued()} of {n} queued after {timeout} s")
        time.sleep(0.05)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mails", type=int, default=200)
    ap.add_argument("--connections", type=int, default=2)
    ap.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    args = ap.parse_args()
    from bench._context import print_context

    print_context("bench_mail")
    pg = Postgres() if args.pg else None
    r = Receiver(pg)
    try:
        warm = [mail(0)]
        send(r.port, warm)
        wait_for(r, 1)
        mails = [mail(i) for i in range(1, args.mails + 1)]
        size = sum(len(m) for m in mails) / len(mails)
        load_before = os.getloadavg()
        cpu0 = r.cpu_seconds()
        chunks = [mails[i::args.connections] for i in range(args.connections)]
        t0 = time.monotonic()
        threads = [threading.Thread(target=send, args=(r.port, c)) for c in chunks]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        t_sent = time.monotonic() - t0
        wait_for(r, args.mails + 1)
        elapsed = time.monotonic() - t0
        cpu = r.cpu_seconds() - cpu0
        load_after = os.getloadavg()
        big = mail(10_000, pad=14_600_000)
        hwm_before = r.hwm_kb()
        t1 = time.monotonic()
        send(r.port, [big])
        wait_for(r, args.mails + 2)
        big_s = time.monotonic() - t1
        hwm_after = r.hwm_kb()
        db = "PostgreSQL" if args.pg else "SQLite"
        print(f"\nSaraban central mailbox intake — {args.mails} mails of {size / 1024:.0f} KB over "
              f"{args.connections} SMTP connections, {db}, {os.cpu_count()} cores")
        print(f"  load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f}")
        print(f"  accepted by SMTP (250):    {args.mails / t_sent:6.1f} mails/s")
        print(f"  queued items:              {args.mails / elapsed:6.1f} mails/s  ({elapsed:.1f} s for {args.mails})")
        print(f"  receiver CPU per mail:     {cpu / args.mails * 1000:6.1f} ms  (≈ {args.mails / cpu:.0f} mails/s "
              "for one unloaded core; the database's and the disk's work not included)")
        print(f"  one {len(big) / 1048576:.1f} MB mail: queued in {big_s:.1f} s; receiver peak RSS "
              f"{hwm_before / 1024:.0f} MB → {hwm_after / 1024:.0f} MB (+{(hwm_after - hwm_before) / 1024:.0f} MB)")
    finally:
        r.stop()
        if pg is not None:
            pg.stop()


if __name__ == "__main__":
    main()
