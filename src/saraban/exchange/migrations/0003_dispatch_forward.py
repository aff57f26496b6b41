# ส่งต่อ: a dispatch may pass a received letter on, with a covering memo.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exchange', '0002_inboundmessage_handover_lease'),
        ('storage', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='dispatch',
            name='cover',
            field=models.ForeignKey(blank=True, help_text='the covering memo (บันทึกนำส่ง) sent with a forwarded letter', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='storage.blob'),
        ),
        migrations.AddField(
            model_name='dispatch',
            name='forward',
            field=models.BooleanField(default=False, help_text='ส่งต่อ: a received letter passed on as it came'),
        ),
    ]
