# Squashed: the whole history of this app up to the migration it is named after.

import django.core.validators
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('powermap', '0001_initial'), ('powermap', '0002_revisions'), ('powermap', '0003_initiative_keys')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Body',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('name', models.CharField(max_length=200)),
                ('kind', models.CharField(choices=[('steering', 'Steering committee'), ('leadership', 'Leadership table'), ('advisory', 'Advisory council'), ('funders', "Funders' table"), ('other', 'Other')], default='steering', max_length=12)),
                ('decides', models.CharField(blank=True, help_text='In a sentence.', max_length=300, verbose_name='What it decides')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='governance_bodies', to='initiatives.initiative')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'bodies',
                'ordering': ['name', 'id'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='powermap_body_uuid_in_initiative'), models.UniqueConstraint(fields=('initiative', 'name'), name='governance_body_name_once_per_initiative')],
            },
        ),
        migrations.CreateModel(
            name='Seat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('title', models.CharField(blank=True, help_text='E.g. Chair, Member.', max_length=100)),
                ('is_chair', models.BooleanField(default=False, help_text='Chairs or co-chairs: a lead seat.', verbose_name='Chairs the body')),
                ('community_member', models.BooleanField(default=False, help_text='A resident or person with lived experience. Set for you when the person holds the community-member role here.', verbose_name='Held by a community member')),
                ('since', models.DateField()),
                ('until', models.DateField(blank=True, help_text='Empty while the seat is held.', null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('body', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='seats', to='powermap.body')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='initiatives.organisation')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='governance_seats', to=settings.AUTH_USER_MODEL)),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['body', '-is_chair', 'since', 'id'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='powermap_seat_uuid_in_initiative'), models.CheckConstraint(condition=models.Q(('until__isnull', True), ('until__gte', models.F('since')), _connector='OR'), name='seat_until_after_since')],
            },
        ),
        migrations.CreateModel(
            name='Stakeholder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('name', models.CharField(max_length=200)),
                ('kind', models.CharField(choices=[('organisation', 'Organisation'), ('group', 'Group'), ('official', 'Official')], max_length=12)),
                ('sector', models.CharField(blank=True, choices=[('government', 'Government'), ('nonprofit', 'Non-profit'), ('business', 'Business'), ('philanthropy', 'Philanthropy'), ('education', 'Education'), ('health', 'Health'), ('faith', 'Faith'), ('community_group', 'Community group'), ('resident_association', 'Resident association'), ('other', 'Other')], max_length=30)),
                ('influence', models.PositiveSmallIntegerField(choices=[(1, '1 — Very low'), (2, '2 — Low'), (3, '3 — Moderate'), (4, '4 — High'), (5, '5 — Very high')], help_text='How much it can move the agenda: power, money, votes, voice.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='Influence')),
                ('interest', models.PositiveSmallIntegerField(choices=[(1, '1 — Very low'), (2, '2 — Low'), (3, '3 — Moderate'), (4, '4 — High'), (5, '5 — Very high')], help_text='How much the agenda matters to it.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='Interest')),
                ('stance', models.CharField(choices=[('champion', 'Champion'), ('supporter', 'Supporter'), ('neutral', 'Neutral'), ('sceptic', 'Sceptic'), ('opponent', 'Opponent')], default='neutral', max_length=10, verbose_name='Stance toward the agenda')),
                ('notes', models.TextField(blank=True)),
                ('placed_at', models.DateTimeField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stakeholders', to='initiatives.initiative')),
                ('organisation', models.ForeignKey(blank=True, help_text="When the stakeholder is one of the initiative's partners.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='initiatives.organisation')),
                ('placed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['name', 'id'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='powermap_stakeholder_uuid_in_initiative'), models.UniqueConstraint(fields=('initiative', 'name'), name='stakeholder_name_once_per_initiative'), models.CheckConstraint(condition=models.Q(('influence__gte', 1), ('influence__lte', 5)), name='stakeholder_influence_1_to_5'), models.CheckConstraint(condition=models.Q(('interest__gte', 1), ('interest__lte', 5)), name='stakeholder_interest_1_to_5')],
            },
        ),
        migrations.CreateModel(
            name='Placement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('influence', models.PositiveSmallIntegerField(choices=[(1, '1 — Very low'), (2, '2 — Low'), (3, '3 — Moderate'), (4, '4 — High'), (5, '5 — Very high')])),
                ('interest', models.PositiveSmallIntegerField(choices=[(1, '1 — Very low'), (2, '2 — Low'), (3, '3 — Moderate'), (4, '4 — High'), (5, '5 — Very high')])),
                ('stance', models.CharField(choices=[('champion', 'Champion'), ('supporter', 'Supporter'), ('neutral', 'Neutral'), ('sceptic', 'Sceptic'), ('opponent', 'Opponent')], max_length=10)),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='Why it moved')),
                ('placed_at', models.DateTimeField()),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('placed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('stakeholder', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='placements', to='powermap.stakeholder')),
            ],
            options={
                'ordering': ['-placed_at', '-id'],
            },
        ),
    ]
