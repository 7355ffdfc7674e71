"""Blanks with a reason on the reporting pages: a select beside each cell of the web form,
the reason read back into it and shown where the value would be, on the form, the
submission's page and in the value's history."""

import pytest

from backbone.measurement.intake import Reported
from backbone.measurement.models import DataValue, Submission

from .conftest import BASE, enrolled_rows, send

pytestmark = pytest.mark.integration

ENROLLED = f"{BASE}/report/children-enrolled/2024-02/"  # rows: 1 total, 2 north, 3 south


def test_each_cell_offers_the_reasons_for_a_blank(cast, reporting, as_role):
    html = as_role("steward_a").get(ENROLLED).content.decode()

    for row in (1, 2, 3):
        assert f'<select name="c{row}_missing" id="id_c{row}_missing"' in html
    assert 'aria-labelledby="row-2 id_c2_missing_label"' in html
    assert '<option value="suppressed">Suppressed at the source</option>' in html


def test_a_reason_chosen_for_an_empty_cell_is_written_as_a_blank(cast, reporting, as_role):
    response = as_role("steward_a").post(
        ENROLLED,
        {"action": "submit", "c2_value": "4", "c3_missing": "not_collected", "c1_value": "4"},
    )

    assert response.status_code == 302
    south = DataValue.objects.get(cell__groups__key="south")
    assert (south.value, south.missing) == (None, "not_collected")
    assert DataValue.objects.get(cell__key="").value == 4


def test_a_reason_alone_is_enough_to_save(cast, reporting, as_role):
    response = as_role("steward_a").post(
        ENROLLED, {"action": "submit", "c1_missing": "not_applicable"}
    )

    assert response.status_code == 302
    assert DataValue.objects.get().missing == "not_applicable"


def test_a_number_and_a_reason_in_one_cell_are_refused_beside_the_select(cast, reporting, as_role):
    response = as_role("steward_a").post(
        ENROLLED, {"action": "submit", "c2_value": "4", "c2_missing": "suppressed"}
    )

    html = response.content.decode()
    assert not DataValue.objects.exists() and not Submission.objects.exists()
    assert (
        '<a href="#id_c2_missing">Riverton › North district — if blank, why: a value and a '
        "reason for its absence; give one</a>"
    ) in html
    assert 'aria-describedby="id_c2_missing_error" aria-invalid="true"' in html
    assert '<option value="suppressed" selected>' in html  # what was chosen stays


def test_an_unknown_reason_is_refused_by_the_form(cast, reporting, as_role):
    response = as_role("steward_a").post(ENROLLED, {"action": "submit", "c2_missing": "zero"})

    assert "Select a valid choice" in response.content.decode()
    assert not DataValue.objects.exists()


def test_the_form_reads_back_reasons_and_shows_last_periods(cast, reporting, as_role):
    send(cast, [Reported("children-enrolled", "2024-01", {"place": "north"}, missing="[c]")])
    send(cast, [Reported("children-enrolled", "2024-02", {"place": "south"}, missing="[z]")])

    html = as_role("steward_a").get(ENROLLED).content.decode()

    assert 'id="last-2">Last period: Suppressed at the source<' in html
    south = html.split('name="c3_missing"')[1].split("</select>")[0]
    assert '<option value="not_applicable" selected>' in south
    assert 'name="c3_value" id="id_c3_value" value=""' in html


def test_read_only_form_shows_the_reason_not_a_dash(cast, reporting, as_role):
    send(cast, [Reported("children-enrolled", "2024-02", {}, missing="not_collected")])

    url = f"{ENROLLED}?partner=riverton-public-library"
    html = as_role("evaluator").get(url).content.decode()

    assert "You can read this report" in html
    assert "<p>Not collected</p>" in html


def test_submission_page_shows_reasons_and_their_history(cast, reporting, as_role):
    send(cast, enrolled_rows(10, 20, period="2024-02"))
    rows = enrolled_rows(10, 20, period="2024-02")
    rows[0] = Reported("children-enrolled", "2024-02", {"place": "north"}, missing="suppressed")
    rows[2] = Reported("children-enrolled", "2024-02", {}, value=20, row=3)
    latest = send(cast, rows)

    html = as_role("staff").get(f"{BASE}/submissions/{latest.uuid}/").content.decode()

    assert "<td>Suppressed at the source" in html
    assert ": 10 → Suppressed at the source" in html
    assert "now blank" not in html  # the note is read, not shown as a reason
