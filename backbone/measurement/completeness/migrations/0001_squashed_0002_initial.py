# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('completeness', '0001_initial'), ('completeness', '0002_initiative_keys')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
        ('measurement', '0001_squashed_0008_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReminderSent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_at', models.DateTimeField()),
                ('recipients', models.TextField(blank=True, help_text='The addresses it went to, one a line.')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.indicator')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.partner')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.period')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('initiative', 'partner', 'period', 'indicator'), name='reminder_sent_once')],
            },
        ),
        migrations.CreateModel(
            name='ReportingAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='measurement.indicator')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='initiatives.partner')),
            ],
            options={
                'indexes': [models.Index(fields=['initiative', 'indicator'], name='completenes_initiat_c2a0b3_idx')],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'indicator', 'partner'), name='reporting_assignment_once')],
            },
        ),
    ]
