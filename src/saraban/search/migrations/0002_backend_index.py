"""The search backend's index structures on ``search_searchdoc`` (FTS5 tables and triggers on SQLite,
``pg_trgm`` and word GIN indexes on PostgreSQL): :mod:`saraban.search.backends`."""

from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from saraban.search.backends import for_vendor

    with schema_editor.connection.cursor() as cur:
        for_vendor(schema_editor.connection.vendor).install(cur)


def uninstall(apps, schema_editor):  # type: ignore[no-untyped-def]
    from saraban.search.backends import for_vendor

    with schema_editor.connection.cursor() as cur:
        for_vendor(schema_editor.connection.vendor).uninstall(cur)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
