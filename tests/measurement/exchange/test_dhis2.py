import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from backbone.measurement import dhis2
from backbone.measurement.models import Cell, DataValue, Dhis2Mapping, Submission
from backbone.measurement.problems import IntakeRefused
from tests.measurement.conftest import make_period

from .conftest import DEFAULT_COMBO, LIBRARY_AOC, NORTH, SOUTH, WHOLE_AREA, combo_code
from .helpers import full_report, report

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "dhis2"


def value_set(*values, **top):
    return json.dumps(
        {"dataSet": "pBOMPrpg1QX", "completeDate": "2024-02-05", **top, "dataValues": list(values)}
    ).encode()


def dv(element, value, *, period="202402", org_unit=WHOLE_AREA, combo="", aoc="", **extra):
    return {
        "dataElement": element,
        "period": period,
        "orgUnit": org_unit,
        "categoryOptionCombo": combo,
        "attributeOptionCombo": aoc,
        "value": value,
        **extra,
    }


def import_as_partner(cast, content, partner=None, file_name="set.json"):
    return dhis2.dhis2_import(
        initiative=cast.initiative,
        by=cast.steward_a,
        content=content,
        file_name=file_name,
        partner=partner or cast.partner_a,
    )


def problems_of(call) -> dict[tuple, str]:
    with pytest.raises(IntakeRefused) as exc:
        call()
    return {(p.row, p.column): p.reason for p in exc.value.problems}


def snapshot(partner, period):
    """A partner's values for a period, comparable across partners and periods."""
    return sorted(
        (
            v.indicator.code,
            tuple(sorted((g.dimension.key, g.key) for g in v.cell.groups.all())),
            v.value,
            v.numerator,
            v.denominator,
            v.weight,
        )
        for v in DataValue.objects.filter(partner=partner, period=period)
        .select_related("indicator", "cell")
        .prefetch_related("cell__groups__dimension")
    )


# --- periods ---------------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    "code, expected",
    [
        ("202401", ("month", date(2024, 1, 1))),
        ("202412", ("month", date(2024, 12, 1))),
        ("2024Q3", ("quarter", date(2024, 7, 1))),
        ("2024", ("year", date(2024, 1, 1))),
        ("2024April", ("fiscal_year", date(2024, 4, 1))),
        ("2024July", ("fiscal_year", date(2024, 7, 1))),
        ("2024Oct", ("fiscal_year", date(2024, 10, 1))),
        ("2024Nov", ("fiscal_year", date(2024, 11, 1))),
    ],
)
def test_dhis2_periods_read_as_backbone_kinds(code, expected):
    assert dhis2.dhis2_period_parse(code) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    "code, says",
    [
        ("20240115", "daily"),
        ("2024W5", "weekly"),
        ("2024BiW3", "weekly"),
        ("202401B", "bi-monthly"),
        ("2024S1", "six-monthly"),
        ("2024AprilS2", "six-monthly"),
        ("202413", "not a DHIS2 period"),
        ("2024-08", "not a DHIS2 period"),
        ("SY2024-25", "not a DHIS2 period"),
    ],
)
def test_other_dhis2_periods_are_refused_with_a_reason(code, says):
    with pytest.raises(ValueError, match=says):
        dhis2.dhis2_period_parse(code)


@pytest.mark.unit
@pytest.mark.parametrize(
    "kind, start, expected",
    [
        ("month", date(2024, 3, 1), "202403"),
        ("quarter", date(2024, 10, 1), "2024Q4"),
        ("year", date(2024, 1, 1), "2024"),
        ("fiscal_year", date(2024, 7, 1), "2024July"),
        ("school_year", date(2024, 7, 1), "2024July"),
        ("fiscal_year", date(2024, 4, 1), "2024April"),
        ("school_year", date(2024, 8, 1), None),
        ("fiscal_year", date(2024, 9, 1), None),
    ],
)
def test_backbone_periods_write_as_dhis2_codes_where_dhis2_has_them(kind, start, expected):
    assert dhis2.dhis2_period_of(kind, start) == expected


@pytest.mark.unit
def test_a_data_elements_role_lives_in_its_stored_code():
    assert dhis2.stored_code("KR01", "numerator") == "numerator:KR01"
    assert dhis2.element_code("numerator:KR01") == ("KR01", "numerator")
    assert dhis2.element_code("KR01") == ("KR01", "value")
    assert dhis2.element_code("dhis:KR01") == ("dhis:KR01", "value")


# --- mappings --------------------------------------------------------------------------------


def test_a_rate_maps_a_numerator_and_a_denominator_not_a_value(cast, measured):
    with pytest.raises(dhis2.MappingError, match="numerator and denominator"):
        dhis2.mapping_add_element(
            initiative=cast.initiative, code="KR00", indicator=measured.readiness, role="value"
        )
    with pytest.raises(dhis2.MappingError, match="value"):
        dhis2.mapping_add_element(
            initiative=cast.initiative, code="ECE02", indicator=measured.enrolled, role="n"
        )


def test_a_dhis2_code_is_mapped_once_whatever_its_role(cast, measured):
    dhis2.mapping_add_element(
        initiative=cast.initiative, code="KR01", indicator=measured.readiness, role="numerator"
    )
    with pytest.raises(dhis2.MappingError, match="already mapped"):
        dhis2.mapping_add_element(
            initiative=cast.initiative,
            code="KR01",
            indicator=measured.readiness,
            role="denominator",
        )


def test_a_combo_maps_to_the_cell_of_its_groups(cast, measured):
    black = measured.race.groups.get(key="black")
    low = measured.income.groups.get(key="low")
    mapping = dhis2.mapping_add_coc(initiative=cast.initiative, code="c1", groups=[low, black])
    assert mapping.cell.key == Cell.key_for([black.pk, low.pk])
    assert set(mapping.cell.groups.all()) == {black, low}
    again = dhis2.mapping_add_coc(initiative=cast.initiative, code="c2", groups=[black, low])
    assert again.cell == mapping.cell


def test_a_combo_takes_one_group_per_dimension_and_no_place(cast, measured):
    black, latino = measured.race.groups.filter(key__in=["black", "latino"])
    north = measured.place.groups.get(key="north")
    with pytest.raises(dhis2.MappingError, match="one group"):
        dhis2.mapping_add_coc(initiative=cast.initiative, code="c", groups=[black, latino])
    with pytest.raises(dhis2.MappingError, match="org units"):
        dhis2.mapping_add_coc(initiative=cast.initiative, code="c", groups=[north])


def test_an_org_unit_maps_to_a_place_only(cast, measured):
    black = measured.race.groups.get(key="black")
    with pytest.raises(dhis2.MappingError, match="geography"):
        dhis2.mapping_add_org_unit(initiative=cast.initiative, code="ou", place=black)


# --- import ----------------------------------------------------------------------------------


def test_partner_imports_a_json_value_set(cast, mapped):
    content = value_set(
        dv("ECE01", "12", org_unit=NORTH),
        dv("ECE01", "8", org_unit=SOUTH),
        dv("ECE01", "20", combo=DEFAULT_COMBO),
        dv("KR01", "3", combo=combo_code("black", "low")),
        dv("KR02", "4", combo=combo_code("black", "low")),
        dv("RS01", 251.5),
        dv("RS02", 30),
    )
    submission = import_as_partner(cast, content).submission
    assert submission.channel == Submission.Channel.DHIS2 and submission.value_count == 5
    assert submission.partner == cast.partner_a and submission.file_name == "set.json"
    rate = DataValue.objects.get(indicator=mapped.readiness)
    assert (rate.numerator, rate.denominator, rate.value) == (3, 4, 75)
    assert DataValue.objects.get(indicator=mapped.score).weight == 30
    assert DataValue.objects.filter(indicator=mapped.enrolled, cell__key="").get().value == 20


def test_value_set_period_and_org_unit_stand_for_values_that_leave_them_out(cast, mapped):
    content = value_set({"dataElement": "OC01", "value": "9"}, period="202403", orgUnit=WHOLE_AREA)
    import_as_partner(cast, content)
    assert DataValue.objects.get().period.code == "2024-03"


def test_unmapped_codes_name_their_row_and_field_and_nothing_is_written(cast, mapped):
    content = value_set(
        dv("OC01", "5"),
        dv("ZZ99", "5"),
        dv("OC01", "5", org_unit="unknownOU01"),
        dv("OC01", "5", period="2024W3"),
        dv("ECE01", "5", org_unit=NORTH, combo="nope"),
        dv("FS01", "many"),
        dv("KR01", "3", combo=combo_code("white", "low")),
        dv("OC01", "5", period="202402", org_unit=""),
        dv("OC01", "5", period="2023"),
    )
    found = problems_of(lambda: import_as_partner(cast, content))
    assert found[(2, "dataElement")] == "data element 'ZZ99' is not mapped to an indicator"
    assert found[(3, "orgUnit")] == "org unit 'unknownOU01' is not mapped to a place"
    assert "weekly" in found[(4, "period")]
    assert (
        found[(5, "categoryOptionCombo")] == "category option combo 'nope' is not mapped to groups"
    )
    assert found[(6, "value")] == "expected a number, found 'many'"
    assert "needs its denominator" in found[(7, "dataElement")]
    assert found[(8, "orgUnit")] == "orgUnit is missing"
    assert found[(9, "period")] == "no Backbone period matches DHIS2 period 2023"
    assert not any(row == 1 for row, _ in found)
    assert not DataValue.objects.exists() and not Submission.objects.exists()


def test_intake_problems_point_back_to_the_dhis2_row(cast, mapped):
    content = value_set(
        dv("KR01", "5", combo=combo_code("black", "low")),
        dv("KR02", "4", combo=combo_code("black", "low")),
        dv("OC01", "5", period="2021"),
        dv("ECE01", "5", org_unit=NORTH),
        dv("ECE01", "6", org_unit=NORTH),
    )
    found = problems_of(lambda: import_as_partner(cast, content))
    assert "larger than denominator" in found[(1, "value")]
    assert "closed" in found[(3, "period")]
    assert "already given in row 4" in found[(5, "dataElement")]


def test_rate_without_a_mapped_denominator_says_so(cast, mapped):
    Dhis2Mapping.objects.filter(code="denominator:KR02").delete()
    content = value_set(dv("KR01", "3", combo=combo_code("black", "low")))
    found = problems_of(lambda: import_as_partner(cast, content))
    assert "no data element is mapped to it yet" in found[(1, "dataElement")]


def test_weighted_average_without_its_n_is_refused(cast, mapped):
    found = problems_of(lambda: import_as_partner(cast, value_set(dv("RS01", "250"))))
    assert "reading-score needs its n too" in found[(1, "dataElement")]


def test_deleting_through_import_is_refused(cast, mapped):
    found = problems_of(lambda: import_as_partner(cast, value_set(dv("OC01", "5", deleted=True))))
    assert "deleting" in found[(1, "deleted")]


def test_a_partner_cannot_import_values_for_another_partner(cast, mapped):
    content = value_set(dv("OC01", "5", aoc="northside-food-bank"))
    found = problems_of(lambda: import_as_partner(cast, content))
    assert found[(1, "attributeOptionCombo")] == "you may report only for your own organisation"
    assert not DataValue.objects.exists()


def test_a_partners_own_system_code_in_the_attribute_combo_is_ignored(cast, mapped):
    import_as_partner(cast, value_set(dv("OC01", "5", aoc="HllvX50cXC0")))
    assert DataValue.objects.get().partner == cast.partner_a


def test_backbone_imports_values_of_several_partners_by_attribute_combo(cast, mapped):
    content = value_set(
        dv("OC01", "5", aoc="riverton-public-library"),
        dv("OC01", "9", aoc="northside-food-bank"),
    )
    dhis2.dhis2_import(
        initiative=cast.initiative, by=cast.staff, content=content, many_partners=True
    )
    values = dict(DataValue.objects.values_list("partner__organisation__slug", "value"))
    assert values == {"riverton-public-library": 5, "northside-food-bank": 9}


def test_backbone_import_by_attribute_combo_needs_each_partner(cast, mapped):
    content = value_set(dv("OC01", "5"), dv("OC01", "5", aoc="somebody"))
    found = problems_of(
        lambda: dhis2.dhis2_import(
            initiative=cast.initiative, by=cast.staff, content=content, many_partners=True
        )
    )
    assert found[(1, "attributeOptionCombo")] == "name the partner"
    assert found[(2, "attributeOptionCombo")] == (
        "attribute option combo 'somebody' is not mapped to a partner, nor is it a partner's "
        "short name"
    )


def test_csv_without_a_header_is_read_in_dhis2_column_order(cast, mapped):
    content = (
        f"ECE01,202402,{NORTH},,,12,admin,2024-02-03,,false,false\n"
        f"ECE01,202402,{SOUTH},{DEFAULT_COMBO},,x,admin,2024-02-03,,false,false\n"
    ).encode()
    found = problems_of(lambda: import_as_partner(cast, content, file_name="set.csv"))
    assert found == {(2, "value"): "expected a number, found 'x'"}


def test_csv_with_a_header_reads_columns_by_name(cast, mapped):
    content = (
        "\ufeffvalue,dataelement,period,orgunit,categoryoptioncombo\n"
        f"12,ECE01,202402,{NORTH},\n"
        "\n"
        f"8,ECE01,202402,{SOUTH},{DEFAULT_COMBO}\n"
    ).encode()
    submission = import_as_partner(cast, content, file_name="set.csv").submission
    assert submission.value_count == 2
    bad = f"value,dataelement,period,orgunit\n12,ECE01,2024W1,{NORTH}\n".encode()
    assert problems_of(lambda: import_as_partner(cast, bad, file_name="x.csv")) == {
        (2, "period"): "2024W1 is a weekly DHIS2 period; Backbone has no weekly periods"
    }


@pytest.mark.parametrize(
    "content, says",
    [
        (b"{not json", "not valid JSON"),
        (b'{"dataValues": 3}', "dataValues"),
        (b'{"dataValues": []}', "no data values"),
        (b'{"dataValues": ["x"]}', "must be an object"),
        (b"\xff\xfe\x00", "UTF-8"),
    ],
)
def test_unreadable_payloads_are_refused(cast, mapped, content, says):
    with pytest.raises(IntakeRefused, match=says):
        import_as_partner(cast, content, file_name="upload")


def test_financial_years_find_fiscal_or_school_years(cast, mapped):
    make_period(cast.initiative, "school_year", date(2025, 7, 1))
    make_period(cast.initiative, "fiscal_year", date(2025, 4, 1))
    import_as_partner(cast, value_set(dv("OC01", "5", period="2025July")))
    import_as_partner(cast, value_set(dv("FS01", "5", period="2025April")))
    found = dict(DataValue.objects.values_list("indicator__code", "period__code"))
    assert found == {"open-cases": "SY2025-26", "families-served": "FY2025-26"}


# --- DHIS2's own CSV, XML and ADX ------------------------------------------------------------

BLACK_LOW = combo_code("black", "low")


def import_as_backbone(cast, content, file_name):
    return dhis2.dhis2_import(
        initiative=cast.initiative,
        by=cast.staff,
        content=content,
        file_name=file_name,
        many_partners=True,
    )


def readiness_cells(mapped):
    """(partner, groups, numerator, denominator) of every kindergarten-readiness value."""
    return sorted(
        (
            v.partner.organisation.slug,
            tuple(sorted((g.dimension.key, g.key) for g in v.cell.groups.all())),
            v.numerator,
            v.denominator,
        )
        for v in DataValue.objects.filter(indicator=mapped.readiness)
        .select_related("partner__organisation")
        .prefetch_related("cell__groups__dimension")
    )


@pytest.mark.parametrize(
    "header",
    [
        "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,"
        "comment,followup",
        '"dataelement","period","orgunit","catoptcombo","attroptcombo","value","strby",'
        '"lstupd","cmt"',
        "dataElement,Period,orgUnit,categoryOptionCombo,attributeOptionCombo,value,storedBy,"
        "timestamp,comment,flwup,deleted",
    ],
)
def test_csv_in_dhis2s_documented_format_keeps_breakdown_and_partner(cast, mapped, header):
    content = (
        f"{header}\n"
        f"KR01,202402,{WHOLE_AREA},{BLACK_LOW},northside-food-bank,3,admin,2024-03-01,,false\n"
        f"KR02,202402,{WHOLE_AREA},{BLACK_LOW},northside-food-bank,4,admin,2024-03-01,,false\n"
    ).encode()
    import_as_backbone(cast, content, "dhis2.csv")
    assert readiness_cells(mapped) == [
        ("northside-food-bank", (("income", "low"), ("race", "black")), 3, 4)
    ]


def test_csv_header_with_known_names_in_another_order_is_read_by_name(cast, mapped):
    content = (
        "value,catoptcombo,dataelement,period,orgunit\n"
        f"3,{BLACK_LOW},KR01,202402,{WHOLE_AREA}\n"
        f"4,{BLACK_LOW},KR02,202402,{WHOLE_AREA}\n"
    ).encode()
    import_as_partner(cast, content, file_name="set.csv")
    assert readiness_cells(mapped) == [
        ("riverton-public-library", (("income", "low"), ("race", "black")), 3, 4)
    ]


def test_csv_without_a_header_is_read_by_position_like_dhis2(cast, mapped):
    content = (
        f"KR01,202402,{WHOLE_AREA},{BLACK_LOW},,3,admin,2024-03-01T10:00:00.000,,false\n"
        f"KR02,202402,{WHOLE_AREA},{BLACK_LOW},,4,admin,2024-03-01T10:00:00.000,,false\n"
    ).encode()
    import_as_partner(cast, content, file_name="records.csv")
    assert readiness_cells(mapped) == [
        ("riverton-public-library", (("income", "low"), ("race", "black")), 3, 4)
    ]


@pytest.mark.parametrize(
    "header, column, says",
    [
        (  # the typo of a header row in DHIS2's own test files, which DHIS2 skips unread
            '"dataelelement","period","orgunit","categoryoptioncombo","attributeoptioncombo",'
            '"value","storedby","timestamp","comment","followup"',
            "dataelelement",
            "DHIS2 reads column A as dataelement",
        ),
        (
            "dataelement,period,orgunit,catoptcmbo,attroptcombo,value",
            "catoptcmbo",
            "DHIS2 reads column D as categoryoptioncombo",
        ),
        (
            "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,"
            "comment,followup,deleted,notes",
            "notes",
            "DHIS2's CSV has 11 columns",
        ),
        (
            "dataelement,period,orgunit,catoptcombo,categoryoptioncombo,value",
            "categoryoptioncombo",
            "as column D does; keep one",
        ),
    ],
)
def test_csv_header_column_dhis2_does_not_have_is_refused_by_name(
    cast, mapped, header, column, says
):
    content = f"{header}\nKR01,202402,{WHOLE_AREA},{BLACK_LOW},,3\n".encode()
    found = problems_of(lambda: import_as_partner(cast, content, file_name="set.csv"))
    assert list(found) == [(1, column)]
    assert says in found[(1, column)]
    assert not DataValue.objects.exists()


def test_csv_value_in_a_column_dhis2_does_not_have_is_refused(cast, mapped):
    row = f"OC01,202402,{WHOLE_AREA},,,5,admin,2024-03-01,,false,false"
    content = f"{row},7\n{row.replace('OC01', 'FS01')},8\n".encode()
    found = problems_of(lambda: import_as_partner(cast, content, file_name="set.csv"))
    assert list(found) == [(1, "column L")]
    assert "a value (7) in a column DHIS2 does not have" in found[(1, "column L")]
    assert "and in 1 more row" in found[(1, "column L")]
    named = f"dataelement,period,orgunit,value\nOC01,202402,{WHOLE_AREA},5,{BLACK_LOW}\n"
    found = problems_of(lambda: import_as_partner(cast, named.encode(), file_name="set.csv"))
    assert found == {(2, "column E"): f"a value ({BLACK_LOW}) in a column with no header"}


def test_json_field_dhis2_does_not_have_is_refused_once(cast, mapped):
    content = value_set(
        dv("KR01", "3", catOptCombo=BLACK_LOW), dv("KR02", "4", catOptCombo=BLACK_LOW)
    )
    found = problems_of(lambda: import_as_partner(cast, content))
    assert list(found) == [(1, "catOptCombo")]
    assert "unknown field of a data value (and in 1 more data value)" in found[(1, "catOptCombo")]
    assert not DataValue.objects.exists()


DXF_SET = f"""<?xml version="1.0" encoding="UTF-8"?>
<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" dataSet="pBOMPrpg1QX"
  completeDate="2024-03-05" period="202402" orgUnit="{WHOLE_AREA}">
  <dataValue dataElement="KR01" categoryOptionCombo="{BLACK_LOW}" value="3" comment="c1"/>
  <dataValue dataElement="KR02" categoryOptionCombo="{BLACK_LOW}" value="4" followUp="false"/>
  <dataValue dataElement="OC01" period="202403" orgUnit="{WHOLE_AREA}" value="9"
    storedBy="admin" created="2024-04-01T10:00:00.000" lastUpdated="2024-04-01T10:00:00.000"
    deleted="false"/>
</dataValueSet>
"""


@pytest.mark.parametrize("file_name", ["set.xml", "upload.csv", "upload"])
def test_xml_data_value_set_is_imported_whatever_the_files_name(cast, mapped, file_name):
    summary = import_as_partner(cast, ("\ufeff" + DXF_SET).encode(), file_name=file_name)
    assert summary.submission.value_count == 2
    assert readiness_cells(mapped) == [
        ("riverton-public-library", (("income", "low"), ("race", "black")), 3, 4)
    ]
    assert DataValue.objects.get(indicator=mapped.caseload).period.code == "2024-03"


def test_xml_problems_name_the_data_value_and_attribute(cast, mapped):
    content = (
        '<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" period="202402">'
        f'<dataValue dataElement="OC01" orgUnit="{WHOLE_AREA}" value="5"/>'
        f'<dataValue dataElement="ZZ99" orgUnit="{WHOLE_AREA}" value="5"/>'
        f'<dataValue dataElement="ECE01" orgUnit="{NORTH}" value="5" catOptCombo="x"/>'
        "</dataValueSet>"
    ).encode()
    found = problems_of(lambda: import_as_partner(cast, content, file_name="set.xml"))
    assert set(found) == {(2, "dataElement"), (3, "catOptCombo")}
    assert found[(2, "dataElement")] == "data element 'ZZ99' is not mapped to an indicator"
    assert "unknown attribute of a dataValue" in found[(3, "catOptCombo")]


def test_adx_is_refused_in_one_sentence(cast, mapped):
    content = (FIXTURES / "adx-data-sample.xml").read_bytes()
    for name in ("adx-data-sample.xml", "adx.csv"):
        with pytest.raises(IntakeRefused) as exc:
            import_as_partner(cast, content, file_name=name)
        assert exc.value.total == 1
        (problem,) = exc.value.problems
        assert (problem.file, problem.row, problem.column) == (name, None, None)
        assert problem.reason.startswith("this is an ADX file, which Backbone does not read")
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    "content, says",
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            b'<dataValueSet><dataValue dataElement="&lol2;"/></dataValueSet>',
            "declares a DTD",
        ),
        (b"<iati-activities><iati-activity/></iati-activities>", "found <iati-activities>"),
        (b'<dataValueSet><dataValue value="1"></dataValueSet>', "not valid XML"),
    ],
)
def test_other_xml_is_refused_in_one_problem(cast, mapped, content, says):
    with pytest.raises(IntakeRefused) as exc:
        import_as_partner(cast, content, file_name="upload.xml")
    assert exc.value.total == 1
    assert says in exc.value.problems[0].reason


# --- export and the round trip ---------------------------------------------------------------


def test_export_writes_mapped_codes_and_each_rates_two_parts(cast, mapped):
    report(cast, cast.partner_a, full_report(), approve=True)
    out = dhis2.dhis2_export(initiative=cast.initiative, values=DataValue.objects.all())
    assert out.exported == 13 and out.skipped_count == 0
    assert len(out.data_values) == 13 + 6 + 1 + 1  # rates and the average give two each
    north = next(d for d in out.data_values if d["orgUnit"] == NORTH)
    assert north == {
        **north,
        "dataElement": "ECE01",
        "period": "202401",
        "value": "10",
        "attributeOptionCombo": LIBRARY_AOC,
    }
    kr = {
        d["dataElement"]: d["value"]
        for d in out.data_values
        if d["categoryOptionCombo"] == combo_code("white", "other")
    }
    assert kr == {"KR01": "9", "KR02": "20"}


def test_export_leaves_out_and_counts_what_has_no_dhis2_code(cast, mapped):
    report(cast, cast.partner_a, full_report("SY2024-25"))
    report(cast, cast.partner_a, full_report("2024-01"))
    Dhis2Mapping.objects.filter(code=SOUTH).delete()
    Dhis2Mapping.objects.filter(code="FS01").delete()
    out = dhis2.dhis2_export(initiative=cast.initiative, values=DataValue.objects.all())
    assert out.skipped[dhis2.NO_DHIS2_PERIOD] == 13
    assert out.skipped["no org unit is mapped to its place"] == 1
    assert out.skipped["no data element is mapped to its value"] == 1
    assert out.exported == 11


def test_export_leaves_out_a_blank_value_and_counts_it(cast, mapped):
    """DHIS2 reads an empty value as a deletion: a value left blank, with its reason, is not
    sent as one."""
    report(cast, cast.partner_a, full_report(), approve=True)
    blank = DataValue.objects.filter(cell__key="").first()
    DataValue.objects.filter(pk=blank.pk).update(
        value=None, numerator=None, denominator=None, weight=None, missing="not_collected"
    )
    out = dhis2.dhis2_export(initiative=cast.initiative, values=DataValue.objects.all())
    assert out.skipped["it is blank"] == 1
    assert out.exported == 12
    assert all(d["value"] != "" for d in out.data_values)


def test_round_trip_json_into_a_fresh_partner_and_period(cast, mapped):
    jan, feb = mapped.periods["2024-01"], mapped.periods["2024-02"]
    report(cast, cast.partner_a, full_report("2024-01"), approve=True)
    out = dhis2.dhis2_export(initiative=cast.initiative, values=DataValue.objects.all())
    payload = json.loads(dhis2.export_json(out))
    for d in payload["dataValues"]:
        d["period"] = "202402"
    dhis2.dhis2_import(
        initiative=cast.initiative,
        by=cast.staff,
        content=json.dumps(payload).encode(),
        partner=cast.partner_b,
        many_partners=True,
    )
    assert snapshot(cast.partner_b, feb) == snapshot(cast.partner_a, jan)
    assert len(snapshot(cast.partner_b, feb)) == 13


def test_round_trip_csv_of_a_partners_own_values(cast, mapped):
    jan, mar = mapped.periods["2024-01"], mapped.periods["2024-03"]
    report(cast, cast.partner_a, full_report("2024-01", scale=3))
    out = dhis2.dhis2_export(
        initiative=cast.initiative, values=DataValue.objects.filter(partner=cast.partner_a)
    )
    rows = [",".join(dhis2.CSV_COLUMNS)]
    for row in dhis2.export_csv_rows(out):
        row[1] = "202403"
        rows.append(",".join(str(c) for c in row))
    import_as_partner(cast, "\n".join(rows).encode(), file_name="own.csv")
    assert snapshot(cast.partner_a, mar) == snapshot(cast.partner_a, jan)


def test_negative_and_fractional_values_survive_the_trip(cast, mapped):
    cast.initiative.indicators.filter(code="reading-score").update(minimum=Decimal("-50"))
    report(cast, cast.partner_a, [dhis2_reported("-12.125", 3)])
    out = dhis2.dhis2_export(initiative=cast.initiative, values=DataValue.objects.all())
    assert [d["value"] for d in out.data_values] == ["-12.125", "3"]
    rows = dhis2.export_csv_rows(out)
    assert rows[0][5] == Decimal("-12.125")


def dhis2_reported(value, n):
    from backbone.measurement.intake import Reported

    return Reported("reading-score", "2024-01", {}, value=value, weight=n)


def test_a_total_that_disagrees_with_its_groups_names_the_data_value(cast, mapped):
    cells = [
        dv(element, value, combo=combo_code(race, income))
        for race in ("black", "latino", "white")
        for income in ("low", "other")
        for element, value in (("KR01", "1"), ("KR02", "2"))
    ]
    content = value_set(
        *cells,
        dv("KR01", "6", combo=DEFAULT_COMBO),
        dv("KR02", "13", combo=DEFAULT_COMBO),
    )
    found = problems_of(lambda: import_as_partner(cast, content))
    assert list(found) == [(14, "value")]
    assert "total denominator 13 disagrees with its parts" in found[(14, "value")]
