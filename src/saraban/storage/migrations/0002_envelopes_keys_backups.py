"""Object names, envelope encryption with key versions, damage marks, key versions and backup runs.

Existing rows keep pointing at their objects: a plain blob is named by its SHA-256 as before, and an
encrypted blob of the old scheme by ``enc/<sha256>`` with ``scheme=1`` (readable with ``keys/master.key``)
until ``saraban keys rewrap`` wraps its key under a master key version and gives it a keyed name.
"""

from django.db import migrations, models
from django.db.models import Q


def name_existing(apps, schema_editor):
    Blob = apps.get_model("storage", "Blob")
    Blob.objects.filter(encrypted=False).update(name=models.F("sha256"), scheme=0)
    for blob in Blob.objects.filter(encrypted=True).only("id", "sha256").iterator():
        Blob.objects.filter(pk=blob.pk).update(name="enc/" + blob.sha256, scheme=1, key_version=0)


class Migration(migrations.Migration):

    dependencies = [("storage", "0001_initial")]

    operations = [
        migrations.AddField("blob", "name", models.CharField(default="", max_length=80,
                                                             help_text="object name in the blob store")),
        migrations.AddField("blob", "scheme", models.PositiveSmallIntegerField(
            choices=[(0, "plain"), (1, "AES-256-GCM, key derived from keys/master.key (before envelopes)"),
                     (2, "AES-256-GCM envelope, chunked")], default=0)),
        migrations.AddField("blob", "key_version", models.PositiveIntegerField(
            blank=True, null=True, help_text="master key version; 0 = legacy key")),
        migrations.AddField("blob", "wrapped_key", models.BinaryField(
            blank=True, null=True, help_text="the data key, wrapped (AES key wrap)")),
        migrations.AddField("blob", "damage", models.CharField(
            blank=True, default="", max_length=16, help_text="'corrupt' or 'missing' when found so")),
        migrations.AddField("blob", "damaged_at", models.DateTimeField(blank=True, null=True)),
        migrations.RunPython(name_existing, migrations.RunPython.noop),
        migrations.AlterField("blob", "name", models.CharField(max_length=80, unique=True,
                                                               help_text="object name in the blob store")),
        migrations.CreateModel(
            name="KeyVersion",
            fields=[
                ("version", models.PositiveIntegerField(primary_key=True, serialize=False)),
                ("kms", models.CharField(max_length=16)),
                ("fingerprint", models.CharField(max_length=32)),
                ("activated_at", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="Backup",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("target", models.CharField(max_length=500)),
                ("snapshot", models.CharField(blank=True, max_length=64)),
                ("status", models.CharField(choices=[("running", "กำลังสำรองข้อมูล"), ("done", "สำเร็จ"),
                                                     ("failed", "ไม่สำเร็จ")], default="running", max_length=8)),
                ("scheduled", models.BooleanField(default=False)),
                ("started_at", models.DateTimeField()),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("blobs", models.IntegerField(default=0)),
                ("blobs_copied", models.IntegerField(default=0)),
                ("bytes_copied", models.BigIntegerField(default=0)),
                ("manifest_sha256", models.CharField(blank=True, max_length=64)),
                ("error", models.TextField(blank=True)),
            ],
            options={"constraints": [models.UniqueConstraint(condition=Q(status="running"), fields=("status",),
                                                             name="one_backup_running")]},
        ),
    ]
