"""Real mail servers on loopback for the tests: a private Dovecot (IMAPS) and TLS material from the test PKI."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from saraban.signing.pki import TestPKI
from tests import procs
from tests.live.conftest import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


@dataclass(frozen=True)
class Tls:
    ca_file: Path
    cert_file: Path  # the server certificate with its chain
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert_file, self.key_file)
        return ctx

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))


def make_tls(directory: Path) -> Tls:
    pki = TestPKI.create(directory / "pki")
    server = pki.issue_server("localhost")
    from cryptography.hazmat.primitives import serialization

    chain = server.cert_pem() + b"".join(c.public_bytes(serialization.Encoding.PEM) for c in server.chain[:-1])
    (directory / "server.pem").write_bytes(chain)
    (directory / "server.key").write_bytes(server.key_pem())
    (directory / "ca.pem").write_bytes(pki.root.cert.public_bytes(serialization.Encoding.PEM))
    return Tls(directory / "ca.pem", directory / "server.pem", directory / "server.key")


CONF = """
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
info_log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain
first_valid_uid = 1
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {d}/passwd
}}
"""


@dataclass
class Dovecot:
    port: int
    directory: Path
    tls: Tls
    user: str = "saraban"
    password: str = "รหัส-ทดสอบ-imap"
    proc: subprocess.Popen | None = None

    def connect(self) -> imaplib.IMAP4_SSL:
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=self.tls.client_context(), timeout=30)
        from saraban.mail.transport.imap import login

        login(conn, self.user, self.password)
        return conn

    def deliver(self, *raws: bytes, folder: str = "INBOX") -> None:
        """Put messages in the mailbox as a mail server would (IMAP APPEND)."""
        conn = self.connect()
        try:
            for raw in raws:
                typ, data = conn.append(folder, None, None, raw)
                assert typ == "OK", data
        finally:
            conn.logout()

    def keywords(self) -> dict[int, str]:
        conn = self.connect()
        try:
            conn.select("INBOX")
            _, data = conn.uid("FETCH", "1:*", "(FLAGS)")
            out = {}
            for line in data:
                text = line.decode() if isinstance(line, bytes) else ""
                if "UID" in text:
                    uid = int(text.split("UID ")[1].split()[0].rstrip(")"))
                    out[uid] = text
            return out
        finally:
            conn.logout()

    def stop(self) -> None:
        if self.proc is not None:
            subprocess.run([DOVECOT, "-c", str(self.directory / "dovecot.conf"), "stop"], capture_output=True,
                           timeout=30)
            procs.kill_group(self.proc, timeout=10)  # whatever of its process group is left
            self.proc = None
        shutil.rmtree(self.directory, ignore_errors=True)


def start_dovecot(tls: Tls) -> Dovecot:
    """A private Dovecot (its own config, run and mail directories) serving IMAPS on a free loopback port.

    Its directory is made directly under the temporary directory: Dovecot's unprivileged processes must be
    able to reach it, and pytest's own temporary directories are closed to other users."""
    directory = Path(tempfile.mkdtemp(prefix="saraban-dovecot-"))
    for sub in ("run", "state", "home"):
        (directory / sub).mkdir(exist_ok=True)
    owner = pwd.getpwnam("nobody") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
    login = pwd.getpwnam("dovenull").pw_name if os.geteuid() == 0 else owner.pw_name
    d = Dovecot(free_port(), directory, tls)
    home = directory / "home" / d.user
    home.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        os.chown(home, owner.pw_uid, owner.pw_gid)
        os.chmod(directory, 0o755)
        os.chmod(directory / "home", 0o755)
    (directory / "passwd").write_text(
        f"{d.user}:{{PLAIN}}{d.password}:{owner.pw_uid}:{owner.pw_gid}::{home}::\n", encoding="utf-8")
    conf = directory / "dovecot.conf"
    conf.write_text(CONF.format(d=directory, cert=tls.cert_file, key=tls.key_file, port=d.port, user=login,
                                group=login), encoding="utf-8")
    d.proc = procs.spawn([DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            d.connect().logout()
            return d
        except (OSError, imaplib.IMAP4.error):
            if d.proc.poll() is not None:
                raise RuntimeError("dovecot did not start: " + (d.proc.stderr.read().decode() if d.proc.stderr else "")
                                   + _log(directory)) from None
            time.sleep(0.2)
    d.stop()
    raise RuntimeError("dovecot did not answer: " + _log(directory))


def _log(directory: Path) -> str:
    p = directory / "dovecot.log"
    return p.read_text(errors="replace")[-3000:] if p.exists() else ""
