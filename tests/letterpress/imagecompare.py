"""Compare a rendered page with a reviewed reference image, within a small tolerance.

Set ``SARABAN_UPDATE_REFERENCES=1`` to write the current renders as the new references (then look at
them before committing: a reference nobody looked at proves nothing).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

UPDATE = os.environ.get("SARABAN_UPDATE_REFERENCES") == "1"


@dataclass(frozen=True)
class Difference:
    size_matches: bool
    changed_fraction: float
    """Share of pixels whose largest channel difference exceeds ``pixel_threshold``."""
    mean: float
    """Mean absolute difference over all channels, 0–255."""

    def within(self, *, max_changed: float, max_mean: float) -> bool:
        return self.size_matches and self.changed_fraction <= max_changed and self.mean <= max_mean


def difference(actual: bytes, reference: bytes, *, pixel_threshold: int = 48) -> Difference:
    a = Image.open(io.BytesIO(actual)).convert("RGB")
    b = Image.open(io.BytesIO(reference)).convert("RGB")
    if a.size != b.size:
        return Difference(False, 1.0, 255.0)
    diff = ImageChops.difference(a, b)
    channels = diff.split()
    largest = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    histogram = largest.histogram()
    total = a.size[0] * a.size[1]
    changed = sum(histogram[pixel_threshold + 1:]) / total
    mean = sum(i * n for i, n in enumerate(histogram)) / total
    return Difference(True, changed, mean)


def assert_matches_reference(actual: bytes, reference: Path, *, max_changed: float = 0.002,
                             max_mean: float = 1.0) -> Difference:
    """Assert ``actual`` (PNG bytes) matches ``reference``; with ``SARABAN_UPDATE_REFERENCES=1`` write it."""
    if UPDATE or not reference.exists():
        if not UPDATE:
            raise AssertionError(f"no reference image {reference}; run with SARABAN_UPDATE_REFERENCES=1 and review it")
        reference.parent.mkdir(parents=True, exist_ok=True)
        reference.write_bytes(actual)
    result = difference(actual, reference.read_bytes())
    if not result.within(max_changed=max_changed, max_mean=max_mean):
        failed = reference.with_name(reference.stem + ".actual.png")
        failed.write_bytes(actual)
        raise AssertionError(
            f"{reference.name}: {result.changed_fraction:.4%} of pixels changed, mean difference "
            f"{result.mean:.2f} (limits {max_changed:.2%}, {max_mean}); the render is in {failed.name}"
        )
    return result
