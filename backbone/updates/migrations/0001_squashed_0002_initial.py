# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('updates', '0001_initial'), ('updates', '0002_initiative_keys')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='DigestSchedule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('frequency', models.CharField(choices=[('daily', 'Daily'), ('weekly', 'Weekly'), ('none', 'Never: no digest')], default='weekly', max_length=6)),
                ('person', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='digest_schedule', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Update',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('kind', models.CharField(choices=[('news', 'News'), ('data_release', 'Data release')], default='news', max_length=12)),
                ('title', models.CharField(max_length=200)),
                ('body', models.TextField(help_text='Plain text; line breaks are kept.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='initiatives.initiative')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['initiative', '-created_at'], name='update_feed_order')],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='updates_update_uuid_in_initiative')],
            },
        ),
        migrations.CreateModel(
            name='UpdateComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('body', models.TextField(help_text='Plain text; line breaks are kept.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('update', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='updates.update')),
            ],
            options={
                'ordering': ['created_at', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='updates_updatecomment_uuid_in_initiative')],
            },
        ),
        migrations.CreateModel(
            name='DigestSent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('window', models.CharField(help_text='e.g. daily:2026-12-01, weekly:2026-W49', max_length=20)),
                ('sent_at', models.DateTimeField()),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='digests_sent', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-sent_at'],
                'constraints': [models.UniqueConstraint(fields=('person', 'window'), name='digest_once_per_window')],
            },
        ),
        migrations.CreateModel(
            name='Following',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('news', models.BooleanField(default=True, verbose_name='News')),
                ('data_releases', models.BooleanField(default=True, verbose_name='Data releases')),
                ('decisions', models.BooleanField(default=True, verbose_name='Decisions of meetings')),
                ('comments', models.BooleanField(default=True, verbose_name='Comments on updates I commented on')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='followings', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('initiative', 'person'), name='following_once_per_person')],
            },
        ),
    ]
