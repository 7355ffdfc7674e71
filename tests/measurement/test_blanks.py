"""A blank with a reason through the intake: accepted without numbers, refused beside a
number or with a reason no one knows, and kept in the value's history."""

import pytest

from backbone.measurement import missing
from backbone.measurement.intake import Intake, Reported
from backbone.measurement.models import DataValue, ValueChange
from backbone.measurement.problems import IntakeRefused

pytestmark = pytest.mark.integration


def intake(cast, **kw):
    return Intake(
        initiative=cast.initiative,
        by=cast.steward_a,
        channel="api",
        partner=cast.partner_a,
        file_name="report.csv",
        **kw,
    )


def enrolled(place=None, **kw):
    groups = {"place": place} if place else {}
    return Reported("children-enrolled", "SY2024-25", groups, row=kw.pop("row", 2), **kw)


def problems_of(cast, rows, **kw) -> str:
    with pytest.raises(IntakeRefused) as exc:
        intake(cast, **kw).submit(rows)
    assert not DataValue.objects.exists()
    return str(exc.value)


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("not_collected", "not_collected"),
        ("Not collected", "not_collected"),
        ("NOT COLLECTED", "not_collected"),
        ("suppressed", "suppressed"),
        ("suppressed at the source", "suppressed"),
        ("Not_Applicable", "not_applicable"),
        ("not-applicable", "not_applicable"),
        ("[c]", "suppressed"),
    ],
)
def test_a_blank_with_a_reason_is_written_without_a_number(cast, measured, given, code):
    intake(cast).submit([enrolled(missing=given)])

    value = DataValue.objects.get()
    assert (value.value, value.numerator, value.denominator, value.weight) == (None,) * 4
    assert value.missing == code


@pytest.mark.parametrize(
    ("code", "nums"),
    [
        ("kindergarten-readiness", {}),
        ("reading-score", {}),
        ("open-cases", {"value": " "}),
    ],
)
def test_any_kind_of_indicator_takes_a_blank_with_a_reason(cast, measured, code, nums):
    intake(cast).submit([Reported(code, "SY2024-25", {}, missing="not_applicable", **nums)])

    assert DataValue.objects.get().missing == "not_applicable"


def test_a_blank_without_a_reason_is_still_a_missing_value(cast, measured):
    text = problems_of(cast, [enrolled(value="")])

    assert "row 2, column 'value': value is missing" in text


@pytest.mark.parametrize(
    "nums",
    [
        {"value": "0"},
        {"value": 12},
        {"numerator": 3, "denominator": 4},
        {"weight": 40},
    ],
)
def test_a_number_and_a_reason_together_are_refused(cast, measured, nums):
    row = Reported("reading-score", "SY2024-25", {}, missing="not_collected", row=2, **nums)

    text = problems_of(cast, [row])

    assert "row 2, column 'missing': a value and a reason for its absence; give one" in text


def test_an_unknown_reason_is_refused_naming_the_reasons_there_are(cast, measured):
    row = enrolled(missing="forgot", columns={"missing": "why blank"})

    text = problems_of(cast, [row])

    assert "row 2, column 'why blank': unknown reason for a blank 'forgot'" in text
    assert (
        "give not_collected (Not collected), suppressed (Suppressed at the source) or "
        "not_applicable (Not applicable)"
    ) in text
    assert "value is missing" not in text  # one problem, not two


def test_a_blank_cell_adds_nothing_to_its_total(cast, measured):
    intake(cast).submit(
        [
            enrolled("north", value=10, row=2),
            enrolled("south", missing="suppressed", row=3),
            enrolled(value=14, row=4),  # north and the suppressed south
        ]
    )

    assert DataValue.objects.get(cell__key="").value == 14


def test_a_total_still_cannot_be_below_its_cells_beside_a_blank(cast, measured):
    rows = [
        enrolled("north", value=10, row=2),
        enrolled("south", missing="suppressed", row=3),
        enrolled(value=9, row=4),
    ]

    text = problems_of(cast, rows)

    assert "row 4, column 'value': children-enrolled: total value 9 disagrees" in text


def test_a_blank_total_is_not_compared_with_its_cells(cast, measured):
    rows = [
        enrolled("north", value=10, row=2),
        enrolled("south", value=20, row=3),
        enrolled(missing="not_collected", row=4),
    ]

    intake(cast).submit(rows)

    assert DataValue.objects.get(cell__key="").missing == "not_collected"


def test_a_blank_with_a_reason_answers_for_a_required_cell(cast, measured):
    measured.enrolled.all_cells_required = True
    measured.enrolled.save()
    given = [enrolled("north", value=10, row=2), enrolled("south", missing="[x]", row=3)]

    text = problems_of(cast, given[:1])
    intake(cast).submit(given)

    assert "1 of 2 combinations of groups given; every one is required" in text
    assert DataValue.objects.count() == 2


def test_history_keeps_a_number_becoming_a_blank_with_a_reason_and_back(cast, measured):
    intake(cast).submit([enrolled(value=12)])
    intake(cast).submit([enrolled(missing="not_collected")])
    intake(cast, correction_reason="Found the register").submit([enrolled(value=13)])

    value = DataValue.objects.get()
    assert (value.value, value.missing) == (13, "")
    first, second = ValueChange.objects.order_by("id")
    assert (first.old_value, first.new_value) == (12, None)
    assert first.reason == "now blank: Not collected"
    assert (second.old_value, second.new_value) == (None, 13)
    assert second.reason == "Found the register; was blank: Not collected"
    assert missing.read_change_reason(second.reason) == ("Found the register", "not_collected", "")


def test_a_new_reason_for_the_same_blank_is_a_change(cast, measured):
    intake(cast).submit([enrolled(missing="not_collected")])
    intake(cast).submit([enrolled(missing="not_collected")])
    assert not ValueChange.objects.exists()  # the same answer again changes nothing

    intake(cast).submit([enrolled(missing="not_applicable")])

    change = ValueChange.objects.get()
    assert (change.old_value, change.new_value) == (None, None)
    assert change.reason == "was blank: Not collected; now blank: Not applicable"
    assert DataValue.objects.get().missing == "not_applicable"


def test_a_long_correction_reason_is_shortened_to_keep_the_note(cast, measured):
    intake(cast).submit([enrolled(value=12)])
    intake(cast, correction_reason="x" * 500).submit([enrolled(missing="suppressed")])

    reason = ValueChange.objects.get().reason
    assert len(reason) == 500 and reason.endswith("…; now blank: Suppressed at the source")


def test_a_blank_is_never_an_outlier(cast, measured):
    for n, month in enumerate(["2024-01", "2024-02", "2024-03", "SY2022-23"]):
        intake(cast).submit([Reported("open-cases", month, {}, value=100 + n)])

    sub = intake(cast).submit([Reported("open-cases", "SY2023-24", {}, missing="suppressed")])

    assert sub.outlier_count == 0 and sub.value_count == 1


def test_reason_codes_are_read_in_codes_labels_and_symbols():
    assert missing.reason_code(" Suppressed  at the source ") == "suppressed"
    assert missing.reason_code("[Z]") == "not_applicable"
    assert missing.reason_code("n/a") is None
    assert missing.label("not_collected") == "Not collected" and missing.label("") == ""
    assert missing.read_change_reason("Typo; fixed") == ("Typo; fixed", "", "")
