"""Load the shipped government holiday lists (data/holidays_*.toml) into the calendar."""

import tomllib
from pathlib import Path

from django.db import migrations

from saraban.kernel.ids import uuid7

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Holiday = apps.get_model("routing", "Holiday")
    for path in sorted(DATA.glob("holidays_*.toml")):
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        for h in data.get("holiday", []):
            Holiday.objects.get_or_create(day=h["day"], defaults={
                "id": uuid7(),
                "name_th": h["name_th"], "name_en": h.get("name_en", ""), "kind": h.get("kind", "official"),
                "source": data.get("source", "")[:500]})


class Migration(migrations.Migration):
    dependencies = [("routing", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
