# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('advocacy', '0001_initial'), ('advocacy', '0002_revisions'), ('advocacy', '0003_initiative_keys')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Commitment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('kind', models.CharField(choices=[('programmes', 'Programmes'), ('budget', 'Budget'), ('policies', 'Policies'), ('staff_time', 'Staff time'), ('data', 'Data practices')], max_length=12)),
                ('description', models.TextField()),
                ('starts_on', models.DateField(verbose_name='Starts')),
                ('status', models.CharField(choices=[('committed', 'Committed'), ('in_progress', 'In progress'), ('done', 'Done'), ('dropped', 'Dropped')], default='committed', max_length=12)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='commitments', to='initiatives.initiative')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='commitments', to='initiatives.partner')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['kind', 'starts_on', 'id'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='advocacy_commitment_uuid_in_initiative')],
            },
        ),
        migrations.CreateModel(
            name='CommitmentUpdate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('on', models.DateField(verbose_name='Date')),
                ('text', models.TextField(verbose_name='Progress')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('commitment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='advocacy.commitment')),
                ('initiative', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
            ],
            options={
                'ordering': ['-on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Policy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('title', models.CharField(max_length=200)),
                ('level', models.CharField(choices=[('local', 'Local'), ('regional', 'Regional'), ('national', 'National')], max_length=10)),
                ('body', models.CharField(help_text='Who decides: the council, legislature or agency.', max_length=200)),
                ('position', models.CharField(choices=[('support', 'Support'), ('oppose', 'Oppose'), ('amend', 'Amend'), ('monitor', 'Monitor')], max_length=10, verbose_name='Our position')),
                ('position_statement', models.CharField(blank=True, max_length=300, verbose_name='Position in a sentence')),
                ('status', models.CharField(choices=[('idea', 'Idea'), ('drafted', 'Drafted'), ('introduced', 'Introduced'), ('adopted', 'Adopted'), ('implemented', 'Implemented'), ('failed', 'Failed')], default='idea', max_length=12)),
                ('next_step', models.CharField(blank=True, max_length=300)),
                ('is_public', models.BooleanField(default=False, help_text='Shown to visitors when the initiative is public.', verbose_name='Public')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='policies', to='initiatives.initiative')),
                ('next_step_owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='owner of the next step')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'policies',
                'ordering': ['title', 'id'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='advocacy_policy_uuid_in_initiative')],
            },
        ),
        migrations.CreateModel(
            name='PolicyEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('happened_on', models.DateField(verbose_name='Date')),
                ('description', models.CharField(max_length=300, verbose_name='What happened')),
                ('status_before', models.CharField(choices=[('idea', 'Idea'), ('drafted', 'Drafted'), ('introduced', 'Introduced'), ('adopted', 'Adopted'), ('implemented', 'Implemented'), ('failed', 'Failed')], max_length=12)),
                ('status_after', models.CharField(blank=True, choices=[('idea', 'Idea'), ('drafted', 'Drafted'), ('introduced', 'Introduced'), ('adopted', 'Adopted'), ('implemented', 'Implemented'), ('failed', 'Failed')], max_length=12, verbose_name='Status after it')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('initiative', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('policy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='advocacy.policy')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['happened_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='PublicWillItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('kind', models.CharField(choices=[('campaign', 'Campaign'), ('event', 'Event'), ('media', 'Media item')], max_length=10)),
                ('title', models.CharField(max_length=200)),
                ('starts_on', models.DateField(help_text='For a campaign, the day it starts.', verbose_name='Date')),
                ('ends_on', models.DateField(blank=True, help_text='Campaigns only.', null=True, verbose_name='Ends')),
                ('audience', models.CharField(blank=True, max_length=200)),
                ('reach', models.PositiveIntegerField(blank=True, help_text='People reached.', null=True)),
                ('reach_basis', models.CharField(choices=[('estimated', 'Estimated'), ('measured', 'Measured')], default='estimated', max_length=10)),
                ('link', models.URLField(blank=True)),
                ('notes', models.TextField(blank=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='public_will_items', to='initiatives.initiative')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-starts_on', 'id'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='advocacy_publicwillitem_uuid_in_initiative'), models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='public_will_ends_after_start')],
            },
        ),
    ]
