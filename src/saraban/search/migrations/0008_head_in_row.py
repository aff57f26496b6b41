"""PostgreSQL: an index row's ``head`` kept in the row, compressed with lz4 (ranking reads it for every match
it ranks).  The backend's ``install`` is idempotent: this runs it again.  Rows already written keep their head
out of line until they are rewritten (docs/search.md, Operating)."""

from django.db import migrations

from saraban.search.backends.postgres import reinstall


def downgrade(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    from saraban.search.backends.postgres import DOC

    with schema_editor.connection.cursor() as cur:
        cur.execute(f"ALTER TABLE {DOC} ALTER COLUMN head SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_classified_rows_covering")]
    operations = [migrations.RunPython(reinstall, downgrade)]
