from decimal import Decimal

import pytest

from backbone.measurement.intake import Intake, Reported
from backbone.measurement.models import DataValue, Indicator, Submission, ValueChange
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


def rate(race, income, num, den, row=1, period="SY2024-25"):
    groups = {k: v for k, v in (("race", race), ("income", income)) if v}
    return Reported(
        "kindergarten-readiness", period, groups, numerator=num, denominator=den, row=row
    )


def test_cells_and_total_are_written_with_derived_rates(cast, measured):
    rows = [
        rate("black", "low", "30", "60", 2),
        rate("black", "other", "20", "40", 3),
        rate("latino", "low", 10, 20, 4),
        rate("latino", "other", 5, 10, 5),
        rate("white", "low", 1, 2, 6),
        rate("white", "other", 1, 4, 7),
        rate(None, None, "67", "136", 8),
    ]
    submission = intake(cast).submit(rows)
    assert submission.value_count == 7
    total = DataValue.objects.get(cell__key="", indicator=measured.readiness)
    assert total.value == Decimal("49.264706")
    assert DataValue.objects.filter(status="submitted").count() == 7


def test_total_that_disagrees_with_its_parts_is_refused(cast, measured):
    rows = [
        rate(r, i, 1, 2, n)
        for n, (r, i) in enumerate(
            [(r, i) for r in ("black", "latino", "white") for i in ("low", "other")], start=2
        )
    ]
    rows.append(rate(None, None, 7, 12, 9))
    with pytest.raises(IntakeRefused) as exc:
        intake(cast).submit(rows)
    assert "report.csv, row 9, column 'numerator'" in str(exc.value)
    assert "disagrees with its parts" in str(exc.value)
    assert not DataValue.objects.exists() and not Submission.objects.exists()


def test_each_bad_row_is_named(cast, measured):
    rows = [
        rate("black", "low", "31", "30", 2),
        rate("purple", "low", "1", "3", 3),
        Reported("no-such", "SY2024-25", {}, value=1, row=4),
        Reported("children-enrolled", "2021", {}, value=5, row=5),
        Reported("children-enrolled", "SY2024-25", {"place": "north"}, value="ten", row=6),
        Reported("children-enrolled", "SY2024-25", {"place": "north"}, value="10", row=7),
        Reported("children-enrolled", "SY2024-25", {"place": "north"}, value="11", row=8),
        Reported("reading-score", "SY2024-25", {}, value="250", row=9),
    ]
    with pytest.raises(IntakeRefused) as exc:
        intake(cast).submit(rows)
    text = str(exc.value)
    for expected in [
        "row 2, column 'numerator': numerator 31 is larger than denominator 30",
        "row 3, column 'race': unknown group 'purple' of race",
        "row 4, column 'indicator': unknown indicator 'no-such'",
        "row 5, column 'period': period 2021 is closed",
        "row 6, column 'value': expected a number, found 'ten'",
        "row 8: duplicate of row 7",
        "row 9, column 'n': n is missing",
    ]:
        assert expected in text
    assert not DataValue.objects.exists()


def test_a_second_report_changes_values_and_keeps_history(cast, measured):
    first = intake(cast).submit(
        [Reported("children-enrolled", "SY2024-25", {"place": "north"}, value=10, row=2)]
    )
    second = Intake(
        initiative=cast.initiative, by=cast.member_a, channel="web", partner=cast.partner_a
    ).submit([Reported("children-enrolled", "SY2024-25", {"place": "north"}, value=12, row=2)])
    value = DataValue.objects.get()
    assert value.value == 12 and value.submission == second
    change = ValueChange.objects.get()
    assert (change.old_value, change.new_value) == (10, 12)
    assert change.previous_submission == first and change.changed_by == cast.member_a


def test_partner_cannot_report_for_another(cast, measured):
    with pytest.raises(IntakeRefused) as exc:
        intake(cast).submit(
            [
                Reported(
                    "children-enrolled",
                    "SY2024-25",
                    {},
                    value=3,
                    partner="northside-food-bank",
                    row=2,
                )
            ]
        )
    assert "only for your own organisation" in str(exc.value)


def test_backbone_correction_reaches_a_closed_period(cast, measured):
    Intake(
        initiative=cast.initiative,
        by=cast.staff,
        channel="web",
        partner=cast.partner_a,
        correction_reason="Late census figure",
    ).submit([Reported("children-enrolled", "2021", {}, value=5, row=1)])
    assert DataValue.objects.get().submission.channel == "correction"


def test_outlier_is_flagged_not_refused(cast, measured):
    for n, month in enumerate(["2024-01", "2024-02", "2024-03"]):
        intake(cast).submit([Reported("open-cases", month, {}, value=100 + n, row=1)])
    # History needs four points; add a fourth in a school year.
    intake(cast).submit([Reported("open-cases", "SY2022-23", {}, value=101, row=1)])
    sub = intake(cast).submit([Reported("open-cases", "SY2023-24", {}, value=900, row=1)])
    assert sub.outlier_count == 1
    assert DataValue.objects.get(period__code="SY2023-24").is_outlier


def test_values_keep_their_partner_but_leave_with_their_initiative(cast, measured):
    from django.db.models import RestrictedError

    intake(cast).submit([Reported("children-enrolled", "SY2024-25", {}, value=3, row=1)])
    with pytest.raises(RestrictedError):
        cast.partner_a.delete()
    cast.initiative.delete()
    assert not DataValue.objects.exists() and not Submission.objects.exists()


def test_a_period_closed_between_checking_and_writing_takes_nothing(cast, measured):
    checker = intake(cast)
    checked = checker.check([Reported("children-enrolled", "SY2024-25", {}, value=3, row=2)])
    assert checker.problem_count == 0
    period = measured.periods["SY2024-25"]
    period.status = "closed"
    period.save()
    with pytest.raises(IntakeRefused) as exc:
        checker.record(checked, status="submitted")
    assert "period SY2024-25 was closed while these values were being checked" in str(exc.value)
    assert not DataValue.objects.exists() and not Submission.objects.exists()


def test_an_indicator_deleted_between_checking_and_writing_takes_nothing(cast, measured):
    checker = intake(cast)
    checked = checker.check([Reported("children-enrolled", "SY2024-25", {}, value=3, row=2)])
    measured.enrolled.delete()
    with pytest.raises(IntakeRefused) as exc:
        checker.record(checked, status="submitted")
    assert "was deleted while these values were being checked" in str(exc.value)
    assert not DataValue.objects.exists() and not Submission.objects.exists()


# --- numbers are checked as they are stored: six decimal places, below 10^14 -------------------


@pytest.mark.parametrize("den", ["0.0000004", 0.0000004, Decimal("4E-7"), "0.0000001%"])
def test_a_denominator_that_rounds_to_zero_is_refused(cast, measured, den):
    with pytest.raises(IntakeRefused) as exc:
        intake(cast).submit([rate(None, None, 0, den, 4)])

    assert "report.csv, row 4, column 'denominator': denominator must be above zero" in str(
        exc.value
    )
    assert "is 0 to six decimal places" in str(exc.value)
    assert not DataValue.objects.exists()


def test_an_n_that_rounds_to_zero_is_refused(cast, measured):
    with pytest.raises(IntakeRefused) as exc:
        intake(cast).submit([Reported("reading-score", "SY2024-25", value=250, weight=1e-7, row=2)])

    assert "row 2, column 'n': n must be above zero: 1e-07 is 0 to six decimal places" in str(
        exc.value
    )


@pytest.mark.parametrize(
    ("indicator", "numbers", "stored"),
    [
        # a numerator equal to its denominator once rounded is a whole share, not more
        ("kindergarten-readiness", {"numerator": "5.0000004", "denominator": 5}, ("100", "5", "5")),
        ("kindergarten-readiness", {"numerator": -0.0000004, "denominator": 5}, ("0", "0", "5")),
        ("children-enrolled", {"value": "-0.0000004"}, ("0", None, None)),  # not below 0
        ("reading-score", {"value": 0.1 + 0.2, "weight": "2.0000005"}, ("0.3", None, None)),
    ],
)
def test_numbers_are_checked_and_stored_rounded_to_six_places(
    cast, measured, indicator, numbers, stored
):
    intake(cast).submit([Reported(indicator, "SY2024-25", **numbers, row=2)])

    found = DataValue.objects.get()
    assert (found.value, found.numerator, found.denominator) == tuple(
        None if s is None else Decimal(s) for s in stored
    )
    if found.weight is not None:
        assert found.weight == Decimal("2.000001")  # half away from zero, as PostgreSQL rounds


@pytest.mark.parametrize(
    ("numbers", "column", "reason"),
    [
        ({"value": 10**14}, "value", "100000000000000 is too large"),
        ({"value": "100000000000000"}, "value", "100000000000000 is too large"),
        ({"value": 1e20}, "value", "1e+20 is too large"),
        ({"value": Decimal("1E+20")}, "value", "100000000000000000000 is too large"),
        ({"value": "99999999999999.9999999"}, "value", "99999999999999.9999999 is too large"),
        ({"value": float("nan")}, "value", "expected a number, found a non-finite value"),
        ({"value": float("inf")}, "value", "expected a number, found a non-finite value"),
        ({"value": Decimal("NaN")}, "value", "expected a number, found a non-finite value"),
    ],
)
def test_a_number_too_large_to_keep_is_refused_whatever_its_type(
    cast, measured, numbers, column, reason
):
    with pytest.raises(IntakeRefused) as exc:
        intake(cast).submit([Reported("children-enrolled", "SY2024-25", **numbers, row=3)])

    assert f"row 3, column '{column}': {reason}" in str(exc.value)
    assert not DataValue.objects.exists()


def test_a_rate_too_large_to_keep_is_refused(cast, measured):
    Indicator.objects.filter(pk=measured.readiness.pk).update(unit="rate", rate_per=100_000)
    with pytest.raises(IntakeRefused) as exc:
        intake(cast).submit([rate(None, None, 10**13, "0.000001", 2)])

    assert "row 2, column 'numerator': numerator / denominator × 100000 is too large" in str(
        exc.value
    )
