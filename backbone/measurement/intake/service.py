"""`values_import`: the one service every way in calls — the web form, CSV and Excel files,
the REST API, DHIS2 payloads and the demo — so who reports, for whom, through which channel
and with what correction is turned into an `Intake` in one place, and every batch is written
whole or refused whole by the same rules."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from backbone.initiatives.models import Initiative, Partner

from ..files.reading.importing import import_file
from ..models import Submission
from ..problems import IntakeRefused
from . import Catalogue, Checked, Intake, Reported

Take = Callable[[Intake, list[Checked]], list[Checked]]


def values_import(
    rows: Iterable[Reported] | None = None,
    *,
    initiative: Initiative,
    by,
    channel: str = "",
    partner: Partner | None = None,
    many_partners: bool = False,
    uploaded_file=None,
    path: str | os.PathLike | None = None,
    file_name: str = "",
    correction_reason: str = "",
    status: str = Submission.Status.SUBMITTED,
    narrative: str = "",
    read_revision: int | None = None,
    catalogue: Catalogue | None = None,
    take: Take | None = None,
    dry_run: bool = False,
) -> Submission | None:
    """Check a batch of values, then write all of it as one submission, or raise
    IntakeRefused naming every problem and write nothing.

    The batch is `rows` already read (a form, the API, DHIS2) or a CSV or Excel file
    (`uploaded_file` or `path`), read here, the file's kind its channel. `partner` reports;
    backbone staff importing for many partners pass `many_partners=True` and each row names
    its partner. The caller has checked that `by` may report for them and may give a
    `correction_reason` (values into closed periods, logged as such).

    `take` chooses which checked rows are written (DHIS2's import strategy writes only new
    or only changed values); nothing taken, or a `dry_run`, writes nothing and returns None.
    `read_revision` is the version of the partner's report a web form was read at."""
    if rows is None:
        return import_file(
            initiative=initiative,
            by=by,
            partner=partner,
            many_partners=many_partners,
            uploaded_file=uploaded_file,
            path=path,
            file_name=file_name,
            correction_reason=correction_reason,
            status=status,
            narrative=narrative,
        )
    intake = Intake(
        initiative=initiative,
        by=by,
        channel=channel,
        partner=partner,
        many_partners=many_partners,
        file_name=file_name,
        correction_reason=correction_reason,
        catalogue=catalogue,
    )
    checked = intake.check(rows)
    if intake.problem_count:
        raise IntakeRefused(intake.problems, intake.problem_count)
    if take is not None:
        checked = take(intake, checked)
        intake.outliers &= {c[:4] for c in checked}
    if not checked or dry_run:
        return None
    return intake.record(checked, status=status, narrative=narrative, read_revision=read_revision)
