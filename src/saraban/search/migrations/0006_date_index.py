"""PostgreSQL: a GIN over the ISO dates written in each row (``search_dates(body)``), so a date query finds its
rows exactly instead of rechecking every row whose trigrams (digits and dashes) it shares.  The backend's
``install`` is idempotent: this runs it again."""

from django.db import migrations


def upgrade(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    from saraban.search.backends.postgres import PostgresBackend

    with schema_editor.connection.cursor() as cur:
        PostgresBackend().install(cur)


def downgrade(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        cur.execute("DROP INDEX IF EXISTS search_doc_dates")
        cur.execute("DROP FUNCTION IF EXISTS search_dates(text)")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_words_tsvector")]
    operations = [migrations.RunPython(upgrade, downgrade)]
