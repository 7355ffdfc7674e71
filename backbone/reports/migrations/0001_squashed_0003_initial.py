# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('reports', '0001_initial'), ('reports', '0002_revisions'), ('reports', '0003_initiative_keys')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Report',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('title', models.CharField(max_length=200)),
                ('period_start', models.DateField(verbose_name='Period starts')),
                ('period_end', models.DateField(help_text='The last day the report covers.', verbose_name='Period ends')),
                ('introduction', models.TextField(blank=True, help_text='A few words from the backbone, printed at the top of the report.')),
                ('shared_with_funders', models.BooleanField(default=False, help_text='Funders of the initiative may read it.', verbose_name='Shared with funders')),
                ('shared_with_members', models.BooleanField(default=False, help_text='Partners and community members of the initiative may read it.', verbose_name='Shared with members')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='initiatives.initiative')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-period_end', '-created_at', '-id'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='reports_report_uuid_in_initiative'), models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='report_period_ends_after_start', violation_error_message='The period cannot end before it starts.')],
            },
        ),
    ]
