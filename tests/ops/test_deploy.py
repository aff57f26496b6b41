"""deploy/ stays true: the compose file parses and refers to what exists, the compose nginx file is the tested
one with the compose upstreams, the systemd units pass `systemd-analyze verify`, and the commands they run
accept the options they are given.  (Containers cannot run on the project's machines: the compose file is
checked, not started.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.ops.test_environment import read_by_code

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_file_parses_and_refers_to_what_exists() -> None:
    c = compose()
    assert set(c["services"]) == {"postgres", "s3", "migrate", "web", "worker", "sbx", "nginx"}
    assert set(c["volumes"]) == {"postgres-data", "s3-data", "saraban-home"}
    for name, svc in c["services"].items():
        for dep in svc.get("depends_on", {}):
            assert dep in c["services"], (name, dep)
        for vol in svc.get("volumes", []):
            src = vol.split(":")[0]
            assert src in c["volumes"] or (DEPLOY / src).exists() or src == "./tls", (name, vol)
    build = c["services"]["web"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    env = c["services"]["web"]["environment"]
    known = read_by_code()
    for key in env:
        if key.startswith("SARABAN_"):  # the S3 settings arrive with the S3 blob store (issue 15, storage)
            assert key in known or key.startswith("SARABAN_S3_"), key
    assert "127.0.0.1" in env["SARABAN_ALLOWED_HOSTS"]  # the health checks call the web server by address
    assert c["services"]["sbx"]["network_mode"] == "service:nginx"  # the proxy header is trusted on loopback only
    assert "--behind-proxy" in c["services"]["sbx"]["command"]


def test_compose_nginx_file_is_the_tested_one_with_compose_upstreams() -> None:
    tested = (DEPLOY / "nginx" / "saraban.conf").read_text()
    expected = tested.replace("    server 127.0.0.1:8000 max_fails=1 fail_timeout=5s;\n"
                              "    server 127.0.0.1:8001 max_fails=1 fail_timeout=5s;",
                              "    server web:8000 max_fails=1 fail_timeout=5s;")
    expected = re.sub(r"access_log /var/log/nginx/\S+ saraban_path;", "access_log /dev/stdout saraban_path;", expected)
    got = (DEPLOY / "nginx" / "compose.conf").read_text()
    assert got.split("\n", 2)[2] == expected  # after its two-line "generated" header


def test_systemd_units_verify(tmp_path: Path) -> None:
    saraban = Path(sys.executable).with_name("saraban")
    (tmp_path / "saraban.env").write_text("SARABAN_HOME=/var/lib/saraban\n")
    for unit in (DEPLOY / "systemd").glob("saraban*.*"):
        if unit.suffix in (".service", ".timer"):
            text = unit.read_text().replace("/opt/saraban/.venv/bin/saraban", str(saraban))
            (tmp_path / unit.name).write_text(text.replace("/etc/saraban/saraban.env", str(tmp_path / "saraban.env")))
    names = ["saraban-migrate.service", "saraban-sbx.service", "saraban-tick.service", "saraban-tick.timer",
             "saraban-web@8000.service", "saraban-worker@1.service"]
    out = subprocess.run([shutil.which("systemd-analyze") or "systemd-analyze", "verify", "--man=no", *names],
                         cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and not out.stderr.strip(), out.stderr


def test_the_commands_in_deploy_accept_their_options() -> None:
    def options(*cmd: str) -> str:
        return subprocess.run([sys.executable, "-m", "saraban.cli", *cmd, "--help"], capture_output=True, text=True,
                              timeout=120).stdout

    serve = options("serve")
    for opt in ("--no-worker", "--no-migrate", "--host", "--port", "--workers", "--threads"):
        assert opt in serve, opt
    assert "--no-ticks" in options("worker")
    sbx = options("sbx", "serve")
    assert "--behind-proxy" in sbx and "--listen" in sbx
    units = " ".join(p.read_text() for p in (DEPLOY / "systemd").glob("*.service"))
    assert "serve --no-worker --no-migrate" in units and "sbx serve --behind-proxy" in units
