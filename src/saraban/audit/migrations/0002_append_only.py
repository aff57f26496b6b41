"""Make the audit table append-only in the database: UPDATE and DELETE raise.

A DBA can still drop these triggers; the hash chain then tells what was changed.
"""

from django.db import migrations

PG = """
CREATE OR REPLACE FUNCTION saraban_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
  FOR EACH ROW EXECUTE FUNCTION saraban_audit_append_only();
CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
  FOR EACH ROW EXECUTE FUNCTION saraban_audit_append_only();
CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON audit_auditevent
  FOR EACH STATEMENT EXECUTE FUNCTION saraban_audit_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_auditevent_no_delete ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS saraban_audit_append_only();
"""
SQLITE = [
    "CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only (UPDATE refused)'); END;",
    "CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only (DELETE refused)'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete;",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG, params=None)
    elif vendor == "sqlite":
        for stmt in SQLITE:
            schema_editor.execute(stmt)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        for stmt in SQLITE_DROP:
            schema_editor.execute(stmt)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
