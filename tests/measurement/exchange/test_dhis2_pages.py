import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backbone.measurement.models import DataValue, Dhis2Mapping, Submission
from tests.conftest import ROLES

from .conftest import FOOD_BANK_AOC, LIBRARY_AOC, NORTH, SOUTH, WHOLE_AREA
from .helpers import full_report, report

pytestmark = pytest.mark.integration

BASE = "/i/riverton/measurement/dhis2/"
IMPORT = BASE + "import/"
EXPORT = BASE + "export/"
OUTSIDERS = {"anonymous": 302, "public": 404, "other_staff": 404}


def upload(payload: dict | str, name="set.json"):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return SimpleUploadedFile(name, body.encode(), content_type="application/octet-stream")


def one_value(value="5", aoc="", period="202402"):
    return {
        "dataValues": [
            {
                "dataElement": "OC01",
                "period": period,
                "orgUnit": WHOLE_AREA,
                "value": value,
                "attributeOptionCombo": aoc,
            }
        ]
    }


# --- mappings page ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_mappings_page_is_for_the_backbone(cast, mapped, as_role, role):
    expected = {**OUTSIDERS, "staff": 200}
    assert as_role(role).get(BASE).status_code == expected.get(role, 403)


@pytest.mark.parametrize("role", ["steward_a", "evaluator", "funder"])
def test_others_cannot_add_mappings(cast, measured, as_role, role):
    response = as_role(role).post(BASE, {"form": "ou", "ou-code": "x1", "ou-place": ""})
    assert response.status_code == 403 and not Dhis2Mapping.objects.exists()


def test_staff_map_each_kind_of_code(cast, measured, as_role):
    client = as_role("staff")
    black = measured.race.groups.get(key="black")
    low = measured.income.groups.get(key="low")
    north = measured.place.groups.get(key="north")
    posts = [
        {
            "form": "element",
            "element-code": "KR01",
            "element-indicator": measured.readiness.pk,
            "element-role": "numerator",
        },
        {"form": "coc", "coc-code": "COC-BL", "coc-dim_race": black.pk, "coc-dim_income": low.pk},
        {"form": "ou", "ou-code": NORTH, "ou-place": north.pk},
        {"form": "ou", "ou-code": WHOLE_AREA, "ou-place": ""},
    ]
    for data in posts:
        assert client.post(BASE, data).status_code == 302
    page = client.get(BASE).content.decode()
    for text in ("KR01", "numerator", "Black × Low income", "North district", "whole area"):
        assert text in page
    assert Dhis2Mapping.objects.get(code="numerator:KR01").indicator == measured.readiness


def test_mapping_form_explains_a_refusal(cast, measured, as_role):
    response = as_role("staff").post(
        BASE,
        {
            "form": "element",
            "element-code": "KR01",
            "element-indicator": measured.readiness.pk,
            "element-role": "value",
        },
    )
    assert response.status_code == 200
    assert "numerator and denominator" in response.content.decode()
    assert not Dhis2Mapping.objects.exists()


def test_staff_delete_a_mapping(cast, mapped, as_role):
    client = as_role("staff")
    data = {"form": "delete", "kind": "data_element", "code": "denominator:KR02"}
    assert client.post(BASE, data).status_code == 302
    assert not Dhis2Mapping.objects.filter(code="denominator:KR02").exists()
    assert client.post(BASE, data).status_code == 404
    assert client.post(BASE, {"form": "bogus"}).status_code == 404


def test_deleting_a_mapping_asks_first(cast, mapped, as_role):
    client = as_role("staff")
    assert (
        "?form=delete&amp;kind=data_element&amp;code=denominator%3AKR02"
        in client.get(BASE).content.decode()
    )

    asked = client.get(BASE, {"form": "delete", "kind": "data_element", "code": "denominator:KR02"})

    html = asked.content.decode()
    assert asked.status_code == 200 and "Delete the mapping</button>" in html
    assert '<input type="hidden" name="code" value="denominator:KR02">' in html
    assert Dhis2Mapping.objects.filter(code="denominator:KR02").exists()
    gone = {"form": "delete", "kind": "data_element", "code": "nope"}
    assert client.get(BASE, gone).status_code == 404


def test_mappings_page_of_another_initiative_is_not_found_for_its_staff(cast, mapped, as_role):
    assert as_role("other_staff").get(BASE).status_code == 404
    assert as_role("other_staff").post(BASE, {"form": "delete"}).status_code == 404


# --- import page -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_import_page_is_for_those_who_report(cast, mapped, as_role, role):
    expected = {
        **OUTSIDERS,
        "staff": 200,
        "steward_a": 200,
        "steward_b": 200,
        "member_a": 200,
    }
    assert as_role(role).get(IMPORT).status_code == expected.get(role, 403)


@pytest.mark.parametrize("role", ["community", "funder", "evaluator"])
def test_others_cannot_import(cast, mapped, as_role, role):
    response = as_role(role).post(IMPORT, {"file": upload(one_value())})
    assert response.status_code == 403 and not DataValue.objects.exists()


def test_partner_imports_a_file_and_lands_on_its_submission(cast, mapped, as_role):
    response = as_role("member_a").post(IMPORT, {"file": upload(one_value()), "partner": ""})
    submission = Submission.objects.get()
    assert submission.partner == cast.partner_a and submission.channel == "dhis2"
    assert response.status_code == 302 and str(submission.uuid) in response["Location"]


def test_partner_cannot_import_for_another_partner(cast, mapped, as_role):
    client = as_role("steward_a")
    named = client.post(IMPORT, {"file": upload(one_value()), "partner": "northside-food-bank"})
    assert named.status_code == 200 and "partner" in named.context["form"].errors
    by_combo = client.post(IMPORT, {"file": upload(one_value(aoc="northside-food-bank"))})
    assert by_combo.status_code == 400
    assert "your own organisation" in by_combo.content.decode()
    assert not DataValue.objects.exists()


def test_import_lists_every_problem_with_row_and_column(cast, mapped, as_role):
    csv = f"dataelement,period,orgunit,value\nOC01,202402,{WHOLE_AREA},x\nZZ,202402,nowhere,1\n"
    response = as_role("steward_a").post(IMPORT, {"file": upload(csv, "set.csv")})
    assert response.status_code == 400
    rows = {(p.row, p.column) for p in response.context["problems"]}
    assert rows == {(2, "value"), (3, "dataelement"), (3, "orgunit")}
    page = response.content.decode()
    assert "Nothing was imported: 3 problems" in page and "not mapped to a place" in page
    assert not DataValue.objects.exists()


def test_backbone_imports_for_a_chosen_partner_or_by_attribute_combo(cast, mapped, as_role):
    client = as_role("staff")
    chosen = client.post(IMPORT, {"file": upload(one_value("5")), "partner": "northside-food-bank"})
    assert chosen.status_code == 302
    by_combo = client.post(
        IMPORT, {"file": upload(one_value("7", aoc="riverton-public-library", period="202403"))}
    )
    assert by_combo.status_code == 302
    values = dict(DataValue.objects.values_list("partner__organisation__slug", "value"))
    assert values == {"northside-food-bank": 5, "riverton-public-library": 7}


def test_backbone_corrects_a_closed_period_with_a_reason(cast, mapped, as_role):
    client = as_role("staff")
    data = {"file": upload(one_value(period="2021")), "partner": "riverton-public-library"}
    assert client.post(IMPORT, data).status_code == 400
    data["file"] = upload(one_value(period="2021"))
    data["correction_reason"] = "The 2021 count was entered twice."
    assert client.post(IMPORT, data).status_code == 302
    assert Submission.objects.get().channel == "correction"


# --- export page -----------------------------------------------------------------------------

EXPORTERS = {
    **OUTSIDERS,
    "community": 403,
    "funder": 403,
    "member_a": 200,
    "steward_a": 200,
    "steward_b": 200,
    "evaluator": 200,
    "staff": 200,
}


@pytest.fixture
def both_reported(cast, mapped):
    report(cast, cast.partner_a, full_report("2024-01"), approve=True)
    b = report(cast, cast.partner_b, full_report("2024-01", scale=2), by=cast.steward_b)
    from backbone.measurement.approval import submission_approve

    submission_approve(submission=b, by=cast.staff)


@pytest.mark.parametrize("role", ROLES)
def test_export_follows_who_may_read_values(cast, both_reported, as_role, role):
    page = as_role(role).get(EXPORT)
    download = as_role(role).get(EXPORT + "?format=json")
    assert page.status_code == download.status_code == EXPORTERS[role]
    if download.status_code == 200:
        partners = {d["attributeOptionCombo"] for d in download.json()["dataValues"]}
        expected = {
            "steward_a": {LIBRARY_AOC},
            "member_a": {LIBRARY_AOC},
            "steward_b": {FOOD_BANK_AOC},
        }.get(role, {LIBRARY_AOC, FOOD_BANK_AOC})
        assert partners == expected


def test_export_csv_filters_and_counts_what_it_leaves_out(cast, both_reported, as_role):
    Dhis2Mapping.objects.filter(code=SOUTH).delete()
    response = as_role("staff").get(
        EXPORT + "?format=csv&indicator=children-enrolled&period=2024-01"
    )
    assert response["Content-Type"].startswith("text/csv")
    assert (
        'filename="riverton-children-enrolled-2024-01-dhis2.csv"' in response["Content-Disposition"]
    )
    lines = response.content.decode().splitlines()
    assert not response.content.startswith(b"\xef\xbb\xbf")
    assert lines[0].startswith("dataelement,period,orgunit,categoryoptioncombo")
    assert len(lines) == 1 + 4  # north and total, for two partners
    assert response["X-Backbone-Exported"] == "4" and response["X-Backbone-Skipped"] == "2"


def test_export_page_says_what_is_left_out_and_why(cast, both_reported, as_role):
    Dhis2Mapping.objects.filter(code=NORTH).delete()
    page = as_role("evaluator").get(EXPORT + "?preview=1&indicator=children-enrolled")
    text = page.content.decode()
    assert page.context["result"].exported == 4
    assert "2 left out" in text and "No org unit is mapped to its place" in text


def test_export_of_approved_values_by_default(cast, mapped, as_role):
    report(cast, cast.partner_a, full_report("2024-01"), by=cast.steward_a)
    client = as_role("steward_a")
    assert client.get(EXPORT + "?format=json").json()["dataValues"] == []
    assert len(client.get(EXPORT + "?format=json&status=all").json()["dataValues"]) == 21


def test_export_refuses_unknown_filters_and_formats(cast, mapped, as_role):
    client = as_role("staff")
    assert client.get(EXPORT + "?format=xml").status_code == 404
    assert client.get(EXPORT + "?format=json&indicator=nope").status_code == 404
    assert client.get(EXPORT + "?format=json&partner=nobody").status_code == 404
    partner_client = as_role("steward_a")
    assert (
        partner_client.get(EXPORT + "?format=json&partner=northside-food-bank").status_code == 404
    )


def test_export_then_import_through_the_pages(cast, both_reported, as_role):
    staff = as_role("staff")
    exported = staff.get(EXPORT + "?format=json&partner=riverton-public-library").json()
    for d in exported["dataValues"]:
        d["period"] = "202403"
    response = staff.post(IMPORT, {"file": upload(exported), "partner": "northside-food-bank"})
    assert response.status_code == 302
    assert DataValue.objects.filter(partner=cast.partner_b, period__code="2024-03").count() == 13
