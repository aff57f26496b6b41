"""Blob storage figures: S3 put/get throughput, the cost of encryption at rest, and backup/restore times.

    .venv/bin/python bench/bench_storage.py [--small 200] [--big-mb 200] [--letters 300] [--no-backup]

1. Encryption: the AES-256-GCM envelope (1 MiB chunks) encrypting and decrypting 64 MiB in memory, beside
   SHA-256 over the same bytes (every read hashes anyway).
2. Stores: ``--small`` objects of 200 KB, then one ``--big-mb`` file streamed in and out, plain and encrypted,
   through :mod:`saraban.storage.blobs` (naming, encryption, the row lookup, the hash check on reading) on the
   local store and on S3 (OpenStack Swift + s3api on loopback: ``SARABAN_TEST_S3`` or one started here).
   Peak Python memory (tracemalloc) while the big file goes in and out.
3. Backups: a system with ``--letters`` registered letters (one in six ลับ), then ``saraban backup`` (full,
   then incremental), ``saraban backup verify`` and ``saraban restore`` into a fresh data directory, timed as
   an operator runs them (each a separate process, Django start-up included).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench._node import free_port  # noqa: E402

MB = 1024 * 1024


def setup_django() -> None:
    home = tempfile.mkdtemp(prefix="saraban-bench-storage-")
    os.environ.update(SARABAN_HOME=home, DJANGO_SETTINGS_MODULE="saraban.settings", SARABAN_LOG_LEVEL="ERROR")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def encryption_figures() -> list[str]:
    from saraban.storage import crypto

    data = os.urandom(64 * MB)
    sha = hashlib.sha256(data).hexdigest()
    key = secrets.token_bytes(32)
    t = time.perf_counter()
    hashlib.sha256(data).hexdigest()
    hashing = time.perf_counter() - t
    header = crypto.Header.new(1, b"w" * 40)
    t = time.perf_counter()
    stored = b"".join(crypto.encrypt_stream(key, header, sha, [data[i:i + MB] for i in range(0, len(data), MB)]))
    enc = time.perf_counter() - t
    t = time.perf_counter()
    for _ in crypto.decrypt_stream([stored[i:i + MB] for i in range(0, len(stored), MB)], sha, lambda _h: key):
        pass
    dec = time.perf_counter() - t
    size = len(data) / MB
    return [f"| SHA-256 (every read) | {size / hashing:.0f} MB/s |",
            f"| envelope encrypt (AES-256-GCM, 1 MiB chunks) | {size / enc:.0f} MB/s |",
            f"| envelope decrypt | {size / dec:.0f} MB/s |",
            f"| stored size overhead | {100 * (len(stored) - len(data)) / len(data):.3f} % |"]


def start_s3() -> tuple[str, Path | None]:
    if os.environ.get("SARABAN_TEST_S3"):
        return os.environ["SARABAN_TEST_S3"], None
    directory = Path(tempfile.mkdtemp(prefix="saraban-bench-s3-"))
    directory.chmod(0o755)
    url = subprocess.run(["bash", str(ROOT / "scripts/s3.sh"), "start", str(directory), str(free_port())],
                         check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return url, directory


def s3_store(url: str):  # type: ignore[no-untyped-def]
    from saraban.storage.s3 import S3BlobStore

    p = urlparse(url)
    store = S3BlobStore(bucket=f"bench-{secrets.token_hex(6)}", endpoint_url=f"{p.scheme}://{p.hostname}:{p.port}",
                        access_key=unquote(p.username or ""), secret_key=unquote(p.password or ""))
    store.ensure_bucket()
    return store


def store_figures(name: str, store, small: int, big_mb: int) -> list[str]:  # type: ignore[no-untyped-def]
    from saraban.storage import blobs

    blobs.use(store)
    rows = []
    try:
        for encrypted in (False, True):
            kind = "encrypted" if encrypted else "plain"
            payloads = [os.urandom(200 * 1024) for _ in range(small)]
            t = time.perf_counter()
            stored = [blobs.put(p, "application/pdf", encrypted=encrypted) for p in payloads]
            put_s = time.perf_counter() - t
            t = time.perf_counter()
            for b in stored:
                blobs.read(b)
            get_s = time.perf_counter() - t
            rows.append(f"| {name} | {kind} | {small} × 200 KB | {small / put_s:.0f}/s ({small * 0.2 / put_s:.0f} "
                        f"MB/s) | {small / get_s:.0f}/s ({small * 0.2 / get_s:.0f} MB/s) | |")
            with tempfile.TemporaryFile() as fh:
                for _ in range(big_mb):
                    fh.write(os.urandom(MB))
                tracemalloc.start()
                t = time.perf_counter()
                blob = blobs.record(blobs.stage_file(fh, "application/octet-stream", encrypted=encrypted))
                put_s = time.perf_counter() - t
                _, peak_in = tracemalloc.get_traced_memory()
                tracemalloc.reset_peak()
                t = time.perf_counter()
                for _ in blobs.stream(blob):
                    pass
                get_s = time.perf_counter() - t
                _, peak_out = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            rows.append(f"| {name} | {kind} | 1 × {big_mb} MB (hash pass + store) | {big_mb / put_s:.0f} MB/s "
                        f"| {big_mb / get_s:.0f} MB/s | {peak_in / MB:.0f} / {peak_out / MB:.0f} MB |")
    finally:
        blobs.use(None)
    return rows


def timed(env: dict[str, str], *args: str) -> tuple[float, str]:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{args} failed: {out.stderr[-2000:]}")
    return time.perf_counter() - t, out.stdout


def backup_figures(letters: int) -> list[str]:
    base = Path(tempfile.mkdtemp(prefix="saraban-bench-backup-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SARABAN_", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="saraban.settings", SARABAN_LOG_LEVEL="ERROR", SARABAN_FAST_PASSWORDS="1")
    a = {**env, "SARABAN_HOME": str(base / "a")}
    secret = max(1, letters // 6)
    fill_s, out = timed(a, "-m", "tests.storage.fill", "--normal", str(letters - secret), "--secret", str(secret))
    target = str(base / "backup")
    full_s, out = timed(a, "-m", "saraban.cli", "backup", "--to", target, "--json")
    full = json.loads(out.strip().splitlines()[-1])
    incr_s, out = timed(a, "-m", "saraban.cli", "backup", "--to", target, "--json")
    incr = json.loads(out.strip().splitlines()[-1])
    verify_s, _ = timed(a, "-m", "saraban.cli", "backup", "verify", target)
    b = {**env, "SARABAN_HOME": str(base / "b")}
    restore_s, _ = timed(b, "-m", "saraban.cli", "restore", "--from", target, "--keys", str(base / "a" / "keys"))
    size = sum(p.stat().st_size for p in Path(target).rglob("*") if p.is_file()) / MB
    shutil.rmtree(base, ignore_errors=True)
    return [f"| system with {letters} letters ({secret} ลับ), {full['blobs']} blobs, backup {size:.1f} MB | "
            f"(filled in {fill_s:.0f} s) |",
            f"| `saraban backup` (full: {full['copied']} blobs copied) | {full_s:.1f} s |",
            f"| `saraban backup` again (incremental: {incr['copied']} copied) | {incr_s:.1f} s |",
            f"| `saraban backup verify` (hashes + test restore + audit chain) | {verify_s:.1f} s |",
            f"| `saraban restore` into a fresh data directory | {restore_s:.1f} s |"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--big-mb", type=int, default=200)
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--no-backup", action="store_true")
    args = parser.parse_args()
    from bench._context import print_context

    print_context("bench_storage")
    setup_django()
    print("## Encryption (in memory, 64 MiB)\n| | |\n|---|---|")
    print("\n".join(encryption_figures()), flush=True)
    from saraban.storage import keys
    from saraban.storage.local import LocalBlobStore

    keys.first_key_in_place()
    url, directory = start_s3()
    try:
        print("\n## Stores (through saraban.storage.blobs)\n| store | content | objects | put | get | peak memory "
              "in / out |\n|---|---|---|---|---|---|")
        local = LocalBlobStore(Path(tempfile.mkdtemp(prefix="saraban-bench-local-")))
        print("\n".join(store_figures("local", local, args.small, args.big_mb)), flush=True)
        print("\n".join(store_figures("S3 (Swift)", s3_store(url), args.small, args.big_mb)), flush=True)
    finally:
        if directory is not None:
            subprocess.run(["bash", str(ROOT / "scripts/s3.sh"), "stop", str(directory)], check=False)
    if not args.no_backup:
        print("\n## Backups\n| | |\n|---|---|")
        print("\n".join(backup_figures(args.letters)), flush=True)


if __name__ == "__main__":
    main()
