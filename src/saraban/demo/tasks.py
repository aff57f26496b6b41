"""Background work of the demo: the sample letters are put in the registrar's queue by the worker, after the
demo already answers (drawing their four PDFs takes about 2 s of a first start)."""

from __future__ import annotations

from django_tasks import task

from . import content


@task()
def seed_samples() -> int:
    """Put the sample letters in the registrar's queue (nothing if they are there already)."""
    return content.seed_intake()
