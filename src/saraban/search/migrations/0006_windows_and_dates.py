"""PostgreSQL: the trigram GIN led by the bucket of the row id (``btree_gin``), so a window of the newest rows
is found inside one index scan, and a GIN over the ISO dates written in each row (``search_dates(body)``), so
a date query finds its rows exactly instead of rechecking every row that shares its digits' trigrams.  The
backend's ``install`` is idempotent: this runs it again (building the new GIN takes minutes at 1,000,000
letters; see docs/search.md)."""

from django.db import migrations

from saraban.search.backends.postgres import reinstall


def downgrade(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    from saraban.search.backends.postgres import DOC

    with schema_editor.connection.cursor() as cur:
        cur.execute(f"CREATE INDEX IF NOT EXISTS search_doc_body_trgm ON {DOC} USING gin (body gin_trgm_ops)")
        cur.execute("DROP INDEX IF EXISTS search_doc_bucket_trgm")
        cur.execute("DROP INDEX IF EXISTS search_doc_dates")
        cur.execute("DROP FUNCTION IF EXISTS search_dates(text)")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_words_tsvector")]
    operations = [migrations.RunPython(reinstall, downgrade)]
