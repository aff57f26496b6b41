"""PostgreSQL: the words as a stored ``tsvector`` column with its GIN (instead of a GIN on an expression that
built each row's tsvector again whenever the planner read the row); the trigram index led by the row's
``bucket`` (``btree_gin``), so a lookup in the newest rows rechecks only their candidates; ``body`` kept in
the row and lz4 for the long text columns.  The backend's ``install`` is idempotent: this runs it again on a
database that has the older structures (adding the columns rewrites the table: about 40 s for each 100,000
letters)."""

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
    from saraban.search.backends.postgres import DOC, WORDS

    with schema_editor.connection.cursor() as cur:
        for sql in ["DROP INDEX IF EXISTS search_doc_words_tsv", "DROP INDEX IF EXISTS search_doc_bucket_trgm",
                    f"ALTER TABLE {DOC} DROP COLUMN IF EXISTS words_tsv", f"ALTER TABLE {DOC} DROP COLUMN IF EXISTS bucket",
                    f"CREATE INDEX IF NOT EXISTS search_doc_words ON {DOC} USING gin (({WORDS}))",
                    f"CREATE INDEX IF NOT EXISTS search_doc_body_trgm ON {DOC} USING gin (body gin_trgm_ops)"]:
            cur.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_classified_rows")]
    operations = [migrations.RunPython(upgrade, downgrade)]
