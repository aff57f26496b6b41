"""Exchange fixtures: a TEST federation on disk (session), this process as one node hosting every agency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from saraban.demo import federation
from saraban.exchange import node as node_mod
from saraban.exchange import transport
from saraban.exchange.transport.testing import TestTransport
from saraban.kernel.clock import BANGKOK, MovableClock, use_clock
from saraban.orgs import directory as org_directory


@pytest.fixture(scope="session")
def fed_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("federation")
    agencies = federation.agencies_from_org(org_directory.DEMO_FILE)
    nodes = [federation.NodeSpec("all", tuple(a["code"] for a in agencies), port=1, host="127.0.0.1")]
    # valid from before the tests' movable clock (2026-03-03) and after the real one
    with use_clock(MovableClock(dt.datetime(2026, 1, 1, tzinfo=BANGKOK))):
        federation.create(root, nodes, agencies, valid_days=730)
    return root


@pytest.fixture
def sbx(org: Any, fed_root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """This test process is node "all" (every demo agency, in-process delivery), directory loaded."""
    from saraban.exchange import refresh

    monkeypatch.setenv("SARABAN_SBX_CONFIG", str(fed_root / "all" / "node.toml"))
    node_mod.forget()
    refresh.refresh()
    yield fed_root
    node_mod.forget()


@pytest.fixture
def fake_transport() -> Iterator[TestTransport]:
    """Every send goes through an in-memory transport: recorded, delivered in-process, or told to fail."""
    t = TestTransport()
    transport.use(t)
    yield t
    transport.use(None)


def pump(rounds: int = 10) -> None:
    """Run the outbox and the hand-over until nothing is left to do (tests run tasks themselves)."""
    from saraban.exchange import handover
    from saraban.exchange.models import InboundMessage
    from saraban.exchange.outbox import worker

    for _ in range(rounds):
        did = sum(worker.deliver_due().values())
        for m in InboundMessage.objects.filter(kind="letter", handed_over_at__isnull=True, mailbox=False):
            handover.hand_over(str(m.pk))
            did += 1
        if not did:
            return


@pytest.fixture(scope="session")
def mailbox_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A federation where สำนักงานสถิติแห่งชาติ (nso) has no endpoint: its mail waits at mdes-ops's node."""
    root = tmp_path_factory.mktemp("federation-mailbox")
    agencies = federation.agencies_from_org(org_directory.DEMO_FILE)
    host = federation.NodeSpec("host", tuple(a["code"] for a in agencies if a["code"] != "nso"), port=1)
    puller = federation.NodeSpec("puller", ("nso",))
    with use_clock(MovableClock(dt.datetime(2026, 1, 1, tzinfo=BANGKOK))):
        federation.create(root, [host, puller], agencies, valid_days=730, via={"nso": "mdes-ops"})
    return root


@pytest.fixture
def sbx_host(org: Any, mailbox_root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from saraban.exchange import refresh

    monkeypatch.setenv("SARABAN_SBX_CONFIG", str(mailbox_root / "host" / "node.toml"))
    node_mod.forget()
    refresh.refresh()
    yield mailbox_root
    node_mod.forget()
