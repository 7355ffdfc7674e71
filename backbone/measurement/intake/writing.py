"""Writing a checked batch in one transaction: the submission, new values by COPY (or one
prepared INSERT), values reported again by one prepared UPDATE, their history, the audit of
corrections to closed periods, and the roll-ups of the (indicator, period) pairs touched."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from backbone import audit
from backbone.audit.models import Action
from backbone.initiatives.models import Partner

from .. import missing
from ..models import Cell, DataValue, Indicator, Period, Submission, ValueChange
from ..numbers import as_text
from ..problems import IntakeRefused, Problem
from ..versions import report_unchanged_since, values_changed, values_lock
from .rows import AUDITED_VALUES, Checked, Reported


class Writing:
    """The writing half of `Intake` (backbone.measurement.intake)."""

    def submit(
        self,
        rows: Iterable[Reported],
        *,
        status: str = Submission.Status.SUBMITTED,
        narrative: str = "",
        read_revision: int | None = None,
    ) -> Submission:
        """Check, then write everything or nothing. Raises IntakeRefused with the problems.

        `read_revision`: the version of the partner's report (one indicator and period) the
        web form was read at (versions.report_revision); written since, by any channel, the
        rows are refused with EditConflict. None checks nothing, as files and the API."""
        checked = self.check(rows)
        if self.problem_count:
            raise IntakeRefused(self.problems, self.problem_count)
        return self.record(checked, status=status, narrative=narrative, read_revision=read_revision)

    @transaction.atomic
    def record(
        self,
        checked: list[Checked],
        *,
        status: str,
        narrative: str = "",
        read_revision: int | None = None,
    ) -> Submission:
        now = timezone.now()
        self._hold(checked)
        # Another submission of the same cells waits here until this one is written, then
        # reads what it wrote: the value it takes over, and whose it was, for the history.
        pairs = {(c[1], c[2]) for c in checked}
        values_lock(self.initiative.pk, pairs)
        if read_revision is not None:
            ((indicator_id, period_id),) = pairs  # a form's report: one indicator and period
            report_unchanged_since(
                read_revision,
                partner_id=self.partner.pk,
                indicator_id=indicator_id,
                period_id=period_id,
            )
        partner = self.partner or Partner.objects.get(pk=checked[0][0])
        submission = Submission.objects.create(
            initiative=self.initiative,
            partner=partner,
            channel=Submission.Channel.CORRECTION if self.correction_reason else self.channel,
            file_name=self.file_name,
            status=status,
            narrative=narrative,
            value_count=len(checked),
            outlier_count=len(self.outliers),
            created_by=self.by,
            submitted_at=now if status != Submission.Status.DRAFT else None,
            review_comment=self.correction_reason,
        )
        cell_ids = self.ensure_cells({c[3] for c in checked})
        existing = self._existing(checked, cell_ids)
        inserts, changes, updates = [], [], []
        init_id, sub_id = self.initiative.pk, submission.pk
        for c in checked:
            cell_id = cell_ids[c[3]]
            outlier = c[:4] in self.outliers
            reason = self.blanks.get(c[:4], "")
            notes = self.notes.get(c[:4], NO_NOTES)
            old = existing.get((c[0], c[1], c[2], cell_id))
            if old is None:
                inserts.append(
                    (
                        init_id,
                        c[1],
                        c[0],
                        c[2],
                        cell_id,
                        c[4],
                        c[5],
                        c[6],
                        c[7],
                        status,
                        outlier,
                        sub_id,
                        now,
                        reason,
                        *notes,
                    )
                )
            else:
                updates.append((old[0], c[4], c[5], c[6], c[7], outlier, reason, *notes))
                # a blank's reason is part of the value: a new reason is a change too
                if _changed(old[1:5], c[4:8]) or old[6] != reason:
                    changes.append(
                        ValueChange(
                            initiative_id=init_id,
                            data_value_id=old[0],
                            submission_id=sub_id,
                            previous_submission_id=old[5],
                            changed_by=self.by,
                            changed_at=now,
                            old_value=old[1],
                            old_numerator=old[2],
                            old_denominator=old[3],
                            old_weight=old[4],
                            new_value=c[4],
                            new_numerator=c[5],
                            new_denominator=c[6],
                            new_weight=c[7],
                            reason=missing.change_reason(self.correction_reason, old[6], reason),
                        )
                    )
        _insert_values(inserts)
        _update_values(updates, status=status, submission_id=sub_id, now=now)
        ValueChange.objects.bulk_create(changes, batch_size=2000)
        if self.correction_reason:
            self._audit_closed(checked, existing, cell_ids, partner, submission)
        # New values that are not approved change no approved figure: only the provisional
        # roll-ups need recomputing. A value written over may have been approved.
        values_changed(
            self.initiative.pk,
            {(c[1], c[2]) for c in checked},
            provisional_only=status != Submission.Status.APPROVED and not updates,
            added=len(inserts),
        )
        return submission

    def _audit_closed(self, checked, existing, cell_ids, partner, submission) -> None:
        """One audit event for the values this correction wrote into closed periods: each
        value as it was and as it is now (the first AUDITED_VALUES of them; the count says
        how many in all)."""
        cat = self.catalogue
        closed = {pk for pk, status in cat.periods.values() if status != Period.Status.OPEN}
        indicators = {rules.id: code for code, rules in cat.indicators.items()}
        periods = {pk: code for code, (pk, _) in cat.periods.items()}
        partners = {pk: slug for slug, (pk, _) in cat.partners.items()}
        groups = {pk: f"{dim}:{key}" for (dim, key), pk in cat.groups.items()}
        before, after = [], []
        for c in checked:
            if c[2] not in closed:
                continue
            old = existing.get((c[0], c[1], c[2], cell_ids[c[3]]))
            reason = self.blanks.get(c[:4], "")
            if old is not None and not _changed(old[1:5], c[4:8]) and old[6] == reason:
                continue
            where = {
                "partner": partners.get(c[0]),
                "indicator": indicators.get(c[1]),
                "period": periods.get(c[2]),
                "groups": [groups.get(int(g)) for g in c[3].split(".") if g],
            }
            before.append(where | _numbers(old[1:5], old[6]) if old else where | {"value": None})
            after.append(where | _numbers(c[4:8], reason))
        if not after:
            return
        audit.record(
            initiative=self.initiative,
            by=self.by,
            action=Action.VALUES_CORRECTED,
            organisation=None if self.many_partners else partner.organisation,
            subject=self.correction_reason,
            before={"values": before[:AUDITED_VALUES], "count": len(before)},
            after={
                "values": after[:AUDITED_VALUES],
                "count": len(after),
                "submission": str(submission.uuid),
                "reason": self.correction_reason,
            },
        )

    def _hold(self, checked: list[Checked]) -> None:
        """Lock what the values point to until the transaction ends, as a foreign key check
        would, but once per import rather than once per value: partners and indicators
        against deletion, periods against deletion and closing. A period closed since the
        rows were checked refuses them."""
        self.hold_ids({c[0] for c in checked}, {c[1] for c in checked}, {c[2] for c in checked})

    def hold_ids(self, partners, indicators, periods) -> None:
        """`_hold` for the ids of partners, indicators and periods a batch refers to."""
        partners, indicators, periods = sorted(partners), sorted(indicators), sorted(periods)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model, ids, mode in (
                    (Partner, partners, "KEY SHARE"),
                    (Indicator, indicators, "KEY SHARE"),
                    (Period, periods, "SHARE"),
                ):
                    table = model._meta.db_table
                    cursor.execute(f"SELECT id FROM {table} WHERE id = ANY(%s) FOR {mode}", [ids])
        found = {
            (model, pk)
            for model, rows in (
                (Partner, Partner.objects.filter(pk__in=partners)),
                (Indicator, Indicator.objects.filter(pk__in=indicators)),
            )
            for pk in rows.values_list("pk", flat=True)
        }
        gone = [pk for pk in partners if (Partner, pk) not in found] + [
            pk for pk in indicators if (Indicator, pk) not in found
        ]
        status = dict(Period.objects.filter(pk__in=periods).values_list("pk", "status"))
        closed = [
            code
            for code, (pk, was) in self.catalogue.periods.items()
            if pk in status
            and status[pk] == Period.Status.CLOSED != was
            and not self.correction_reason
        ]
        if gone or len(status) < len(periods) or closed:
            reason = (
                gettext("period %(period)s was closed while these values were being checked")
                % {"period": closed[0]}
                if closed
                else gettext(
                    "an indicator, partner or period was deleted while these values were "
                    "being checked"
                )
            )
            raise IntakeRefused([Problem(reason, self.file_name)])

    def ensure_cells(self, keys: set[str]) -> dict[str, int]:
        known = self.catalogue.cells
        missing = [k for k in keys if k not in known]
        if missing:
            Cell.objects.bulk_create(
                [Cell(initiative=self.initiative, key=k) for k in missing], ignore_conflicts=True
            )
            created = dict(
                Cell.objects.filter(initiative=self.initiative, key__in=missing).values_list(
                    "key", "id"
                )
            )
            links = [
                Cell.groups.through(initiative=self.initiative, cell_id=created[k], group_id=int(g))
                for k in missing
                for g in k.split(".")
                if k
            ]
            Cell.groups.through.objects.bulk_create(links, ignore_conflicts=True)
            known.update(created)
        return {k: known[k] for k in keys}

    def _existing(self, checked: list[Checked], cell_ids: dict[str, int]) -> dict:
        partners = {c[0] for c in checked}
        indicators = {c[1] for c in checked}
        periods = {c[2] for c in checked}
        rows = DataValue.objects.filter(
            initiative=self.initiative,
            partner_id__in=partners,
            indicator_id__in=indicators,
            period_id__in=periods,
        ).values_list(
            "partner_id",
            "indicator_id",
            "period_id",
            "cell_id",
            "id",
            "value",
            "numerator",
            "denominator",
            "weight",
            "submission_id",
            "missing",
        )
        return {r[:4]: r[4:] for r in rows}


def _numbers(numbers, missing_reason: str) -> dict:
    """A value's numbers as exact text, for the audit trail; a blank's reason when blank."""
    names = ("value", "numerator", "denominator", "n")
    found = {
        name: as_text(Decimal(n)) for name, n in zip(names, numbers, strict=True) if n is not None
    }
    return found or {"value": None, "missing": missing_reason}


def _changed(old, new) -> bool:
    return any(
        (o is None) != (n is None) or (o is not None and Decimal(o) != Decimal(n))
        for o, n in zip(old, new, strict=True)
    )


VALUE_COLUMNS = (
    "initiative_id",
    "indicator_id",
    "partner_id",
    "period_id",
    "cell_id",
    "value",
    "numerator",
    "denominator",
    "weight",
    "status",
    "is_outlier",
    "submission_id",
    "updated_at",
    "missing",
    "comment",
    "followup",
    "stored_by",
)
NO_NOTES = ("", False, "")


def _insert_values(rows: list[tuple]) -> None:
    """New values: PostgreSQL's COPY where we have it, batched inserts elsewhere."""
    if not rows:
        return
    table = DataValue._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(
                f"COPY {table} ({', '.join(VALUE_COLUMNS)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        return
    # Elsewhere one prepared INSERT for every row: the rows are checked already, so building
    # a model instance for each would only cost time. The timestamp is adapted as Django would.
    at = VALUE_COLUMNS.index("updated_at")
    marks = ", ".join(["%s"] * len(VALUE_COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(VALUE_COLUMNS)}) VALUES ({marks})"
    adapt = connection.ops.adapt_datetimefield_value
    stamps: dict = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            batch = []
            for row in rows[start : start + 5000]:
                when = row[at]
                if when not in stamps:
                    stamps[when] = adapt(when)
                batch.append((*row[:at], stamps[when], *row[at + 1 :]))
            cursor.executemany(sql, batch)


UPDATED_COLUMNS = (
    "value",
    "numerator",
    "denominator",
    "weight",
    "is_outlier",
    "missing",
    "comment",
    "followup",
    "stored_by",
)


def _update_values(updates: list[tuple], *, status: str, submission_id: int, now) -> None:
    """Values reported again: one prepared UPDATE by key for every row, sent in batches
    (psycopg pipelines them). Django's bulk_update builds a CASE per column and row, which
    took seconds per thousand rows."""
    if not updates:
        return
    table = DataValue._meta.db_table
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(c)} = %s" for c in (*UPDATED_COLUMNS, "status"))
    sql = (
        f"UPDATE {quote(table)} SET {assignments}, {quote('submission_id')} = %s, "
        f"{quote('updated_at')} = %s WHERE {quote('id')} = %s"
    )
    at = connection.ops.adapt_datetimefield_value(now)
    rows = [
        (value, num, den, weight, outlier, reason, comment, followup, stored_by)
        + (status, submission_id, at, pk)
        for pk, value, num, den, weight, outlier, reason, comment, followup, stored_by in updates
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])
