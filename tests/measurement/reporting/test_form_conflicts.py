"""No lost updates on the report form: a partner's values of one indicator and period written
since the form was read — by another form, a file, the API or DHIS2 — refuse its save, and
the page shows them beside what was typed (measurement.versions.report_revision)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from backbone.measurement import approval
from backbone.measurement.intake import Intake
from backbone.measurement.intake import writing as intake_writing
from backbone.measurement.models import DataValue, Indicator, Period, Submission
from backbone.measurement.versions import report_revision
from backbone.revisions import EditConflict
from tests.measurement.files.conftest import csv_bytes

from .conftest import BASE, enrolled_rows, send

pytestmark = pytest.mark.integration

FORM = f"{BASE}/report/children-enrolled/2024-02/"
UPLOAD = f"{BASE}/files/upload/"
FEBRUARY = [
    ["indicator", "period", "place", "value"],
    ["children-enrolled", "2024-02", "north", "10"],
    ["children-enrolled", "2024-02", "south", "20"],
    ["children-enrolled", "2024-02", "", "30"],
]
TYPED = {"action": "submit", "c1_value": "12", "c2_value": "5", "c3_value": "7"}


def carried(form) -> dict:
    """The hidden inputs the form carries: the version it was read at, and its fields."""
    tracked = form.tracked
    return {tracked.revision_name: str(tracked.revision), tracked.read_name: tracked.read}


def values() -> list[Decimal]:
    return sorted(DataValue.objects.filter(period__code="2024-02").values_list("value", flat=True))


def revision(cast) -> int:
    return report_revision(
        partner_id=cast.partner_a.pk,
        indicator_id=Indicator.objects.get(code="children-enrolled").pk,
        period_id=Period.objects.get(initiative=cast.initiative, code="2024-02").pk,
    )


def web(cast, rows, read: int | None):
    return Intake(
        initiative=cast.initiative, by=cast.steward_a, channel="web", partner=cast.partner_a
    ).submit(rows, read_revision=read)


def test_a_value_uploaded_by_file_after_the_form_was_read_refuses_its_save(
    cast, reporting, as_role
):
    steward = as_role("steward_a")
    read = carried(steward.get(FORM).context["form"])
    upload = {"file": SimpleUploadedFile("february.csv", csv_bytes(FEBRUARY)), "action": "submit"}
    assert as_role("member_a").post(UPLOAD, upload).status_code == 302

    refused = steward.post(FORM, TYPED | read)
    assert refused.status_code == 200
    assert f"Saved meanwhile by {cast.member_a} at" in refused.text
    assert Submission.objects.count() == 1 and values() == [10, 20, 30]  # the file's
    form = refused.context["form"]
    shown = [(theirs, yours) for _, theirs, yours in form.tracked.changes]
    assert shown == [("30", "12"), ("10", "5"), ("20", "7")]

    assert steward.post(FORM, TYPED | carried(form)).status_code == 302  # knowingly, now
    assert values() == [5, 7, 12]


def test_values_sent_by_the_api_since_the_form_was_read_refuse_it(cast, reporting):
    read = revision(cast)
    assert read == 0  # nothing reported yet
    Intake(
        initiative=cast.initiative, by=cast.member_a, channel="api", partner=cast.partner_a
    ).submit(enrolled_rows(period="2024-02"))
    with pytest.raises(EditConflict) as refused:
        web(cast, enrolled_rows(5, 7, period="2024-02"), read)
    assert refused.value.current.revised_by == cast.member_a
    assert Submission.objects.count() == 1 and values() == [10, 20, 30]
    web(cast, enrolled_rows(5, 7, period="2024-02"), revision(cast))
    assert values() == [5, 7, 12]


def test_an_approval_meanwhile_does_not_refuse_the_form(cast, reporting):
    """Approving changes the values' status, not the values: nothing typed over is lost."""
    submission = send(cast, enrolled_rows(period="2024-02"))
    read = revision(cast)
    approval.submission_approve(submission=submission, by=cast.staff)
    assert revision(cast) == read
    web(cast, enrolled_rows(5, 7, period="2024-02"), read)
    assert values() == [5, 7, 12]


def test_a_form_posted_without_its_revision_saves_as_before(cast, reporting, as_role):
    """Scripts and old pages post no revision: nothing to compare, so nothing is refused."""
    send(cast, enrolled_rows(period="2024-02"))
    assert as_role("steward_a").post(FORM, TYPED).status_code == 302
    assert values() == [5, 7, 12]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes one at a time")
def test_two_forms_read_at_the_same_version_cannot_both_save(
    transactional_db, cast, reporting, monkeypatch
):
    """Each save, once checked, waits up to a second for the other to be checked too. Under
    the report's lock the second cannot check until the first is written: it is refused."""
    read = revision(cast)
    both_checked = threading.Barrier(2, timeout=1)
    check = intake_writing.report_unchanged_since

    def check_then_wait(*args, **kwargs):
        check(*args, **kwargs)
        try:
            both_checked.wait()
        except threading.BrokenBarrierError:
            pass

    monkeypatch.setattr(intake_writing, "report_unchanged_since", check_then_wait)
    outcomes = []

    def save(north):
        try:
            web(cast, enrolled_rows(north, 20, period="2024-02"), read)
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(north,)) for north in (5, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refused", "saved"]
    assert Submission.objects.count() == 1
