# Files of a whole letter: role letter|enclosure, title (the สิ่งที่ส่งมาด้วย line), order.

from django.db import migrations, models


def letter_role(apps, schema_editor):
    """``original`` is now ``letter``; a drafted letter's signed file (derived from nothing) is its letter;
    enclosures are numbered in the order they were stored and titled by their names."""
    LetterFile = apps.get_model("letters", "LetterFile")
    LetterFile.objects.filter(role="original").update(role="letter")
    LetterFile.objects.filter(role="signed", derived_from__isnull=True).update(role="letter")
    seen = {}
    for f in LetterFile.objects.filter(role="enclosure").order_by("letter_id", "created_at"):
        seen[f.letter_id] = seen.get(f.letter_id, 0) + 1
        f.order = seen[f.letter_id]
        f.title = f.title or f.name.rsplit(".", 1)[0][:500]
        f.save(update_fields=["order", "title"])


def original_role(apps, schema_editor):
    apps.get_model("letters", "LetterFile").objects.filter(role="letter").update(role="original")


class Migration(migrations.Migration):

    dependencies = [
        ('letters', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='letterfile',
            name='order',
            field=models.PositiveIntegerField(default=0, help_text='place among the parts; the letter comes first'),
        ),
        migrations.AddField(
            model_name='letterfile',
            name='title',
            field=models.CharField(blank=True, help_text='enclosures: the สิ่งที่ส่งมาด้วย line', max_length=500),
        ),
        migrations.AlterField(
            model_name='letterfile',
            name='name',
            field=models.CharField(help_text="the file's original name", max_length=255),
        ),
        migrations.AlterField(
            model_name='letterfile',
            name='role',
            field=models.CharField(choices=[('letter', 'หนังสือ (ต้นฉบับ)'), ('enclosure', 'สิ่งที่ส่งมาด้วย'), ('presentation', 'ฉบับแสดงผล (ประทับตรารับ)'), ('signed', 'ฉบับลงนาม'), ('annex', 'ฉบับแนบบันทึกเกษียน'), ('numbered', 'ฉบับประทับเลขที่และวันที่')], default='letter', max_length=16),
        ),
        migrations.RunPython(letter_role, original_role),
    ]
