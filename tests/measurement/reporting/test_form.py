"""The web form: every cell of an indicator, the right inputs per aggregation, problems
beside their inputs with nothing written, drafts, prefill, closed periods and corrections."""

import re
from decimal import Decimal

import pytest

from backbone.measurement.models import DataValue, Submission, ValueChange

from .conftest import BASE, INCOMES, RACES, enrolled_rows, send

pytestmark = pytest.mark.integration

READINESS = f"{BASE}/report/kindergarten-readiness/SY2024-25/"
ENROLLED = f"{BASE}/report/children-enrolled/2024-02/"


def inputs(html: str) -> int:
    """The number inputs; each cell also has a select of reasons for a blank."""
    return len(re.findall(r'name="c\d+_(?!missing)', html))


def reason_selects(html: str) -> int:
    return len(re.findall(r'<select name="c\d+_missing"', html))


def readiness_post(cells: dict, total=("", ""), action="submit", narrative=""):
    """`cells` maps (race, income) to (numerator, denominator); row numbers follow the
    form's order: total = 1, then race-major combinations from 2."""
    data = {"action": action, "narrative": narrative, "c1_numerator": total[0]}
    data["c1_denominator"] = total[1]
    row = 2
    for race in RACES:
        for income in INCOMES:
            num, den = cells.get((race, income), ("", ""))
            data[f"c{row}_numerator"] = num
            data[f"c{row}_denominator"] = den
            row += 1
    return data


def test_cross_tab_has_a_row_per_race_and_a_column_per_income(cast, reporting, as_role):
    html = as_role("steward_a").get(READINESS).content.decode()
    assert html.count('<th scope="row"') == 3
    assert '<th scope="col" id="ch-0">Low income</th>' in html
    assert '<th scope="col" id="ch-1">Not low income</th>' in html
    # numerator and denominator for 6 cells and the total, and why each may be blank
    assert inputs(html) == 14
    assert reason_selects(html) == 7
    assert 'aria-labelledby="rh-0 ch-1 id_c3_numerator_label"' in html
    assert "The story behind the numbers" in html
    assert ">Save as draft<" in html and ">Submit<" in html


def test_one_dimension_lists_leaf_places_with_the_total(cast, reporting, as_role):
    html = as_role("steward_a").get(ENROLLED).content.decode()
    assert "Riverton › North district" in html and "Riverton › South district" in html
    assert ">Riverton<" not in html  # the city is a parent, not a reporting place
    assert inputs(html) == 3  # north, south, total: one value each


@pytest.mark.parametrize(
    ("code", "period", "names"),
    [
        ("reading-score", "SY2024-25", ["c1_value", "c1_n"]),
        ("open-cases", "2024-02", ["c1_value"]),
    ],
)
def test_inputs_follow_the_aggregation(cast, reporting, as_role, code, period, names):
    html = as_role("steward_a").get(f"{BASE}/report/{code}/{period}/").content.decode()
    assert [n for n in ("c1_value", "c1_n", "c1_numerator") if f'name="{n}"' in html] == names


def test_submitting_writes_values_and_redirects_to_the_submission(cast, reporting, as_role):
    cells = {(r, i): ("5", "10") for r in RACES for i in INCOMES}
    response = as_role("steward_a").post(
        READINESS, readiness_post(cells, ("30", "60"), narrative="More families enrolled.")
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/submissions/{submission.uuid}/"
    assert (submission.channel, submission.status) == ("web", "submitted")
    assert submission.narrative == "More families enrolled."
    assert submission.partner == cast.partner_a
    assert DataValue.objects.filter(status="submitted").count() == 7
    assert DataValue.objects.get(cell__key="").value == Decimal(50)


def test_a_french_steward_types_numbers_the_french_way(cast, reporting, as_role):
    cast.steward_a.language = "fr"
    cast.steward_a.save(update_fields=["language"])
    client = as_role("steward_a")
    response = client.post(ENROLLED, {"action": "draft", "c2_value": "1 204", "c3_value": "6,5"})
    assert response.status_code == 302
    values = sorted(DataValue.objects.values_list("value", flat=True))
    assert values == [Decimal("6.5"), Decimal(1204)]


def test_saving_a_draft_keeps_it_with_the_partner(cast, reporting, as_role):
    as_role("member_a").post(ENROLLED, {"action": "draft", "c2_value": "4", "c3_value": "6"})
    assert Submission.objects.get().status == "draft"
    assert set(DataValue.objects.values_list("status", flat=True)) == {"draft"}


def test_problems_show_beside_inputs_and_nothing_is_written(cast, reporting, as_role):
    cells = {("black", "low"): ("31", "30"), ("latino", "other"): ("ten", "20")}
    response = as_role("steward_a").post(READINESS, readiness_post(cells))
    html = response.content.decode()
    assert response.status_code == 200
    assert not DataValue.objects.exists() and not Submission.objects.exists()
    assert 'role="alert"' in html
    # The summary names the input by its label and links to it.
    assert (
        '<a href="#id_c2_numerator">Black × Low income — numerator: numerator 31 is larger '
        "than denominator 30</a>" in html
    )
    assert "Latino × Not low income — numerator: expected a number, found &#x27;ten&#x27;" in html
    # Beside the input, tied to it for screen readers.
    assert 'aria-describedby="id_c2_numerator_error' in html
    assert 'id="id_c2_numerator_error">numerator 31 is larger than denominator 30<' in html
    assert 'value="ten"' in html  # what was typed stays


def test_a_total_that_disagrees_with_its_places_is_named(cast, reporting, as_role):
    response = as_role("steward_a").post(
        ENROLLED, {"action": "submit", "c1_value": "99", "c2_value": "4", "c3_value": "6"}
    )
    html = response.content.decode()
    assert "Total — value: children-enrolled: total value 99 disagrees with its parts" in html
    assert not DataValue.objects.exists()


def test_an_empty_form_is_refused(cast, reporting, as_role):
    response = as_role("steward_a").post(ENROLLED, {"action": "submit"})
    assert "Enter at least one value before saving." in response.content.decode()
    assert not Submission.objects.exists()


def test_reopening_the_form_shows_current_values_and_narrative(cast, reporting, as_role):
    client = as_role("steward_a")
    client.post(
        ENROLLED, {"action": "draft", "c2_value": "4", "c3_value": "6", "narrative": "A start."}
    )
    html = client.get(ENROLLED).content.decode()
    assert 'name="c2_value" id="id_c2_value" value="4"' in html
    assert 'name="c3_value" id="id_c3_value" value="6"' in html
    assert "A start.</textarea>" in html
    assert '<span class="badge">Draft</span>' in html


def test_last_periods_values_show_beside_the_inputs(cast, reporting, as_role):
    send(cast, enrolled_rows(12, 8, period="2024-01"))
    html = as_role("steward_a").get(ENROLLED).content.decode()
    assert 'id="last-2">Last period: 12<' in html
    assert 'id="last-1">Last period: 20<' in html
    assert 'value=""' in html  # not prefilled from last period


def test_a_closed_period_is_read_only_for_the_partner(cast, reporting, as_role):
    url = f"{BASE}/report/families-served/2021/"
    client = as_role("steward_a")
    html = client.get(url).content.decode()
    assert "is closed" in html and 'name="c1_value"' not in html
    assert client.post(url, {"action": "submit", "c1_value": "5"}).status_code == 403
    assert not DataValue.objects.exists()


def test_staff_correct_a_closed_period_with_a_reason(cast, reporting, as_role):
    url = f"{BASE}/report/families-served/2021/?partner=riverton-public-library"
    client = as_role("staff")
    refused = client.post(url, {"action": "correct", "c1_value": "5"})
    assert refused.status_code == 200 and not DataValue.objects.exists()
    assert "This field is required." in refused.content.decode()
    response = client.post(url, {"action": "correct", "c1_value": "5", "reason": "Late file"})
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert (submission.channel, submission.status) == ("correction", "submitted")
    assert submission.review_comment == "Late file"
    assert submission.partner == cast.partner_a


def test_a_correction_logs_the_old_value_and_the_reason(cast, reporting, as_role):
    first = send(cast, enrolled_rows(10, 20, period="2024-02"))
    url = f"{ENROLLED}?partner=riverton-public-library"
    as_role("staff").post(
        url,
        {
            "action": "correct",
            "c1_value": "31",
            "c2_value": "11",
            "c3_value": "20",
            "reason": "North recount",
        },
    )
    change = ValueChange.objects.get(data_value__cell__groups__key="north")
    assert ValueChange.objects.count() == 2  # north and the total
    assert (change.old_value, change.new_value) == (Decimal(10), Decimal(11))
    assert change.reason == "North recount" and change.changed_by == cast.staff
    assert change.previous_submission == first


def test_a_partner_with_several_organisations_picks_one(cast, reporting, as_role):
    from backbone.initiatives.roles import Role
    from backbone.initiatives.services import membership_grant

    membership_grant(
        initiative=cast.initiative,
        person=cast.steward_a,
        role=Role.PARTNER_STEWARD,
        organisation=cast.org_b,
    )
    client = as_role("steward_a")
    assert client.get(ENROLLED).status_code == 302  # to the reporting overview, to choose
    client.post(f"{ENROLLED}?partner=northside-food-bank", {"action": "submit", "c2_value": "3"})
    assert Submission.objects.get().partner == cast.partner_b
