"""Two real Saraban nodes linked by SBX: separate processes, separate databases, mutual TLS on loopback.

Node A hosts the demo ministry's agencies but กรมอุตุนิยมวิทยา; node B hosts กรมอุตุนิยมวิทยา.  Each node is
``saraban serve`` (gunicorn + task worker) plus ``saraban sbx serve`` (the SBX endpoint and outbox sender).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests import procs
from tests.live.conftest import Node, await_node, free_port, launch_node, stop_node

TMD = ("tmd",)


@dataclass
class SbxNode:
    name: str
    web: Node
    config: Path
    port: int
    env: dict[str, str]
    proc: subprocess.Popen | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def endpoint(self) -> str:
        return f"https://127.0.0.1:{self.port}/sbx/v1"

    def start_sbx(self, **extra: str) -> None:
        self.launch_sbx(**extra)
        self.await_sbx()

    def launch_sbx(self, **extra: str) -> None:
        env = {**self.env, **extra}
        log = open(self.web.home / f"sbx-{time.time():.0f}.log", "wb")  # noqa: SIM115 - closed with the process
        self.proc = procs.spawn([sys.executable, "-m", "saraban.cli", "sbx", "serve"], env=env, stdout=log,
                                stderr=subprocess.STDOUT)

    def await_sbx(self) -> None:
        """Until the endpoint accepts connections (it opens its port once loaded)."""
        assert self.proc is not None
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sbx process of node {self.name} exited")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("sbx endpoint did not start")

    def stop_sbx(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None:
            procs.kill_group(self.proc, sig=sig)  # the whole group, even if the leader is gone
        self.proc = None

    def token(self, username: str) -> str:
        if username not in self.tokens:
            self.tokens[username] = self.web.token(username)
        return self.tokens[username]

    def api(self, username: str) -> httpx.Client:
        return httpx.Client(base_url=f"{self.web.url}/api/v1", timeout=60,
                            headers={"Authorization": f"Bearer {self.token(username)}"})

    def cli(self, *args: str) -> Any:
        return json.loads(self.web.saraban("sbx", *args))


def start_pair(tmp: Path, fed: Path, agencies: list[dict[str, Any]], *,
               a_worker: bool = False, via: dict[str, str] | None = None) -> tuple[SbxNode, SbxNode]:
    """``via``: agencies of node B with no endpoint of their own, pulling from a mailbox node A keeps."""
    from saraban.demo import federation

    pa, pb = free_port(), free_port()
    b_codes = TMD
    a_codes = tuple(a["code"] for a in agencies if a["code"] not in b_codes)
    federation.create(fed, [federation.NodeSpec("a", a_codes, pa), federation.NodeSpec("b", b_codes, pb)], agencies,
                      via=via)
    nodes = []
    try:  # both nodes start side by side (2 cores): each step for both, then the next
        for name, port, worker in (("a", pa, a_worker), ("b", pb, True)):
            extra = {"SARABAN_SBX_CONFIG": str(fed / name / "node.toml"), "SARABAN_SBX_BACKOFF": "0.3,0.6,1,2",
                     "SARABAN_SBX_LEASE_SECONDS": "4", "SARABAN_LOG_LEVEL": "WARNING",
                     "SARABAN_SBX_PULL_SECONDS": "1"}
            web = launch_node(tmp, workers=2, worker=worker, extra_env=extra)
            nodes.append(SbxNode(name, web, fed / name / "node.toml", port, web.env))
        loads = [procs.spawn([sys.executable, "-m", "saraban.cli", "sbx", "directory", "load"], env=n.env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for n in nodes]
        for load in loads:
            out, _ = load.communicate(timeout=300)
            assert load.returncode == 0, out
            procs.kill_group(load)
        for n in nodes:
            await_node(n.web)
            n.launch_sbx()
        for n in nodes:
            n.await_sbx()
    except BaseException:
        stop_pair(*nodes)
        raise
    return nodes[0], nodes[1]


def stop_pair(*nodes: SbxNode) -> None:
    for n in nodes:
        n.stop_sbx()
        stop_node(n.web)


def wait_for(fn: Callable[[], Any], timeout: float = 60.0, every: float = 0.1, what: str = "") -> Any:
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what or fn}: last {last!r}")


def issue(a: SbxNode, subject: str, pdf: bytes, username: str = "registrar") -> dict[str, Any]:
    meta = {"addressee": "อธิบดีกรมอุตุนิยมวิทยา", "subject": subject, "urgency": "very_urgent"}
    with a.api(username) as c:
        r = c.post("/letters/outgoing", data={"metadata": json.dumps(meta, ensure_ascii=False)},
                   files={"file": ("letter.pdf", io.BytesIO(pdf), "application/pdf")})
    assert r.status_code == 201, r.text
    return r.json()


def dispatch(a: SbxNode, letter_id: str, recipients: list[str], username: str = "registrar", **extra: Any) -> list:
    with a.api(username) as c:
        r = c.post(f"/letters/{letter_id}/dispatch", json={"recipients": recipients, "channel": "sbx", **extra})
    assert r.status_code == 201, r.text
    return r.json()


def dispatch_status(a: SbxNode, letter_id: str, username: str = "registrar") -> list[dict[str, Any]]:
    with a.api(username) as c:
        r = c.get(f"/letters/{letter_id}/dispatch")
    assert r.status_code == 200, r.text
    return r.json()


def wait_status(a: SbxNode, letter_id: str, status: str, timeout: float = 60) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        rows = dispatch_status(a, letter_id)
        return rows[0] if rows and rows[0]["status"] == status else None

    return wait_for(check, timeout, 0.2, f"dispatch {status}")


def intake_items(b: SbxNode, subject: str, username: str = "tmd-registrar") -> list[dict[str, Any]]:
    with b.api(username) as c:
        r = c.get("/intake", params={"limit": 1000})
    assert r.status_code == 200, r.text
    return [i for i in r.json() if i["subject"] == subject]


# ---- acting as node A by hand (to send crafted messages) -------------------------------------------------

def tls_client(fed: Path, node: str) -> httpx.Client:
    pki = fed / "pki"
    trust = fed / node / "trust-all.pem"
    trust.write_bytes((pki / "root.crt").read_bytes() + (pki / "intermediate.crt").read_bytes())
    ctx = ssl.create_default_context(cafile=str(trust))
    ctx.load_cert_chain(str(pki / f"client-{node}.crt"), str(pki / f"client-{node}.key"))
    return httpx.Client(verify=ctx, timeout=30)


def anonymous_tls_client(fed: Path) -> httpx.Client:
    pki = fed / "pki"
    ctx = ssl.create_default_context(cafile=str(pki / "root.crt"))
    ctx.load_verify_locations(str(pki / "intermediate.crt"))
    return httpx.Client(verify=ctx, timeout=30)


def crafted(fed: Path, *, sender: str = "mdes-ops", recipient: str = "tmd", pdf: bytes,
            message_id: Any = None, created_at: dt.datetime | None = None, expires_in: dt.timedelta | None = None,
            spec: str = "sbx/1.0", subject: str = "ข้อความทดสอบ") -> tuple[bytes, bytes, bytes, Any]:
    """(envelope, signature, payload, message id) of a letter from ``sender`` sealed with its TEST seal."""
    from cryptography import x509

    from saraban.demo import federation
    from saraban.exchange import cades, envelope, package
    from saraban.exchange.cades import SealKey, load_private_key
    from saraban.kernel import clock
    from saraban.kernel.ids import uuid7

    pki = fed / "pki"
    seal = SealKey(x509.load_pem_x509_certificate((pki / f"seal-{sender}.crt").read_bytes()),
                   load_private_key((pki / f"seal-{sender}.key").read_bytes()),
                   (x509.load_pem_x509_certificate((pki / "intermediate.crt").read_bytes()),))
    org = f"th-org:{federation.DEMO_ORGS[sender]}"
    to = f"th-org:{federation.DEMO_ORGS[recipient]}"
    letter_uuid = uuid7()
    import hashlib

    meta = {
        "letter_uuid": str(letter_uuid), "letter_no": "ดศ 0201/9999", "letter_date": clock.today().isoformat(),
        "letter_kind": "external", "subject": subject, "secrecy": {"code": "001", "label": "ปกติ"},
        "urgency": {"code": "001", "label": "ปกติ"}, "sender": {"org": org, "unit": "กองกลาง"},
        "addressees": [{"org": to, "role": "to"}], "send_date": clock.today().isoformat(),
        "main_document": {"path": "documents/letter.pdf", "media_type": "application/pdf",
                          "sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf), "pages": 1},
    }
    payload = package.build(meta, [package.FilePart("documents/letter.pdf", pdf)], seal)
    now = created_at or clock.now()
    mid = message_id or uuid7()
    env = envelope.build(message_id=mid, kind="letter", letter_uuid=letter_uuid, sender_org=org, recipient_org=to,
                         urgency="normal", secrecy="normal", created_at=now,
                         expires_at=now + (expires_in or dt.timedelta(hours=1)),
                         payload={"media_type": "application/vnd.etsi.asic-e+zip", "size": len(payload),
                                  "sha256": hashlib.sha256(payload).hexdigest(), "encrypted": False})
    if spec != "sbx/1.0":
        env = env.replace(b'"spec":"sbx/1.0"', f'"spec":"{spec}"'.encode())
    return env, cades.sign(env, seal), payload, mid


def post(client: httpx.Client, url: str, env: bytes, sig: bytes, payload: bytes | None) -> httpx.Response:
    from saraban.exchange import wire

    ctype, body = wire.encode_message(wire.Message(env, sig, payload))
    return client.post(url, content=body, headers={"Content-Type": ctype})
