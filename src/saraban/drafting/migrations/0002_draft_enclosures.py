# Files of a whole letter: role letter|enclosure, title (the สิ่งที่ส่งมาด้วย line), order.

import django.db.models.deletion
from django.db import migrations, models

import saraban.kernel.ids


class Migration(migrations.Migration):

    dependencies = [
        ('drafting', '0001_initial'),
        ('orgs', '0002_alter_position_options_alter_unit_options'),
        ('storage', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='DraftEnclosure',
            fields=[
                ('id', models.UUIDField(default=saraban.kernel.ids.uuid7, editable=False, primary_key=True, serialize=False)),
                ('role', models.CharField(choices=[('letter', 'หนังสือ (ต้นฉบับ)'), ('enclosure', 'สิ่งที่ส่งมาด้วย'), ('presentation', 'ฉบับแสดงผล (ประทับตรารับ)'), ('signed', 'ฉบับลงนาม'), ('annex', 'ฉบับแนบบันทึกเกษียน'), ('numbered', 'ฉบับประทับเลขที่และวันที่')], default='letter', max_length=16)),
                ('name', models.CharField(help_text="the file's original name", max_length=255)),
                ('title', models.CharField(blank=True, help_text='enclosures: the สิ่งที่ส่งมาด้วย line', max_length=500)),
                ('order', models.PositiveIntegerField(default=0, help_text='place among the parts; the letter comes first')),
                ('pages', models.IntegerField(blank=True, null=True)),
                ('added_at', models.DateTimeField()),
                ('added_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.person')),
                ('blob', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='storage.blob')),
                ('draft', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='enclosures', to='drafting.draft')),
            ],
            options={
                'ordering': ['draft', 'order'],
            },
        ),
    ]
