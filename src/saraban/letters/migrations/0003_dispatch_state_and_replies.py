# A letter waits to be sent after signing; a reply points at the letter it answers.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('letters', '0002_letter_file_parts'),
    ]

    operations = [
        migrations.AddField(
            model_name='letter',
            name='dispatch_state',
            field=models.CharField(blank=True, choices=[('awaiting', 'ลงนามแล้ว รอส่ง'), ('sent', 'ส่งแล้ว')], db_index=True, help_text='outgoing: signed and waiting to be sent, or sent', max_length=16),
        ),
        migrations.AddField(
            model_name='letter',
            name='reply_to',
            field=models.ForeignKey(blank=True, help_text='the letter this one answers (its อ้างถึง); the answered letter lists its replies', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replies', to='letters.letter'),
        ),
    ]
