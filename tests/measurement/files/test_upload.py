"""The upload page: what each person is offered, what a good file does (a message and the
submission's page), what a bad one does (every problem listed, nothing written)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from backbone.measurement.models import DataValue, Submission
from tests.measurement.conftest import make_period

from .conftest import BASE, ENROLLED, ORG_A, ORG_B, counts, csv_bytes, write_xlsx

pytestmark = pytest.mark.integration

URL = f"{BASE}/files/upload/"


def post(client, rows=None, *, name="values.csv", content=None, **data):
    content = csv_bytes(rows) if content is None else content
    data.setdefault("action", "submit")
    return client.post(URL, {"file": SimpleUploadedFile(name, content), **data})


def test_partner_page_offers_the_file_and_a_template_but_not_the_backbone_fields(
    cast, files, as_role
):
    html = as_role("steward_a").get(URL).content.decode()
    assert 'type="file"' in html and 'name="partner"' not in html
    assert "Rows name their partner" not in html and "Reason for the correction" not in html
    assert "Upload as a draft" in html
    assert 'action="/i/riverton/measurement/files/template/"' in html


def test_backbone_page_offers_partner_many_partners_and_reason(cast, files, as_role):
    html = as_role("staff").get(URL).content.decode()
    assert 'name="partner"' in html and ORG_B in html
    assert "Rows name their partner" in html and "Reason for the correction" in html


def test_good_file_is_stored_and_leads_to_its_submission(cast, files, as_role):
    client = as_role("steward_a")
    response = post(client, ENROLLED, name="january.csv")
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response.url == f"{BASE}/submissions/{submission.uuid}/"
    assert (submission.partner, submission.channel, submission.status) == (
        cast.partner_a,
        "csv",
        "submitted",
    )
    assert submission.file_name == "january.csv" and submission.created_by == cast.steward_a
    page = client.get(URL)  # the message waits for the next page
    assert "3 values read from january.csv: submitted for approval." in page.content.decode()


def test_upload_as_draft(cast, files, as_role):
    post(as_role("member_a"), ENROLLED, action="draft")
    assert Submission.objects.get().status == "draft"
    assert set(DataValue.objects.values_list("status", flat=True)) == {"draft"}


def test_bad_file_lists_every_problem_in_a_table_and_writes_nothing(cast, files, as_role):
    before = counts()
    rows = [
        ["indicator", "period", "place", "value"],
        ["children-enrolled", "2024-01", "north", "ten"],
        ["children-enrolled", "2024-01", "east", "3"],
    ]
    response = post(as_role("steward_a"), rows, name="bad.csv")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved: 2 problems to fix" in html
    assert (
        "<tr><td>bad.csv</td><td>2</td><td>value</td><td>expected a number, found &#x27;ten&#x27;"
        "</td></tr>"
    ) in html
    assert "<td>3</td><td>place</td><td>unknown group &#x27;east&#x27; of place</td>" in html
    assert counts() == before


def test_only_the_first_200_problems_are_listed_with_the_total(cast, files, as_role):
    rows = [["indicator", "period", "value"]]
    rows += [["open-cases", f"2099-{n:04d}", "1"] for n in range(300)]
    html = post(as_role("steward_a"), rows).content.decode()
    assert "Nothing was saved: 300 problems to fix" in html
    assert "The first 200 are listed." in html
    assert html.count("unknown period") == 200


def test_backbone_imports_many_partners_and_is_led_to_the_submission(cast, files, as_role):
    rows = [
        ["partner", "indicator", "period", "value"],
        [ORG_A, "open-cases", "2024-01", "4"],
        [ORG_B, "open-cases", "2024-01", "5"],
    ]
    response = post(as_role("staff"), rows, many_partners="on")
    assert response.status_code == 302
    assert DataValue.objects.count() == 2


def test_backbone_must_choose_a_partner_or_many(cast, files, as_role):
    response = post(as_role("staff"), ENROLLED)
    assert "Choose the partner whose values these are" in response.content.decode()
    assert not DataValue.objects.exists()


def test_backbone_corrects_a_closed_period_with_a_reason(cast, files, as_role):
    rows = [["indicator", "period", "value"], ["families-served", "2021", "40"]]
    refused = post(as_role("staff"), rows, partner=ORG_A)
    assert "period 2021 is closed" in refused.content.decode()
    response = post(as_role("staff"), rows, partner=ORG_A, reason="Late report, agreed")
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.channel, submission.review_comment) == ("correction", "Late report, agreed")


def test_a_partner_cannot_pass_a_correction_reason(cast, files, as_role):
    rows = [["indicator", "period", "value"], ["families-served", "2021", "40"]]
    response = post(as_role("steward_a"), rows, reason="Let me in")
    assert "period 2021 is closed" in response.content.decode()
    assert not DataValue.objects.exists()


@override_settings(BACKBONE_MAX_UPLOAD_MB=0.01)
def test_file_over_the_limit_is_cut_off_while_it_arrives(cast, files, as_role):
    rows = [["indicator", "period", "value"]] + [["open-cases", "2024-01", "1"]] * 2000
    content = csv_bytes(rows)
    assert len(content) > 0.01 * 1024 * 1024
    response = post(as_role("steward_a"), content=content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "the file is larger than 10 KB; split it into smaller files" in html
    assert not Submission.objects.exists()


def test_an_excel_file_is_uploaded(cast, files, as_role, tmp_path):
    path = write_xlsx(tmp_path, "january.xlsx", ENROLLED)
    response = post(as_role("steward_a"), name="january.xlsx", content=path.read_bytes())
    assert response.status_code == 302
    assert Submission.objects.get().channel == "xlsx"


def test_upload_makes_as_many_queries_for_10_rows_as_for_100(cast, files, as_role):
    for n in range(120):
        year, month = divmod(n, 12)
        make_period(cast.initiative, "month", date(2010 + year, month + 1, 1))
    client = as_role("steward_a")
    post(client, [["indicator", "period", "value"], ["open-cases", "2024-01", "1"]])  # warm-up

    def upload(first: int, size: int) -> int:
        rows = [["indicator", "period", "value"]]
        for n in range(first, first + size):
            year, month = divmod(n, 12)
            rows.append(["open-cases", f"{2010 + year}-{month + 1:02d}", str(n % 7)])
        with CaptureQueriesContext(connection) as queries:
            response = post(client, rows)
        assert response.status_code == 302
        sql = [q["sql"] for q in queries.captured_queries]
        inserts = [q for q in sql if q.startswith('INSERT INTO "measurement_datavalue"')]
        # PostgreSQL takes new values by COPY (one statement, not captured here); SQLite in
        # batches of as many rows as its 999 parameters allow
        assert len(inserts) <= -(-size // 76)
        return len(sql) - len(inserts)

    ten = upload(0, 10)
    hundred = upload(10, 100)
    assert DataValue.objects.count() == 111
    assert ten == hundred
