# Squashed: the whole history of this app up to the migration it is named after.

import backbone.measurement.models.rollups
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('measurement', '0001_initial'), ('measurement', '0002_values_keys_checked_by_the_intake'), ('measurement', '0003_values_version'), ('measurement', '0004_rollups_breaks_blanks_dhis2_fields'), ('measurement', '0005_revisions'), ('measurement', '0006_initiative_keys'), ('measurement', '0007_revisions'), ('measurement', '0008_link_keys')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('agenda', '0001_squashed_0003_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ValuesVersion',
            fields=[
                ('initiative', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, serialize=False, to='initiatives.initiative')),
                ('token', models.UUIDField(default=uuid.uuid4)),
            ],
        ),
        migrations.CreateModel(
            name='Cell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(blank=True, max_length=200)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cells', to='initiatives.initiative')),
            ],
        ),
        migrations.CreateModel(
            name='Dimension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('key', models.SlugField(max_length=60)),
                ('name', models.CharField(max_length=120)),
                ('is_geography', models.BooleanField(default=False, help_text='Groups form a hierarchy of places (city › district › …).')),
                ('position', models.PositiveIntegerField(default=0)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dimensions', to='initiatives.initiative')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['position', 'name'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='measurement_dimension_uuid_in_initiative'), models.UniqueConstraint(fields=('initiative', 'key'), name='dimension_key_unique')],
            },
        ),
        migrations.CreateModel(
            name='Group',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('key', models.SlugField(max_length=60)),
                ('name', models.CharField(max_length=120)),
                ('position', models.PositiveIntegerField(default=0)),
                ('dimension', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='groups', to='measurement.dimension')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='groups', to='initiatives.initiative')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='children', to='measurement.group')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['dimension__position', 'position', 'name'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='measurement_group_uuid_in_initiative'), models.UniqueConstraint(fields=('initiative', 'dimension', 'key'), name='group_key_unique')],
            },
        ),
        migrations.CreateModel(
            name='CellGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cell', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.cell')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.group')),
            ],
            options={
                'db_table': 'measurement_cell_groups',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'cell', 'group'), name='cell_group_once')],
            },
        ),
        migrations.AddField(
            model_name='cell',
            name='groups',
            field=models.ManyToManyField(blank=True, related_name='cells', through='measurement.CellGroup', to='measurement.group'),
        ),
        migrations.CreateModel(
            name='Indicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('code', models.SlugField(help_text='Short code used in files and the API.', max_length=60)),
                ('name', models.CharField(max_length=200)),
                ('definition', models.TextField(blank=True)),
                ('kind', models.CharField(choices=[('population', 'Population indicator'), ('how_much', 'Performance measure: how much did we do?'), ('how_well', 'Performance measure: how well did we do it?'), ('better_off', 'Performance measure: is anyone better off?')], default='population', max_length=12)),
                ('unit', models.CharField(choices=[('count', 'Count'), ('percent', 'Percent'), ('rate', 'Rate per N'), ('currency', 'Currency'), ('score', 'Score')], default='count', max_length=10)),
                ('rate_per', models.PositiveIntegerField(default=100, help_text='For rates: per how many (100 for a percent, 1,000, …).')),
                ('numerator_definition', models.TextField(blank=True)),
                ('denominator_definition', models.TextField(blank=True)),
                ('direction', models.CharField(choices=[('up', 'Up is better'), ('down', 'Down is better')], default='up', max_length=4)),
                ('aggregation', models.CharField(choices=[('sum', 'Sum'), ('rate', 'Rate from numerator and denominator'), ('weighted', 'Average weighted by n'), ('stock', 'Stock: last value in time, summed across places'), ('cumulative', 'Cumulative: latest running total')], default='sum', max_length=12)),
                ('source', models.CharField(blank=True, max_length=300)),
                ('frequency', models.CharField(choices=[('month', 'Monthly'), ('quarter', 'Quarterly'), ('school_year', 'School year'), ('year', 'Calendar year'), ('fiscal_year', 'Fiscal year')], default='year', max_length=12)),
                ('visibility', models.CharField(choices=[('public', 'Public: on the public scorecard'), ('funders', 'Members and funders'), ('members', 'Members, not funders')], default='members', max_length=10)),
                ('minimum', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('maximum', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('all_cells_required', models.BooleanField(default=False, help_text='A report must give every combination of groups.')),
                ('decimals', models.PositiveSmallIntegerField(default=1)),
                ('position', models.PositiveIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('goal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='indicators', to='agenda.goal')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='initiatives.initiative')),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='initiatives.organisation')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('strategy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='indicators', to='agenda.strategy')),
            ],
            options={
                'ordering': ['position', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Dhis2Mapping',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('data_element', 'Data element → indicator'), ('coc', 'Category option combo → groups'), ('org_unit', 'Org unit → place'), ('aoc', 'Attribute option combo → partner')], max_length=14)),
                ('code', models.CharField(help_text='The DHIS2 uid or code.', max_length=64)),
                ('cell', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to='measurement.cell')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='initiatives.initiative')),
                ('partner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.partner')),
                ('place', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to='measurement.group')),
                ('indicator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to='measurement.indicator')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('initiative', 'kind', 'code'), name='dhis2_code_once')],
            },
        ),
        migrations.CreateModel(
            name='IndicatorDimension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0)),
                ('dimension', models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, to='measurement.dimension')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='measurement.indicator')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='initiatives.initiative')),
            ],
            options={
                'ordering': ['position'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'indicator', 'dimension'), name='indicator_dimension_once')],
            },
        ),
        migrations.AddField(
            model_name='indicator',
            name='dimensions',
            field=models.ManyToManyField(blank=True, related_name='indicators', through='measurement.IndicatorDimension', to='measurement.dimension'),
        ),
        migrations.CreateModel(
            name='Period',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('month', 'Month'), ('quarter', 'Quarter'), ('school_year', 'School year'), ('year', 'Calendar year'), ('fiscal_year', 'Fiscal year')], max_length=12)),
                ('code', models.CharField(help_text='2024-03, 2024Q1, 2024, SY2024-25, FY2024-25', max_length=20)),
                ('start', models.DateField()),
                ('end', models.DateField(help_text='Last day of the period.')),
                ('status', models.CharField(choices=[('open', 'Open for reporting'), ('closed', 'Closed')], default='open', max_length=8)),
                ('due', models.DateField(blank=True, help_text='When reports are due.', null=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='periods', to='initiatives.initiative')),
            ],
            options={
                'ordering': ['kind', 'start'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'code'), name='period_code_unique')],
            },
        ),
        migrations.CreateModel(
            name='Rollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('provisional', models.BooleanField()),
                ('value_count', models.PositiveIntegerField()),
                ('partner_count', models.PositiveIntegerField()),
                ('total', backbone.measurement.models.rollups.ExactDecimalField(decimal_places=6, max_digits=30, null=True)),
                ('numerator', backbone.measurement.models.rollups.ExactDecimalField(decimal_places=6, max_digits=30, null=True)),
                ('denominator', backbone.measurement.models.rollups.ExactDecimalField(decimal_places=6, max_digits=30, null=True)),
                ('weighted', backbone.measurement.models.rollups.ExactDecimalField(decimal_places=12, max_digits=40, null=True)),
                ('weight', backbone.measurement.models.rollups.ExactDecimalField(decimal_places=6, max_digits=30, null=True)),
                ('cell', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.cell')),
                ('indicator', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.indicator')),
                ('initiative', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('period', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.period')),
            ],
            options={
                'indexes': [models.Index(fields=['initiative', 'provisional', 'period', 'indicator'], name='rollup_by_period'), models.Index(fields=['indicator', 'period'], name='rollup_by_pair')],
            },
        ),
        migrations.CreateModel(
            name='SeriesBreak',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='breaks', to='measurement.indicator')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='initiatives.initiative')),
                ('period', models.ForeignKey(help_text='The first period of the new series.', on_delete=django.db.models.deletion.RESTRICT, related_name='+', to='measurement.period')),
            ],
            options={
                'ordering': ['period__start'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'indicator', 'period'), name='series_break_once')],
            },
        ),
        migrations.CreateModel(
            name='Submission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('channel', models.CharField(choices=[('web', 'Web form'), ('csv', 'CSV file'), ('xlsx', 'Excel file'), ('api', 'REST API'), ('dhis2', 'DHIS2 dataValueSets'), ('correction', 'Correction by the backbone')], max_length=12)),
                ('file_name', models.CharField(blank=True, max_length=255)),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved'), ('returned', 'Returned')], default='submitted', max_length=10)),
                ('narrative', models.TextField(blank=True, help_text='The story behind the numbers.')),
                ('value_count', models.PositiveIntegerField(default=0)),
                ('outlier_count', models.PositiveIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('review_comment', models.TextField(blank=True)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='submissions', to='initiatives.initiative')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name='submissions', to='initiatives.partner')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='measurement_submission_uuid_in_initiative')],
            },
        ),
        migrations.CreateModel(
            name='DataValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('numerator', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('denominator', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('weight', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved'), ('returned', 'Returned')], default='submitted', max_length=10)),
                ('is_outlier', models.BooleanField(default=False)),
                ('missing', models.CharField(blank=True, choices=[('not_collected', 'Not collected'), ('suppressed', 'Suppressed at the source'), ('not_applicable', 'Not applicable')], db_default='', default='', help_text='Why the value is blank, when it is.', max_length=16)),
                ('comment', models.CharField(blank=True, db_default='', default='', max_length=500)),
                ('followup', models.BooleanField(db_default=False, default=False, help_text='Marked for follow-up (DHIS2).')),
                ('stored_by', models.CharField(blank=True, db_default='', default='', help_text='Who keyed it (DHIS2).', max_length=255)),
                ('updated_at', models.DateTimeField()),
                ('cell', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.RESTRICT, related_name='+', to='measurement.cell')),
                ('initiative', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='data_values', to='initiatives.initiative')),
                ('partner', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.RESTRICT, related_name='data_values', to='initiatives.partner')),
                ('indicator', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='values', to='measurement.indicator')),
                ('period', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.RESTRICT, related_name='+', to='measurement.period')),
                ('submission', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='values', to='measurement.submission')),
            ],
            options={
                'indexes': [models.Index(fields=['initiative', 'indicator', 'period'], name='measurement_initiat_45ca90_idx'), models.Index(fields=['submission'], name='measurement_submiss_0fc5b1_idx')],
                'constraints': [models.UniqueConstraint(fields=('indicator', 'partner', 'period', 'cell', 'initiative'), name='value_once_per_cell')],
            },
        ),
        migrations.CreateModel(
            name='Target',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('baseline', 'Baseline'), ('target', 'Target')], max_length=10)),
                ('value', models.DecimalField(decimal_places=6, max_digits=20)),
                ('note', models.CharField(blank=True, max_length=300)),
                ('cell', models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, to='measurement.cell')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='measurement.indicator')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='initiatives.initiative')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, to='measurement.period')),
            ],
            options={
                'ordering': ['period__start'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'indicator', 'kind', 'period', 'cell'), name='target_once')],
            },
        ),
        migrations.CreateModel(
            name='ValueChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('changed_at', models.DateTimeField()),
                ('old_value', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('old_numerator', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('old_denominator', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('old_weight', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('new_value', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('new_numerator', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('new_denominator', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('new_weight', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                ('reason', models.CharField(blank=True, max_length=500)),
                ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('data_value', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='measurement.datavalue')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='initiatives.initiative')),
                ('previous_submission', models.ForeignKey(blank=True, help_text='The submission that carried the old value.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='measurement.submission')),
                ('submission', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='measurement.submission')),
            ],
            options={
                'ordering': ['-changed_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('name', models.CharField(max_length=100)),
                ('prefix', models.CharField(help_text='First characters, to recognise it.', max_length=8)),
                ('token_hash', models.CharField(db_index=True, max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('last_used_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='initiatives.initiative')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to='initiatives.partner')),
            ],
            options={
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='measurement_apitoken_uuid_in_initiative'), models.UniqueConstraint(fields=('initiative', 'token_hash'), name='measurement_apitoken_token_hash_in_initiative')],
            },
        ),
        migrations.AddConstraint(
            model_name='cell',
            constraint=models.UniqueConstraint(fields=('initiative', 'key'), name='cell_key_unique'),
        ),
        migrations.AddConstraint(
            model_name='indicator',
            constraint=models.UniqueConstraint(fields=('initiative', 'uuid'), name='measurement_indicator_uuid_in_initiative'),
        ),
        migrations.AddConstraint(
            model_name='indicator',
            constraint=models.UniqueConstraint(fields=('initiative', 'code'), name='indicator_code_unique'),
        ),
    ]
