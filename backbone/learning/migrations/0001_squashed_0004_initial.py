# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('learning', '0001_initial'), ('learning', '0002_revisions'), ('learning', '0003_initiative_keys'), ('learning', '0004_link_keys')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('activities', '0001_squashed_0004_initial'),
        ('communication', '0001_squashed_0004_initial'),
        ('decisions', '0001_squashed_0003_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
        ('measurement', '0001_squashed_0008_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='LearningQuestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('text', models.CharField(max_length=300, verbose_name='Question')),
                ('why', models.TextField(blank=True, verbose_name='Why it matters')),
                ('status', models.CharField(choices=[('open', 'Open'), ('answered', 'Answered')], default='open', max_length=10)),
                ('answer', models.TextField(blank=True, help_text='What the initiative learnt.')),
                ('answered_on', models.DateField(blank=True, null=True, verbose_name='Answered on')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='learning_questions', to='initiatives.initiative')),
                ('owner', models.ForeignKey(blank=True, help_text='Who makes sure it gets answered.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['created_at', 'id'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='learning_learningquestion_uuid_in_initiative'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'answered'), _negated=True), models.Q(models.Q(('answer', ''), _negated=True), ('answered_on__isnull', False)), _connector='OR'), name='learning_question_answered_has_answer')],
            },
        ),
        migrations.CreateModel(
            name='LogEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('happened_on', models.DateField(verbose_name='Date')),
                ('title', models.CharField(max_length=200, verbose_name='In a line')),
                ('tried', models.TextField(verbose_name='What was tried')),
                ('data_showed', models.TextField(verbose_name='What the data showed')),
                ('changed', models.TextField(blank=True, verbose_name='What changed')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='learning_log', to='initiatives.initiative')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'log entries',
                'ordering': ['-happened_on', '-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='LogEntryActivity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('logentry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.logentry')),
            ],
            options={
                'db_table': 'learning_logentry_activities',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'logentry', 'activity'), name='learning_entry_activity_once')],
            },
        ),
        migrations.AddField(
            model_name='logentry',
            name='activities',
            field=models.ManyToManyField(blank=True, related_name='learning_entries', through='learning.LogEntryActivity', to='activities.activity'),
        ),
        migrations.CreateModel(
            name='LogEntryIndicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.indicator')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('logentry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.logentry')),
            ],
            options={
                'db_table': 'learning_logentry_indicators',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'logentry', 'indicator'), name='learning_entry_indicator_once')],
            },
        ),
        migrations.AddField(
            model_name='logentry',
            name='indicators',
            field=models.ManyToManyField(blank=True, related_name='learning_entries', through='learning.LogEntryIndicator', to='measurement.indicator'),
        ),
        migrations.CreateModel(
            name='LogEntryMeeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('logentry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.logentry')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='communication.meeting')),
            ],
            options={
                'db_table': 'learning_logentry_meetings',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'logentry', 'meeting'), name='learning_entry_meeting_once')],
            },
        ),
        migrations.AddField(
            model_name='logentry',
            name='meetings',
            field=models.ManyToManyField(blank=True, related_name='learning_entries', through='learning.LogEntryMeeting', to='communication.meeting'),
        ),
        migrations.CreateModel(
            name='LogEntryProposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('logentry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.logentry')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='decisions.proposal')),
            ],
            options={
                'db_table': 'learning_logentry_proposals',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'logentry', 'proposal'), name='learning_entry_proposal_once')],
            },
        ),
        migrations.AddField(
            model_name='logentry',
            name='proposals',
            field=models.ManyToManyField(blank=True, related_name='learning_entries', through='learning.LogEntryProposal', to='decisions.proposal', verbose_name='decisions'),
        ),
        migrations.CreateModel(
            name='LogEntryQuestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('learningquestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.learningquestion')),
                ('logentry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.logentry')),
            ],
            options={
                'db_table': 'learning_logentry_questions',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'logentry', 'learningquestion'), name='learning_entry_question_once')],
            },
        ),
        migrations.AddField(
            model_name='logentry',
            name='questions',
            field=models.ManyToManyField(blank=True, related_name='log_entries', through='learning.LogEntryQuestion', to='learning.learningquestion', verbose_name='learning questions'),
        ),
        migrations.CreateModel(
            name='PlanItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('title', models.CharField(max_length=200, verbose_name='What is evaluated')),
                ('stage', models.CharField(choices=[('early', 'Early years'), ('middle', 'Middle years'), ('later', 'Later years')], max_length=10)),
                ('evaluation_type', models.CharField(choices=[('developmental', 'Developmental'), ('formative', 'Formative'), ('summative', 'Summative')], max_length=14, verbose_name='Type of evaluation')),
                ('method', models.TextField(blank=True, help_text='How: interviews, surveys, data review, …')),
                ('evaluator', models.CharField(blank=True, help_text='A person, team or firm.', max_length=200, verbose_name='Who evaluates')),
                ('timing', models.CharField(blank=True, help_text='When, in words: “each spring”, “year 3, Q2”.', max_length=200)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluation_plan', to='initiatives.initiative')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['stage', 'evaluation_type', 'title', 'id'],
            },
        ),
        migrations.CreateModel(
            name='PlanItemQuestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('learningquestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.learningquestion')),
                ('planitem', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.planitem')),
            ],
            options={
                'db_table': 'learning_planitem_questions',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'planitem', 'learningquestion'), name='learning_plan_item_question_once')],
            },
        ),
        migrations.AddField(
            model_name='planitem',
            name='questions',
            field=models.ManyToManyField(blank=True, related_name='plan_items', through='learning.PlanItemQuestion', to='learning.learningquestion', verbose_name='learning questions it answers'),
        ),
        migrations.AddIndex(
            model_name='logentry',
            index=models.Index(fields=['initiative', 'happened_on'], name='learning_log_by_date'),
        ),
        migrations.AddConstraint(
            model_name='logentry',
            constraint=models.UniqueConstraint(fields=('initiative', 'uuid'), name='learning_logentry_uuid_in_initiative'),
        ),
        migrations.AddConstraint(
            model_name='planitem',
            constraint=models.UniqueConstraint(fields=('initiative', 'uuid'), name='learning_planitem_uuid_in_initiative'),
        ),
    ]
