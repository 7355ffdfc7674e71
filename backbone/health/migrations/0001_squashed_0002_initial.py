# Squashed: the whole history of this app up to the migration it is named after.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('health', '0001_initial'), ('health', '0002_revisions')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='AlertSetting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('quiet_after_days', models.PositiveSmallIntegerField(default=90, help_text='Between 14 and 730 days; 90 unless you change it.', validators=[django.core.validators.MinValueValidator(14), django.core.validators.MaxValueValidator(730)], verbose_name='Flag a partner after this many quiet days')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('initiative', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='alert_setting', to='initiatives.initiative')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'abstract': False,
            },
        ),
    ]
