# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('dashboards', '0001_initial'), ('dashboards', '0002_initiative_keys'), ('dashboards', '0003_revisions')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
        ('measurement', '0001_squashed_0008_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Story',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('behind_the_curve', models.TextField(blank=True, help_text='The causes and forces at work.', verbose_name='What is behind the curve')),
                ('partners_with_a_role', models.TextField(blank=True, help_text='Who could help turn the curve.', verbose_name='Partners with a role to play')),
                ('what_works', models.TextField(blank=True, help_text='What the evidence and experience say would help.', verbose_name='What works')),
                ('action_plan', models.TextField(blank=True, help_text='What we will do, who, and by when.', verbose_name='Action plan')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stories', to='measurement.indicator')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='initiatives.initiative')),
                ('partner', models.ForeignKey(blank=True, help_text="Empty: the backbone's own account.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.partner')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.period')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-period__start', 'partner_id'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'indicator', 'period', 'partner'), name='story_once_per_partner', nulls_distinct=False)],
            },
        ),
    ]
