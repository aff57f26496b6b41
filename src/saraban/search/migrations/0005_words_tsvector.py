"""PostgreSQL: the words as a stored ``tsvector`` column with its GIN (instead of a GIN on an expression that
built each row's tsvector again whenever the planner read the row), and lz4 for the long text columns.  The
backend's ``install`` is idempotent: this runs it again on a database that has the older structures."""

from django.db import migrations

from saraban.search.backends.postgres import reinstall


def downgrade(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    from saraban.search.backends.postgres import DOC, WORDS

    with schema_editor.connection.cursor() as cur:
        cur.execute("DROP INDEX IF EXISTS search_doc_words_tsv")
        cur.execute(f"ALTER TABLE {DOC} DROP COLUMN IF EXISTS words_tsv")
        cur.execute(f"CREATE INDEX IF NOT EXISTS search_doc_words ON {DOC} USING gin (({WORDS}))")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_classified_rows")]
    operations = [migrations.RunPython(reinstall, downgrade)]
