# Squashed: the whole history of this app up to the migration it is named after.

import backbone.workplan.models
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('workplan', '0001_initial'), ('workplan', '0002_revisions'), ('workplan', '0003_initiative_keys')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('activities', '0001_squashed_0004_initial'),
        ('agenda', '0001_squashed_0003_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='BackboneTask',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('title', models.CharField(max_length=200)),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='Due')),
                ('status', models.CharField(choices=[('planned', 'Planned'), ('in_progress', 'In progress'), ('done', 'Done'), ('dropped', 'Dropped')], default='planned', max_length=12)),
                ('role', models.CharField(help_text='Key of a backbone role.', max_length=60, verbose_name='Backbone role')),
                ('estimated_hours', models.DecimalField(blank=True, decimal_places=1, max_digits=7, null=True, verbose_name='Estimated effort (hours)')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='backbone_tasks', to='initiatives.initiative')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name='backbone_tasks', to=settings.AUTH_USER_MODEL)),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['due_on', 'title', 'id'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='workplan_backbonetask_uuid_in_initiative'), models.CheckConstraint(condition=models.Q(('estimated_hours__isnull', True), ('estimated_hours__gte', 0), _connector='OR'), name='backbone_task_estimate_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='BudgetYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('amount_needed', models.DecimalField(decimal_places=2, max_digits=14)),
                ('currency', models.CharField(default=backbone.workplan.models.default_currency, max_length=3)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='budget_years', to='initiatives.initiative')),
            ],
            options={
                'ordering': ['year', 'currency'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'year', 'currency'), name='budget_year_once'), models.CheckConstraint(condition=models.Q(('amount_needed__gte', 0)), name='budget_year_amount_gte_0')],
            },
        ),
        migrations.CreateModel(
            name='EffortEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('worked_on', models.DateField(verbose_name='Date')),
                ('hours', models.DecimalField(decimal_places=1, max_digits=5)),
                ('note', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('initiative', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name='effort_entries', to=settings.AUTH_USER_MODEL)),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='effort', to='workplan.backbonetask')),
            ],
            options={
                'verbose_name_plural': 'effort entries',
                'ordering': ['-worked_on', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('hours__gt', 0)), name='effort_entry_hours_positive')],
            },
        ),
        migrations.CreateModel(
            name='Funder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('name', models.CharField(max_length=200)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='funders', to='initiatives.initiative')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='funder_of', to='initiatives.organisation')),
            ],
            options={
                'ordering': ['name', 'id'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='workplan_funder_uuid_in_initiative')],
            },
        ),
        migrations.CreateModel(
            name='Grant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('title', models.CharField(max_length=200)),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14)),
                ('currency', models.CharField(default=backbone.workplan.models.default_currency, max_length=3)),
                ('starts_on', models.DateField(verbose_name='Period starts')),
                ('ends_on', models.DateField(verbose_name='Period ends')),
                ('status', models.CharField(choices=[('prospect', 'Prospect'), ('asked', 'Asked'), ('committed', 'Committed'), ('received', 'Received'), ('declined', 'Declined')], default='prospect', max_length=10)),
                ('restrictions', models.TextField(blank=True)),
                ('funds', models.CharField(choices=[('backbone', 'The backbone'), ('strategy', 'A strategy'), ('activity', "A partner's activity")], default='backbone', max_length=10, verbose_name='What it funds')),
                ('private_note', models.TextField(blank=True, help_text='Only backbone staff see this.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='grants', to='activities.activity')),
                ('funder', models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name='grants', to='workplan.funder')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='grants', to='initiatives.initiative')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('strategy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='grants', to='agenda.strategy')),
            ],
            options={
                'ordering': ['starts_on', 'title', 'id'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='workplan_grant_uuid_in_initiative'), models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='grant_ends_after_start'), models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='grant_amount_gte_0')],
            },
        ),
    ]
