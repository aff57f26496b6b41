# Files of a whole letter: role letter|enclosure, title (the สิ่งที่ส่งมาด้วย line), order.

from django.db import migrations, models


def main_first(apps, schema_editor):
    """The old main file becomes the letter (order 0); the others its enclosures, by name, titled by name."""
    IntakeFile = apps.get_model("intake", "IntakeFile")
    items = {}
    for f in IntakeFile.objects.order_by("item_id", "-is_main", "name"):
        n = items.setdefault(f.item_id, 0)
        items[f.item_id] = n + 1
        f.role = "letter" if n == 0 else "enclosure"
        f.order = n
        if n and not f.title:
            f.title = f.name.rsplit(".", 1)[0][:500]
        f.save(update_fields=["role", "order", "title"])


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='intakefile',
            options={'ordering': ['item', 'order']},
        ),
        migrations.AddField(
            model_name='intakefile',
            name='order',
            field=models.PositiveIntegerField(default=0, help_text='place among the parts; the letter comes first'),
        ),
        migrations.AddField(
            model_name='intakefile',
            name='pages',
            field=models.IntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='intakefile',
            name='role',
            field=models.CharField(choices=[('letter', 'หนังสือ (ต้นฉบับ)'), ('enclosure', 'สิ่งที่ส่งมาด้วย'), ('presentation', 'ฉบับแสดงผล (ประทับตรารับ)'), ('signed', 'ฉบับลงนาม'), ('annex', 'ฉบับแนบบันทึกเกษียน'), ('numbered', 'ฉบับประทับเลขที่และวันที่')], default='letter', max_length=16),
        ),
        migrations.AddField(
            model_name='intakefile',
            name='title',
            field=models.CharField(blank=True, help_text='enclosures: the สิ่งที่ส่งมาด้วย line', max_length=500),
        ),
        migrations.AlterField(
            model_name='intakefile',
            name='name',
            field=models.CharField(help_text="the file's original name", max_length=255),
        ),
        migrations.RunPython(main_first, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='intakefile',
            name='is_main',
        ),
    ]
