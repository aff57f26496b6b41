"""Notices made before issue #14 may carry a ลับ / ลับมาก letter's subject and instruction: keep only what a
notice about a classified letter may say now (its link stays)."""

from django.db import migrations

TITLE = "มีหนังสือลับถึงท่าน"


def forwards(apps, schema_editor):
    Notification = apps.get_model("routing", "Notification")
    Outbound = apps.get_model("routing", "Outbound")
    classified = Notification.objects.exclude(letter__isnull=True).exclude(letter__secrecy="normal")
    for n in classified.iterator():
        Outbound.objects.filter(notification_id=n.pk).update(subject=TITLE, body=n.url)
    classified.update(title=TITLE, body="")


class Migration(migrations.Migration):
    dependencies = [("routing", "0006_outbound_next_try")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
