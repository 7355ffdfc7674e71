"""The DHIS2 exchange as DHIS2 uses it: a DHIS2 server posting data value sets to
/api/dataValueSets with a partner's access token, an administrator importing on the page,
and the export read back, with DHIS2's own payloads and import summaries."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backbone.measurement import dhis2
from backbone.measurement.approval import submission_approve
from backbone.measurement.models import Cell, DataValue, Dhis2Mapping, Submission, ValueChange
from backbone.measurement.tokens import token_create, token_revoke

from .conftest import DEFAULT_COMBO, FOOD_BANK_AOC, LIBRARY_AOC, NORTH, WHOLE_AREA

pytestmark = pytest.mark.integration

ENDPOINT = "/i/riverton/measurement/dhis2/api/dataValueSets"
IMPORT = "/i/riverton/measurement/dhis2/import/"
EXPORT = "/i/riverton/measurement/dhis2/export/"
MAPPINGS = "/i/riverton/measurement/dhis2/"

# A DHIS2 instance's uids for what the initiative measures.
OPEN_CASES = "Jtf34kNZhzP"
SERVED = "s46m5MS0hxu"
ENROLLED = "dwEq7wi6nXV"
READY = "fbfJHSPpUQD"  # kindergarten readiness: children ready (numerator)
ASSESSED = "cYeuwXTCPkU"  # … and children assessed (denominator)
BLACK_LOW = "Prlt0C1RF0s"
LATINO_LOW = "V6L425pT3A0"
TOTAL = "GmtqMG8DZkU"  # a second combo meaning the total, mapped after DHIS2's default
LIBRARY, FOOD_BANK = "riverton-public-library", "northside-food-bank"


@pytest.fixture
def instance(cast, measured):
    """Mappings for the DHIS2 instance the partners run, all by uid."""
    i = cast.initiative
    for code, indicator, role in (
        (OPEN_CASES, measured.caseload, "value"),
        (SERVED, measured.served, "value"),
        (ENROLLED, measured.enrolled, "value"),
        (READY, measured.readiness, "numerator"),
        (ASSESSED, measured.readiness, "denominator"),
    ):
        dhis2.mapping_add_element(initiative=i, code=code, indicator=indicator, role=role)
    race = {g.key: g for g in measured.race.groups.all()}
    low = measured.income.groups.get(key="low")
    dhis2.mapping_add_coc(initiative=i, code=DEFAULT_COMBO, groups=[])
    dhis2.mapping_add_coc(initiative=i, code=BLACK_LOW, groups=[race["black"], low])
    dhis2.mapping_add_coc(initiative=i, code=LATINO_LOW, groups=[race["latino"], low])
    dhis2.mapping_add_org_unit(initiative=i, code=WHOLE_AREA, place=None)
    dhis2.mapping_add_org_unit(
        initiative=i, code=NORTH, place=measured.place.groups.get(key="north")
    )
    dhis2.mapping_add_aoc(initiative=i, code=LIBRARY_AOC, partner=cast.partner_a)
    dhis2.mapping_add_aoc(initiative=i, code=FOOD_BANK_AOC, partner=cast.partner_b)
    return measured


@pytest.fixture
def dhis2_server(cast):
    """A client as a DHIS2 server's data exchange is: the library's access token, sent as
    DHIS2 sends one."""
    _, raw = token_create(partner=cast.partner_a, name="DHIS2 data exchange", by=cast.steward_a)
    return Client(HTTP_AUTHORIZATION=f"ApiToken {raw}")


def data_value(element, value, *, combo=DEFAULT_COMBO, aoc=LIBRARY_AOC, **more):
    return {
        "dataElement": element,
        "period": "202402",
        "orgUnit": WHOLE_AREA,
        "categoryOptionCombo": combo,
        "attributeOptionCombo": aoc,
        "value": value,
        **more,
    }


def a_month(**changed):
    """February as the library's DHIS2 sends it: caseload, families served, and readiness
    for two groups of children (a numerator and a denominator each)."""
    values = {
        "open": data_value(OPEN_CASES, "12"),
        "served": data_value(SERVED, "40"),
        "black_ready": data_value(READY, "3", combo=BLACK_LOW),
        "black_assessed": data_value(ASSESSED, "4", combo=BLACK_LOW),
        "latino_ready": data_value(READY, "5", combo=LATINO_LOW),
        "latino_assessed": data_value(ASSESSED, "8", combo=LATINO_LOW),
    }
    for name, value in changed.items():
        values[name] = {**values[name], "value": value}
    return {
        "dataSet": "QX4ZTUbOt3a",
        "completeDate": "2024-03-04",
        "dataValues": [*values.values()],
    }


def send(client, payload, query="", content_type="application/json"):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    response = client.post(ENDPOINT + query, body, content_type=content_type)
    return response, response.json()


def counts(answer) -> dict:
    return answer["response"]["importCount"]


def upload(payload, name="february.json"):
    return SimpleUploadedFile(name, json.dumps(payload).encode(), "application/json")


def low_income(measured, race) -> str:
    """The cell key of one race's low-income children."""
    race_group = measured.race.groups.get(key=race)
    return Cell.key_for([race_group.pk, measured.income.groups.get(key="low").pk])


def stored() -> dict:
    """(indicator, cell key, partner) → the value, or a rate's numerator and denominator."""
    return {
        (v.indicator.code, v.cell.key, v.partner.organisation.slug): (
            v.value if v.numerator is None else (v.numerator, v.denominator)
        )
        for v in DataValue.objects.select_related("indicator", "cell", "partner__organisation")
    }


# --- a DHIS2 server sends values ----------------------------------------------------------------


def test_dhis2_server_sends_a_partners_values_with_its_access_token(cast, instance, dhis2_server):
    response, answer = send(dhis2_server, a_month())
    assert response.status_code == 200
    submission = Submission.objects.get()
    assert answer["httpStatus"] == "OK" and answer["status"] == "OK"
    assert answer["response"]["responseType"] == "ImportSummary"
    assert answer["response"]["status"] == "SUCCESS"
    assert counts(answer) == {"imported": 6, "updated": 0, "ignored": 0, "deleted": 0}
    assert answer["response"]["reference"] == str(submission.uuid)
    assert answer["response"]["conflicts"] == []
    assert submission.partner == cast.partner_a and submission.channel == "dhis2"
    assert submission.created_by == cast.steward_a and submission.value_count == 4


def test_the_endpoint_answers_only_a_partners_own_valid_token(cast, instance):
    assert send(Client(), a_month())[0].status_code == 401
    _, raw = token_create(partner=cast.partner_a, name="old", by=cast.steward_a)
    token_revoke(token=cast.partner_a.api_tokens.get())
    assert send(Client(HTTP_AUTHORIZATION=f"ApiToken {raw}"), a_month())[0].status_code == 401
    _, raw = token_create(partner=cast.partner_a, name="new", by=cast.steward_a)
    elsewhere = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = elsewhere.post(
        ENDPOINT.replace("riverton", "lakeside"), "{}", content_type="application/json"
    )
    assert response.status_code == 404
    assert elsewhere.get(ENDPOINT).status_code == 405
    assert not DataValue.objects.exists()


def test_a_refused_payload_answers_409_with_dhis2_conflicts_and_writes_nothing(
    cast, instance, dhis2_server
):
    payload = a_month()
    payload["dataValues"][0]["orgUnit"] = "DiszpKrYNg8"
    payload["dataValues"][1]["dataElement"] = "x8Tz5R1bPqL"
    response, answer = send(dhis2_server, payload)
    assert response.status_code == 409
    assert answer["httpStatus"] == "Conflict" and answer["status"] == "ERROR"
    summary = answer["response"]
    assert summary["status"] == "ERROR"
    assert counts(answer) == {"imported": 0, "updated": 0, "ignored": 6, "deleted": 0}
    assert summary["conflicts"] == [
        {
            "object": "DiszpKrYNg8",
            "value": "org unit 'DiszpKrYNg8' is not mapped to a place",
            "property": "orgUnit",
            "indexes": [0],
            "row": 1,
            "column": "orgUnit",
            "reason": "org unit 'DiszpKrYNg8' is not mapped to a place",
        },
        {
            "object": "x8Tz5R1bPqL",
            "value": "data element 'x8Tz5R1bPqL' is not mapped to an indicator",
            "property": "dataElement",
            "indexes": [1],
            "row": 2,
            "column": "dataElement",
            "reason": "data element 'x8Tz5R1bPqL' is not mapped to an indicator",
        },
    ]
    assert "Nothing was imported: 2 problems" in summary["description"]
    assert not DataValue.objects.exists() and not Submission.objects.exists()


# --- dryRun and importStrategy ----------------------------------------------------------------


def test_a_dry_run_writes_nothing_and_answers_as_if_it_had(cast, instance, dhis2_server):
    response, answer = send(dhis2_server, a_month(), "?dryRun=true")
    assert response.status_code == 200
    assert counts(answer) == {"imported": 6, "updated": 0, "ignored": 0, "deleted": 0}
    assert answer["response"]["importOptions"]["dryRun"] is True
    assert answer["response"]["description"].startswith("Dry run, nothing was written")
    assert "reference" not in answer["response"]
    assert not DataValue.objects.exists() and not Submission.objects.exists()


def test_a_dry_run_asked_for_by_the_xml_payload_itself_writes_nothing(cast, instance, dhis2_server):
    xml = (
        '<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" dryRun="true" '
        f'period="202402" orgUnit="{WHOLE_AREA}" attributeOptionCombo="{LIBRARY_AOC}">'
        f'<dataValue dataElement="{OPEN_CASES}" value="12"/>'
        "</dataValueSet>"
    )
    response, answer = send(dhis2_server, xml, content_type="application/xml")
    assert response.status_code == 200 and counts(answer)["imported"] == 1
    assert not DataValue.objects.exists()


def test_create_adds_new_values_and_ignores_stored_ones(cast, instance, dhis2_server):
    send(dhis2_server, {"dataValues": a_month()["dataValues"][:2]})  # caseload and served
    payload = a_month(open="99")
    response, answer = send(dhis2_server, payload, "?importStrategy=CREATE")
    assert response.status_code == 200
    assert counts(answer) == {"imported": 4, "updated": 0, "ignored": 2, "deleted": 0}
    assert "2 already stored (importStrategy CREATE)" in answer["response"]["description"]
    assert stored()[("open-cases", "", LIBRARY)] == 12


def test_update_changes_stored_values_and_ignores_new_ones(cast, instance, dhis2_server):
    send(dhis2_server, {"dataValues": a_month()["dataValues"][:2]})
    payload = {**a_month(open="99"), "importStrategy": "UPDATE"}  # the payload's own
    response, answer = send(dhis2_server, payload, "?importStrategy=CREATE")
    assert counts(answer) == {"imported": 0, "updated": 1, "ignored": 5, "deleted": 0}
    assert answer["response"]["importOptions"]["importStrategy"] == "UPDATE"
    assert stored() == {
        ("open-cases", "", LIBRARY): 99,
        ("families-served", "", LIBRARY): 40,
    }


def test_delete_is_refused_since_a_value_keeps_its_history(cast, instance, dhis2_server):
    send(dhis2_server, a_month())
    response, answer = send(dhis2_server, a_month(), "?importStrategy=DELETE")
    assert response.status_code == 409
    (conflict,) = answer["response"]["conflicts"]
    assert conflict["property"] == "importStrategy" and conflict["row"] is None
    assert "history" in conflict["value"]
    response, answer = send(dhis2_server, a_month(), "?importStrategy=SOMETIMES")
    assert response.status_code == 409
    assert (
        "CREATE_AND_UPDATE, CREATE, UPDATE or DELETE" in answer["response"]["conflicts"][0]["value"]
    )
    assert DataValue.objects.count() == 4 and Submission.objects.count() == 1


# --- sending the same values again --------------------------------------------------------------


def test_sending_the_same_payload_again_changes_nothing(cast, instance, dhis2_server):
    send(dhis2_server, a_month())
    submission_approve(submission=Submission.objects.get(), by=cast.staff)
    response, answer = send(dhis2_server, a_month())
    assert response.status_code == 200
    assert counts(answer) == {"imported": 0, "updated": 0, "ignored": 6, "deleted": 0}
    assert answer["response"]["description"] == (
        "Nothing to write, so no submission was made: 0 imported, 0 updated, 6 ignored "
        "(6 unchanged)."
    )
    assert Submission.objects.count() == 1
    assert set(DataValue.objects.values_list("status", flat=True)) == {"approved"}


def test_only_the_changed_data_values_count_as_updated(cast, instance, dhis2_server):
    send(dhis2_server, a_month())
    response, answer = send(dhis2_server, a_month(open="13", black_ready="2"))
    assert counts(answer) == {"imported": 0, "updated": 2, "ignored": 4, "deleted": 0}
    second = Submission.objects.get(uuid=answer["response"]["reference"])
    assert second.value_count == 2  # caseload, and the readiness of black children
    assert ValueChange.objects.filter(submission=second).count() == 2
    readiness = stored()[("kindergarten-readiness", low_income(instance, "black"), LIBRARY)]
    assert readiness == (2, 4)


# --- attribute option combos --------------------------------------------------------------------


def test_attribute_option_combos_name_partners_through_the_mappings(cast, instance, as_role):
    payload = {
        "dataValues": [
            data_value(OPEN_CASES, "12", aoc=LIBRARY_AOC),
            data_value(OPEN_CASES, "30", aoc=FOOD_BANK_AOC),
        ]
    }
    response = as_role("staff").post(IMPORT, {"file": upload(payload), "partner": ""})
    assert response.status_code == 302
    assert stored() == {
        ("open-cases", "", LIBRARY): 12,
        ("open-cases", "", FOOD_BANK): 30,
    }


def test_an_unmapped_attribute_option_combo_is_refused_for_the_backbone(cast, instance, as_role):
    payload = {"dataValues": [data_value(OPEN_CASES, "12", aoc="Wk9XRk3e1uQ")]}
    response = as_role("staff").post(IMPORT, {"file": upload(payload), "partner": ""})
    assert response.status_code == 400
    (problem,) = response.context["problems"]
    assert (problem.row, problem.column) == (1, "attributeOptionCombo")
    assert "'Wk9XRk3e1uQ' is not mapped to a partner" in problem.reason


def test_a_partner_sends_its_own_combo_or_dhis2s_default_but_not_anothers(
    cast, instance, dhis2_server
):
    payload = {
        "dataValues": [
            data_value(OPEN_CASES, "12", aoc=LIBRARY_AOC),
            data_value(SERVED, "40", aoc=DEFAULT_COMBO),
        ]
    }
    assert send(dhis2_server, payload)[0].status_code == 200
    assert set(stored().values()) == {12, 40}
    response, answer = send(
        dhis2_server, {"dataValues": [data_value(OPEN_CASES, "1", aoc=FOOD_BANK_AOC)]}
    )
    assert response.status_code == 409
    (conflict,) = answer["response"]["conflicts"]
    assert (conflict["object"], conflict["property"]) == (FOOD_BANK_AOC, "attributeOptionCombo")
    assert conflict["value"] == "you may report only for your own organisation"


def test_staff_map_an_attribute_option_combo_on_the_mappings_page(cast, measured, as_role):
    client = as_role("staff")
    data = {"form": "aoc", "aoc-code": FOOD_BANK_AOC, "aoc-partner": cast.partner_b.pk}
    assert client.post(MAPPINGS, data).status_code == 302
    mapping = Dhis2Mapping.objects.get(kind=Dhis2Mapping.Kind.ATTRIBUTE_OPTION_COMBO)
    assert (mapping.code, mapping.partner) == (FOOD_BANK_AOC, cast.partner_b)
    page = client.get(MAPPINGS).content.decode()
    assert FOOD_BANK_AOC in page and "Northside Food Bank" in page
    refused = client.post(MAPPINGS, {**data, "aoc-code": DEFAULT_COMBO})
    assert refused.status_code == 200 and "DHIS2&#x27;s default combo" in refused.content.decode()


def test_export_writes_each_partners_mapped_combo_and_leaves_out_the_unmapped(
    cast, instance, dhis2_server, as_role
):
    send(dhis2_server, {"dataValues": [data_value(OPEN_CASES, "12")]})
    report_food_bank = {"dataValues": [data_value(OPEN_CASES, "30", aoc=FOOD_BANK_AOC)]}
    as_role("staff").post(IMPORT, {"file": upload(report_food_bank), "partner": ""})
    Dhis2Mapping.objects.filter(code=FOOD_BANK_AOC).delete()
    response = as_role("staff").get(EXPORT + "?format=json&status=all")
    assert [d["attributeOptionCombo"] for d in response.json()["dataValues"]] == [LIBRARY_AOC]
    assert response["X-Backbone-Skipped"] == "1"
    page = as_role("staff").get(EXPORT + "?preview=1&status=all").content.decode()
    assert "No attribute option combo is mapped to its partner" in page


# --- comment, followup, storedBy ------------------------------------------------------------------


def test_comment_followup_and_stored_by_are_kept_and_exported(
    cast, instance, dhis2_server, as_role
):
    payload = {
        "dataValues": [
            data_value(
                OPEN_CASES,
                "12",
                comment="Two cases moved to the county",
                followup=True,
                storedBy="amina.k",
            ),
            data_value(READY, "3", combo=BLACK_LOW, comment="Spring screening"),
            data_value(ASSESSED, "4", combo=BLACK_LOW, comment="Spring screening"),
        ]
    }
    send(dhis2_server, payload)
    caseload = DataValue.objects.get(indicator=instance.caseload)
    assert (caseload.comment, caseload.followup, caseload.stored_by) == (
        "Two cases moved to the county",
        True,
        "amina.k",
    )
    exported = as_role("staff").get(EXPORT + "?format=json&status=all").json()["dataValues"]
    by_element = {d["dataElement"]: d for d in exported}
    assert by_element[OPEN_CASES] == {
        **by_element[OPEN_CASES],
        "comment": "Two cases moved to the county",
        "followup": True,
        "storedBy": "amina.k",
    }
    assert by_element[READY]["comment"] == by_element[ASSESSED]["comment"] == "Spring screening"
    assert by_element[READY]["followup"] is False and "storedBy" not in by_element[READY]
    csv = as_role("staff").get(EXPORT + "?format=csv&status=all").content.decode().splitlines()
    row = next(line for line in csv if line.startswith(OPEN_CASES))
    assert row.split(",")[6:] == [
        "amina.k",
        row.split(",")[7],
        "Two cases moved to the county",
        "true",
        "false",
    ]
    # what was exported, sent back, is what is stored
    response, answer = send(dhis2_server, {"dataValues": exported})
    assert counts(answer) == {"imported": 0, "updated": 0, "ignored": 3, "deleted": 0}


def test_a_new_comment_alone_updates_the_value(cast, instance, dhis2_server):
    send(dhis2_server, {"dataValues": [data_value(OPEN_CASES, "12")]})
    again = {"dataValues": [data_value(OPEN_CASES, "12", comment="Checked against the register")]}
    response, answer = send(dhis2_server, again)
    assert counts(answer)["updated"] == 1 and Submission.objects.count() == 2
    assert DataValue.objects.get().comment == "Checked against the register"


def test_csv_and_xml_carry_comment_followup_and_stored_by(cast, instance, dhis2_server):
    csv = (
        "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,"
        "comment,followup\n"
        f"{OPEN_CASES},202402,{WHOLE_AREA},{DEFAULT_COMBO},{LIBRARY_AOC},12,amina.k,"
        "2024-03-01T10:00:00.000,From the March audit,true\n"
    )
    send(dhis2_server, csv, content_type="application/csv")
    xml = (
        '<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" period="202402" '
        f'orgUnit="{WHOLE_AREA}">'
        f'<dataValue dataElement="{SERVED}" value="40" comment="Includes walk-ins" '
        'followUp="false" storedBy="j.osei"/>'
        "</dataValueSet>"
    )
    send(dhis2_server, xml, content_type="application/xml")
    found = {
        v.indicator.code: (v.comment, v.followup, v.stored_by)
        for v in DataValue.objects.select_related("indicator")
    }
    assert found == {
        "open-cases": ("From the March audit", True, "amina.k"),
        "families-served": ("Includes walk-ins", False, "j.osei"),
    }


def test_a_followup_that_is_not_true_or_false_is_refused(cast, instance, dhis2_server):
    response, answer = send(
        dhis2_server, {"dataValues": [data_value(OPEN_CASES, "12", followup="maybe")]}
    )
    assert response.status_code == 409
    assert answer["response"]["conflicts"][0]["value"] == "followup is true or false, not 'maybe'"


# --- two codes for one cell --------------------------------------------------------------------


def test_two_codes_for_the_total_are_read_and_the_first_mapped_is_exported(
    cast, instance, dhis2_server, as_role
):
    dhis2.mapping_add_coc(initiative=cast.initiative, code=TOTAL, groups=[])
    send(dhis2_server, {"dataValues": [data_value(OPEN_CASES, "12", combo=TOTAL)]})
    assert stored() == {("open-cases", "", LIBRARY): 12}
    exported = as_role("staff").get(EXPORT + "?format=json&status=all").json()["dataValues"]
    assert [d["categoryOptionCombo"] for d in exported] == [DEFAULT_COMBO]
    page = as_role("staff").get(MAPPINGS).content.decode()
    assert f"import only: the export writes <code>{DEFAULT_COMBO}</code>" in page
    both = {
        "dataValues": [
            data_value(SERVED, "40", combo=DEFAULT_COMBO),
            data_value(SERVED, "41", combo=TOTAL),
        ]
    }
    response, answer = send(dhis2_server, both)
    assert response.status_code == 409
    assert "already given in row 1" in answer["response"]["conflicts"][0]["value"]


# --- the import page ----------------------------------------------------------------------------


def test_admin_checks_a_file_with_a_dry_run_then_imports_it_once(cast, instance, as_role):
    client = as_role("staff")
    dry = client.post(
        IMPORT,
        {"file": upload(a_month()), "partner": "", "dry_run": "on", "import_strategy": "CREATE"},
    )
    assert dry.status_code == 200 and not DataValue.objects.exists()
    page = dry.content.decode()
    assert "Dry run: nothing was written" in page and "6 imported" in page
    imported = client.post(IMPORT, {"file": upload(a_month()), "partner": ""})
    assert imported.status_code == 302 and Submission.objects.count() == 1
    again = client.post(IMPORT, {"file": upload(a_month()), "partner": ""})
    assert again.status_code == 200 and Submission.objects.count() == 1
    assert "Nothing changed: no submission was made" in again.content.decode()
    assert again.context["summary"].ignored == {"unchanged": 6}
