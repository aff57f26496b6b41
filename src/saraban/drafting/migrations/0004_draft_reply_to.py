# A draft may answer a letter (ตอบหนังสือ).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('drafting', '0003_signer_capacity'),
        ('letters', '0003_dispatch_state_and_replies'),
    ]

    operations = [
        migrations.AddField(
            model_name='draft',
            name='reply_to',
            field=models.ForeignKey(blank=True, help_text='the letter this draft answers (ตอบหนังสือ): its อ้างถึง', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reply_drafts', to='letters.letter'),
        ),
    ]
