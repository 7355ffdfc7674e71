# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('phases', '0001_initial'), ('phases', '0002_revisions'), ('phases', '0003_initiative_keys')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='PhaseCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('phase', models.CharField(help_text='Key of a phase in the framework.', max_length=60)),
                ('component', models.CharField(help_text='Key of a component of that phase.', max_length=60)),
                ('status', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('done', 'Done')], default='not_started', max_length=12)),
                ('evidence', models.TextField(blank=True, help_text='What shows where this stands: documents, meetings, decisions.')),
                ('started_on', models.DateField(blank=True, null=True, verbose_name='Started')),
                ('completed_on', models.DateField(blank=True, null=True, verbose_name='Completed')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='phase_cells', to='initiatives.initiative')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['phase', 'component'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='phases_phasecell_uuid_in_initiative'), models.UniqueConstraint(fields=('initiative', 'phase', 'component'), name='phase_cell_once'), models.CheckConstraint(condition=models.Q(('completed_on__isnull', True), ('started_on__isnull', True), ('completed_on__gte', models.F('started_on')), _connector='OR'), name='phase_cell_completed_after_start'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'done'), _negated=True), ('completed_on__isnull', False), _connector='OR'), name='phase_cell_done_has_completion')],
            },
        ),
        migrations.CreateModel(
            name='PhaseCellChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('status_before', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('done', 'Done')], max_length=12)),
                ('status_after', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('done', 'Done')], max_length=12)),
                ('note', models.TextField(blank=True)),
                ('cell', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='phases.phasecell')),
                ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
            ],
            options={
                'ordering': ['-changed_at', '-id'],
            },
        ),
    ]
