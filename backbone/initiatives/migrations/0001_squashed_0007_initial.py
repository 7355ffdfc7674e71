# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('initiatives', '0001_initial'), ('initiatives', '0002_alter_invitation_role_alter_membership_role'), ('initiatives', '0003_invitation_declined_at'), ('initiatives', '0004_revisions'), ('initiatives', '0005_two_factor'), ('initiatives', '0006_initiative_keys'), ('initiatives', '0007_revisions')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('frameworks', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Initiative',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('slug', models.SlugField(max_length=80, unique=True)),
                ('name', models.CharField(max_length=200)),
                ('place', models.CharField(help_text='Community or region served.', max_length=200)),
                ('issue_area', models.CharField(max_length=200)),
                ('start_date', models.DateField(blank=True, null=True)),
                ('phase', models.CharField(blank=True, help_text="Key of a phase in the initiative's framework.", max_length=60)),
                ('description', models.TextField(blank=True, help_text='Public description.')),
                ('logo', models.ImageField(blank=True, upload_to='logos/')),
                ('visibility', models.CharField(choices=[('public', 'Public: anyone may see its overview and agenda'), ('members', 'Members only')], default='members', max_length=10)),
                ('small_number_threshold', models.PositiveSmallIntegerField(default=10, help_text='Values from fewer people than this are hidden on public pages.')),
                ('two_factor_required', models.BooleanField(default=False, help_text='Backbone staff and data stewards must sign in with a code from an authenticator app as well as their password.', verbose_name='Require two-factor sign-in')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('framework', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='frameworks.framework')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Organisation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('slug', models.SlugField(max_length=80, unique=True)),
                ('name', models.CharField(max_length=200)),
                ('sector', models.CharField(choices=[('government', 'Government'), ('nonprofit', 'Non-profit'), ('business', 'Business'), ('philanthropy', 'Philanthropy'), ('education', 'Education'), ('health', 'Health'), ('faith', 'Faith'), ('community_group', 'Community group'), ('resident_association', 'Resident association'), ('other', 'Other')], max_length=30)),
                ('size', models.CharField(blank=True, choices=[('small', 'Small (under 10 staff)'), ('medium', 'Medium (10–99 staff)'), ('large', 'Large (100–999 staff)'), ('very_large', 'Very large (1,000+ staff)')], max_length=20)),
                ('website', models.URLField(blank=True)),
                ('profile', models.TextField(blank=True, help_text='What the organisation does, in its words.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('backbone_staff', 'Backbone staff'), ('partner_steward', 'Partner steward'), ('partner_member', 'Partner member'), ('community_member', 'Community member'), ('funder', 'Funder'), ('evaluator', 'Evaluator'), ('data_steward', 'Data steward (approves reported values)')], max_length=20)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='initiatives.initiative')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='initiatives.organisation')),
            ],
            options={
                'ordering': ['person__name'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'person', 'role', 'organisation'), name='membership_unique_role'), models.CheckConstraint(condition=models.Q(models.Q(('role__in', ['partner_steward', 'partner_member']), _negated=True), ('organisation__isnull', False), _connector='OR'), name='membership_org_roles_name_org')],
            },
        ),
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('email', models.EmailField(max_length=254)),
                ('name', models.CharField(blank=True, max_length=150)),
                ('role', models.CharField(choices=[('backbone_staff', 'Backbone staff'), ('partner_steward', 'Partner steward'), ('partner_member', 'Partner member'), ('community_member', 'Community member'), ('funder', 'Funder'), ('evaluator', 'Evaluator'), ('data_steward', 'Data steward (approves reported values)')], max_length=20)),
                ('token_hash', models.CharField(db_index=True, max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('expires_at', models.DateTimeField()),
                ('accepted_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('declined_at', models.DateTimeField(blank=True, help_text='When the person invited said no, from the e-mail.', null=True)),
                ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='initiatives.initiative')),
                ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to='initiatives.organisation')),
            ],
            options={
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='initiatives_invitation_uuid_in_initiative'), models.UniqueConstraint(fields=('initiative', 'token_hash'), name='initiatives_invitation_token_hash_in_initiative')],
            },
        ),
        migrations.CreateModel(
            name='Partner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('joined_on', models.DateField(default=django.utils.timezone.localdate)),
                ('status', models.CharField(choices=[('active', 'Active'), ('paused', 'Paused'), ('withdrawn', 'Withdrawn')], default='active', max_length=12)),
                ('commitment', models.TextField(blank=True, help_text='What the partner commits to change in its own work.')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='partners', to='initiatives.initiative')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='partnerships', to='initiatives.organisation')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['organisation__name'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'organisation'), name='partner_once_per_initiative')],
            },
        ),
    ]
