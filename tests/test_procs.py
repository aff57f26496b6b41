"""A test that starts a process leaves nothing running, however it ends (tests/procs.py).

Each case runs a child pytest on a tiny test whose fixture starts a server the way the suite's fixtures do
(:func:`tests.procs.group`): a process tree whose leader stops on SIGTERM but whose child ignores SIGTERM (the
worst case: only ending the whole group stops it).  The child pytest then fails an assertion, or is
interrupted (SIGINT, SIGTERM), or is killed outright (SIGKILL, after which the recorded groups are ended as
``scripts/test.sh`` does at its end); afterwards no process of the tree may be alive.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests import procs

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)

ROOT = Path(__file__).resolve().parent.parent

SERVER = textwrap.dedent("""
    import os, signal, socket, sys, time
    pids = sys.argv[1]
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
    child = os.fork()
    if child == 0:  # a worker that ignores SIGTERM
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        while True:
            time.sleep(1)
    with open(pids + ".tmp", "w") as fh:
        fh.write(f"{os.getpid()} {child}")
    os.rename(pids + ".tmp", pids)
    while True:
        time.sleep(1)
""")

TINY = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import pytest
    from tests import procs

    PIDS = Path(os.environ["TINY_PIDS"])

    @pytest.fixture
    def server():
        with procs.group([sys.executable, os.environ["TINY_SERVER"], str(PIDS)]) as proc:
            while not PIDS.exists():
                assert proc.poll() is None
                time.sleep(0.05)
            yield proc

    def test_uses_a_server(server):
        Path(str(PIDS) + ".ready").write_text("")
        if os.environ["TINY_MODE"] == "fail":
            go = Path(str(PIDS) + ".go")  # the parent has seen the tree alive: now fail
            deadline = time.monotonic() + 60
            while not go.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert False, "a failing test"
        time.sleep(300)  # until it is interrupted
""")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _default_sigint() -> None:
    """Ctrl-C as at a terminal: scripts/test.sh runs pytest in the background, where a non-interactive shell
    leaves SIGINT ignored, and an ignored SIGINT would be inherited by the child pytest (which Python then
    never turns into KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_child(tmp_path: Path, mode: str) -> tuple[list[int], int, str]:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_tiny.py").write_text(TINY)
    (tmp_path / "server.py").write_text(SERVER)
    pids, registry = tmp_path / "pids", tmp_path / "registry"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE" and not k.startswith("PYTEST_")}
    env |= {"TINY_PIDS": str(pids), "TINY_SERVER": str(tmp_path / "server.py"), "TINY_MODE": mode,
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]), procs.REGISTRY_ENV: str(registry)}
    child = subprocess.Popen([sys.executable, "-m", "pytest", "-p", "tests.procs", "-p", "no:cacheprovider",
                              "-p", "no:xdist", "-p", "no:django", "-q", "--rootdir", str(tmp_path),
                              str(tmp_path / "test_tiny.py")],
                             cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True, preexec_fn=_default_sigint)
    try:
        deadline = time.monotonic() + 60
        while not Path(str(pids) + ".ready").exists():
            assert child.poll() is None, child.communicate()[0]
            assert time.monotonic() < deadline, "the tiny test did not start its server"
            time.sleep(0.05)
        tree = [int(p) for p in pids.read_text().split()]
        assert len(tree) == 2 and all(alive(p) for p in tree)
        if mode == "fail":
            Path(str(pids) + ".go").write_text("")
        else:
            os.kill(child.pid, getattr(signal, mode))
        out, _ = child.communicate(timeout=60)
    finally:
        if child.poll() is None:  # this test failed (timed out): end the child pytest and the tree it started
            child.kill()
            child.wait()
            procs.kill_recorded(registry)
    if mode == "SIGKILL":  # nothing in the child ran: what scripts/test.sh does at its end
        assert sorted(p.name for p in registry.iterdir()) == [str(tree[0])]
        assert procs.kill_recorded(registry) == [tree[0]]
    return tree, child.returncode, out


@pytest.mark.parametrize("mode", ["fail", "SIGINT", "SIGTERM", "SIGKILL"])
def test_no_process_outlives_the_test(tmp_path: Path, mode: str) -> None:
    tree, code, out = run_child(tmp_path, mode)
    deadline = time.monotonic() + 5
    while any(alive(p) for p in tree) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [p for p in tree if alive(p)] == [], out
    assert procs.members(tree[0]) == []
    assert code != 0, out  # the failure or the interruption is reported, not swallowed
    if mode == "fail":
        assert "a failing test" in out
    if mode != "SIGKILL":
        assert not list((tmp_path / "registry").iterdir()), "an ended group stays recorded"


def test_group_ends_every_member_of_a_clean_run() -> None:
    with procs.group([sys.executable, "-c", "import os, time; os.fork(); time.sleep(300)"]) as proc:
        deadline = time.monotonic() + 10
        while len(procs.members(proc.pid)) < 2:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert procs.members(proc.pid) == []
