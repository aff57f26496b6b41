"""Periodic jobs: ``saraban tick`` runs every registered job once, whatever the others do."""

from __future__ import annotations

from saraban.kernel import periodic


def test_one_failing_job_does_not_stop_the_others(monkeypatch, db) -> None:  # PostgreSQL locks in the database
    ran: list[str] = []
    monkeypatch.setattr(periodic, "_jobs", {})

    def boom() -> None:
        raise RuntimeError("disk full")

    periodic.register("a", boom)
    periodic.register("b", lambda: ran.append("b") or 7)
    done = periodic.run_all()
    assert done["a"].startswith("failed: RuntimeError") and done["b"] == "7" and ran == ["b"]
