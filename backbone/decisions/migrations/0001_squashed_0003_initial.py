# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('decisions', '0001_initial'), ('decisions', '0002_initiative_keys'), ('decisions', '0003_revisions')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('agenda', '0001_squashed_0003_initial'),
        ('communication', '0001_squashed_0004_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
        ('measurement', '0001_squashed_0008_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Proposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('title', models.CharField(max_length=200)),
                ('text', models.TextField(verbose_name='Proposal')),
                ('method', models.CharField(choices=[('consent', 'Consent (objections)'), ('consensus', 'Consensus (agree, abstain, disagree, block)'), ('gradient', 'Gradient of agreement (1 to 5)'), ('poll', 'Poll (pick one option)')], max_length=10, verbose_name='Decision method')),
                ('unit', models.CharField(choices=[('person', 'One vote per person'), ('organisation', 'One vote per partner organisation')], max_length=12, verbose_name='Voting unit')),
                ('opens_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='Opens')),
                ('closes_at', models.DateTimeField(verbose_name='Closes')),
                ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=6)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('group', models.ForeignKey(blank=True, help_text='Empty: put to all partners.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='proposals', to='communication.workinggroup')),
                ('indicator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='measurement.indicator', verbose_name='indicator or result')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals', to='initiatives.initiative')),
                ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='proposals', to='communication.meeting')),
                ('proposer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='proposals', to=settings.AUTH_USER_MODEL)),
                ('strategy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='agenda.strategy')),
            ],
            options={
                'ordering': ['closes_at', 'pk'],
                'indexes': [models.Index(fields=['initiative', 'status', 'closes_at'], name='decisions_p_initiat_867017_idx')],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='decisions_proposal_uuid_in_initiative'), models.CheckConstraint(condition=models.Q(('closes_at__gt', models.F('opens_at'))), name='proposal_closes_after_it_opens')],
            },
        ),
        migrations.CreateModel(
            name='PollOption',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(max_length=200)),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='options', to='decisions.proposal')),
            ],
            options={
                'ordering': ['position', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'proposal', 'label'), name='poll_option_label_once_per_proposal')],
            },
        ),
        migrations.CreateModel(
            name='Outcome',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('result', models.CharField(choices=[('adopted', 'Adopted'), ('not_adopted', 'Not adopted'), ('blocked', 'Blocked'), ('chosen', 'Option chosen'), ('tie', 'Tie')], max_length=12)),
                ('tally', models.JSONField(default=dict)),
                ('summary', models.TextField()),
                ('review_on', models.DateField(blank=True, help_text='Empty once reviewed with no next date.', null=True, verbose_name='Review on')),
                ('closed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('closed_by', models.ForeignKey(blank=True, help_text='Empty when it closed by itself on its closing date.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decision_outcomes', to=settings.AUTH_USER_MODEL)),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outcomes', to='decisions.proposal')),
            ],
            options={
                'ordering': ['-closed_at', '-pk'],
                'indexes': [models.Index(fields=['initiative', 'closed_at'], name='decisions_o_initiat_eead37_idx'), models.Index(fields=['owner', 'review_on'], name='decisions_o_owner_i_12d695_idx')],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'proposal'), name='outcome_once_per_proposal')],
            },
        ),
        migrations.CreateModel(
            name='Review',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('note', models.TextField()),
                ('next_review_on', models.DateField(blank=True, null=True, verbose_name='Next review')),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('outcome', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='decisions.outcome')),
            ],
            options={
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Vote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('choice', models.CharField(blank=True, choices=[('no_objection', 'No objection'), ('objection', 'Objection'), ('agree', 'Agree'), ('abstain', 'Abstain'), ('disagree', 'Disagree'), ('block', 'Block')], max_length=12)),
                ('level', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('reason', models.TextField(blank=True)),
                ('cast_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('option', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='decisions.polloption')),
                ('organisation', models.ForeignKey(blank=True, help_text='Set when the proposal takes one vote per organisation.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.organisation')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='decisions.proposal')),
                ('voter', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['cast_at', 'pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('organisation__isnull', True)), fields=('initiative', 'proposal', 'voter'), name='vote_once_per_person'), models.UniqueConstraint(condition=models.Q(('organisation__isnull', False)), fields=('initiative', 'proposal', 'organisation'), name='vote_once_per_organisation'), models.CheckConstraint(condition=models.Q(('level__isnull', True), models.Q(('level__gte', 1), ('level__lte', 5)), _connector='OR'), name='vote_level_on_the_gradient')],
            },
        ),
        migrations.CreateModel(
            name='VoteChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('choice', models.CharField(blank=True, choices=[('no_objection', 'No objection'), ('objection', 'Objection'), ('agree', 'Agree'), ('abstain', 'Abstain'), ('disagree', 'Disagree'), ('block', 'Block')], max_length=12)),
                ('level', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('option_label', models.CharField(blank=True, max_length=200)),
                ('reason', models.TextField(blank=True)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.organisation')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='vote_changes', to='decisions.proposal')),
                ('vote', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='decisions.vote')),
            ],
            options={
                'ordering': ['at', 'pk'],
                'indexes': [models.Index(fields=['initiative', 'at'], name='decisions_v_initiat_f02503_idx')],
            },
        ),
        migrations.CreateModel(
            name='DecisionRules',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('allowed_methods', models.JSONField(default=list)),
                ('default_unit', models.CharField(choices=[('person', 'One vote per person'), ('organisation', 'One vote per partner organisation')], default='person', max_length=12)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='decision_rules', to='communication.workinggroup')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'decision rules',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'group'), name='decision_rules_once_per_group'), models.UniqueConstraint(condition=models.Q(('group__isnull', True)), fields=('initiative',), name='decision_rules_once_per_initiative')],
            },
        ),
    ]
