# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('accounts', '0005_personal_tokens')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='personaltoken',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AddField(
            model_name='personaltoken',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='personal_tokens', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='personaltoken',
            constraint=models.UniqueConstraint(fields=('initiative', 'uuid'), name='accounts_personaltoken_uuid_in_initiative'),
        ),
        migrations.AddConstraint(
            model_name='personaltoken',
            constraint=models.UniqueConstraint(fields=('initiative', 'token_hash'), name='accounts_personaltoken_token_hash_in_initiative'),
        ),
    ]
