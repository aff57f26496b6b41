"""deploy/nginx/saraban.conf as shipped: `nginx -t` accepts it, and real requests through a running nginx reach
the real SBX endpoint (``make_app(behind_proxy=True)``): a client certificate listed for a participant is
authenticated, one from an unknown CA or none is not, and a client cannot smuggle its own certificate header;
the web site fails over between two web servers and keeps /metrics to itself."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.db import connection

from saraban.exchange.models import Participant
from tests import procs

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "nginx" / "saraban.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.live


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cert(name: str, issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None, *, ca: bool = False,
         dns: str = "") -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer[0].subject if issuer else subject)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if dns:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(dns)]), critical=False)
    return b.sign(issuer[1] if issuer else key, hashes.SHA256()), key


def write(path: Path, pair: tuple[x509.Certificate, ec.EllipticCurvePrivateKey]) -> tuple[str, str]:
    path.with_suffix(".crt").write_bytes(pair[0].public_bytes(serialization.Encoding.PEM))
    path.with_suffix(".key").write_bytes(pair[1].private_bytes(serialization.Encoding.PEM,
                                                               serialization.PrivateFormat.PKCS8,
                                                               serialization.NoEncryption()))
    return str(path.with_suffix(".crt")), str(path.with_suffix(".key"))


class Echo(BaseHTTPRequestHandler):
    """A stand-in web server: says who it is and which headers reached it."""

    def do_GET(self) -> None:
        body = json.dumps({"server": self.server.server_port, "sbx_header": self.headers.get("X-SBX-Client-Cert"),
                           "proto": self.headers.get("X-Forwarded-Proto")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def sbx_backend(port: int) -> Callable[[], None]:
    """The real SBX endpoint in proxy mode, on loopback, in a thread; returns what stops it (and waits)."""
    from aiohttp import web

    from saraban.exchange.sbx.server import make_app

    stop = threading.Event()

    def run() -> None:
        loop = asyncio.new_event_loop()
        pool = ThreadPoolExecutor(4)
        runner = web.AppRunner(make_app(pool, behind_proxy=True))
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
        while not stop.is_set():
            loop.run_until_complete(asyncio.sleep(0.05))
        loop.run_until_complete(runner.cleanup())
        # each pool thread closes the database connection it kept (CONN_MAX_AGE): one job per thread, held at a
        # barrier so no thread takes two; else the test database cannot be dropped at the end of the session
        everyone = threading.Barrier(4)
        for _ in range(4):
            pool.submit(lambda: (everyone.wait(timeout=30), connection.close()))
        pool.shutdown(wait=True)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def stopped() -> None:
        stop.set()
        thread.join(timeout=60)

    return stopped


@pytest.fixture
def site() -> Iterator[dict]:
    work = Path(tempfile.mkdtemp(prefix="saraban-nginx-"))
    os.chmod(work, 0o755)
    tls = work / "tls"
    tls.mkdir()
    root = cert("Federation TEST root", None, ca=True)
    rogue_root = cert("Rogue root", None, ca=True)
    write(tls / "root", root)
    (tls / "sbx-trust.pem").write_bytes(root[0].public_bytes(serialization.Encoding.PEM))
    server = cert("localhost", root, dns="localhost")
    write(tls / "web", server)
    write(tls / "server", server)
    ports = {k: free_port() for k in ("http", "https", "sbx", "web1", "web2", "sbx_app")}
    text = CONF.read_text()
    for old, new in (("/etc/saraban/tls/", f"{tls}/"), ("/var/log/nginx/", f"{work}/"),
                     ("127.0.0.1:8000", f"127.0.0.1:{ports['web1']}"), ("127.0.0.1:8001", f"127.0.0.1:{ports['web2']}"),
                     ("127.0.0.1:8444", f"127.0.0.1:{ports['sbx_app']}"), ("listen 80;", f"listen {ports['http']};"),
                     ("listen 443 ", f"listen {ports['https']} "), ("listen 8443 ", f"listen {ports['sbx']} ")):
        assert old in text, old
        text = text.replace(old, new)
    text = "\n".join(line for line in text.splitlines() if "listen [::]" not in line)  # no IPv6 in CI sandboxes
    (work / "saraban.conf").write_text(text)
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / d).mkdir(mode=0o777)
        os.chmod(work / d, 0o777)
    main = work / "nginx.conf"
    main.write_text(f"""daemon off; worker_processes 1; pid {work}/nginx.pid; error_log {work}/error.log warn;
{"user root;" if os.getuid() == 0 else ""}
events {{ worker_connections 64; }}
http {{ client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fastcgi;
       uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi; access_log off;
       include {work}/saraban.conf; }}
""")
    clients = {"good": cert("node-a client", root), "rogue": cert("node-a client", rogue_root)}
    paths = {name: write(tls / f"client-{name}", pair) for name, pair in clients.items()}
    yield {"work": work, "main": main, "ports": ports, "root": str(tls / "root.crt"), "clients": clients,
           "paths": paths}
    shutil.rmtree(work, ignore_errors=True)


def test_nginx_accepts_the_shipped_configuration(site: dict) -> None:
    out = subprocess.run([NGINX, "-t", "-c", str(site["main"])], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "syntax is ok" in out.stderr and "test is successful" in out.stderr


@pytest.mark.usefixtures("committed_db")  # flushed afterwards; tests/conftest.py puts the holidays back
def test_mutual_tls_through_nginx_reaches_the_sbx_endpoint(site: dict) -> None:
    good = site["clients"]["good"][0]
    sha = good.fingerprint(hashes.SHA256()).hex()
    Participant.objects.create(code="node-a", org="th-org:000001", name_th="หน่วยงานทดสอบ", serial=1,
                               tls_cert_sha256=[sha])
    ports = site["ports"]
    webs = [ThreadingHTTPServer(("127.0.0.1", ports[k]), Echo) for k in ("web1", "web2")]
    for w in webs:
        threading.Thread(target=w.serve_forever, daemon=True).start()
    stop_sbx = sbx_backend(ports["sbx_app"])
    nginx = procs.spawn([NGINX, "-c", str(site["main"])], stderr=subprocess.PIPE)
    try:
        wait_port(ports["sbx"], nginx)
        status_url = f"https://localhost:{ports['sbx']}/sbx/v1/messages/0190e3c1-7b2a-7c4e-8000-000000000001/status"

        def get(client: str | None, **headers: str) -> httpx.Response:
            ctx = ssl.create_default_context(cafile=site["root"])
            if client:
                ctx.load_cert_chain(*site["paths"][client])
            with httpx.Client(verify=ctx, timeout=10) as c:
                return c.get(status_url, headers=headers)

        # a listed certificate is authenticated: the message is simply unknown here
        r = get("good")
        assert (r.status_code, r.json()["code"]) == (404, "NOT_FOUND"), r.text
        # a certificate nginx did not verify, no certificate, or a forged header: not authenticated
        for who, headers in (("rogue", {}), (None, {}),
                             (None, {"X-SBX-Client-Cert": quote(good.public_bytes(serialization.Encoding.PEM))})):
            r = get(who, **headers)
            assert (r.status_code, r.json()["code"]) == (401, "SENDER_NOT_AUTHENTICATED"), (who, r.text)

        # the web site: TLS, forwarded proto, no SBX header reaches it, fail-over to the other server
        ctx = ssl.create_default_context(cafile=site["root"])
        with httpx.Client(verify=ctx, timeout=10) as c:
            url = f"https://localhost:{ports['https']}"
            seen = {c.get(f"{url}/login/", headers={"X-SBX-Client-Cert": "forged"}).json()["server"]
                    for _ in range(6)}
            assert seen == {ports["web1"], ports["web2"]}
            body = c.get(f"{url}/login/", headers={"X-SBX-Client-Cert": "forged"}).json()
            assert body["sbx_header"] in (None, "") and body["proto"] == "https"
            assert c.get(f"{url}/metrics").status_code == 403
            webs[0].shutdown()
            webs[0].server_close()
            assert {c.get(f"{url}/login/").json()["server"] for _ in range(4)} == {ports["web2"]}
            assert httpx.get(f"http://127.0.0.1:{ports['http']}/x").status_code == 301
    finally:
        procs.kill_group(nginx, timeout=10)  # the master and its worker processes
        stop_sbx()
        for w in webs:
            w.server_close()
    log = (site["work"] / "saraban.sbx.log").read_text()
    assert "/sbx/v1/messages/" in log and "?" not in log


def wait_port(port: int, proc: subprocess.Popen, timeout: float = 15) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def test_the_web_servers_keep_an_idle_connection_longer_than_nginx_does() -> None:
    """nginx reuses an idle upstream connection for up to its ``keepalive_timeout``; a web server that closed
    it first would reset a request sent on it just then, and nginx does not retry a POST."""
    import re

    from saraban.ops.server import options

    for conf in (CONF, CONF.with_name("compose.conf")):
        web = re.search(r"upstream saraban_web \{(.*?)\}", conf.read_text(), re.S)
        assert web, conf
        nginx = re.search(r"keepalive_timeout (\d+)s;", web.group(1))
        assert nginx, f"{conf.name}: the upstream's keepalive_timeout is set, not left to nginx's default"
        assert options("127.0.0.1", 8000, 1, 8)["keepalive"] > int(nginx.group(1)), conf.name
