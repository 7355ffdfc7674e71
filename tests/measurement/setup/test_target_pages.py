"""Baselines and targets, for the total and for the groups of one dimension."""

from decimal import Decimal

import pytest

from backbone.measurement import services_setup as services
from backbone.measurement.models import Cell, Target

pytestmark = pytest.mark.integration

BASE = "/i/riverton/measurement/indicators/"


def _url(code="kindergarten-readiness", **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{BASE}{code}/targets/" + (f"?{query}" if query else "")


def test_targets_page_shows_the_indicators_periods_of_its_frequency(cast, measured, as_role):
    response = as_role("staff").get(_url("children-enrolled"))  # reported yearly by default

    form = response.context["form"]
    assert [p.code for p in form.periods] == ["2021"]
    assert response.context["groups"] == [None]


def test_staff_set_a_baseline_and_a_target_for_the_total(cast, measured, as_role):
    sy22, sy24 = measured.periods["SY2022-23"], measured.periods["SY2024-25"]

    response = as_role("staff").post(
        _url(kind="school_year"),
        {f"baseline-{sy22.pk}-total": "44.8", f"target-{sy24.pk}-total": "52"},
    )

    assert response.status_code == 302
    targets = Target.objects.filter(indicator=measured.readiness).order_by("kind")
    assert [(t.kind, t.period.code, t.cell.key, t.value) for t in targets] == [
        ("baseline", "SY2022-23", "", Decimal("44.8")),
        ("target", "SY2024-25", "", Decimal("52")),
    ]


def test_a_target_per_group_makes_the_groups_cell(cast, measured, as_role):
    black = measured.race.groups.get(key="black")
    sy24 = measured.periods["SY2024-25"]

    as_role("staff").post(
        _url(kind="school_year", by="race"), {f"target-{sy24.pk}-{black.pk}": "47.5"}
    )

    target = Target.objects.get(indicator=measured.readiness)
    assert target.cell.key == Cell.key_for([black.pk])
    assert list(target.cell.groups.all()) == [black]


def test_the_grid_shows_existing_values_and_clearing_one_removes_it(cast, measured, as_role):
    sy24 = measured.periods["SY2024-25"]
    services.target_set(
        indicator=measured.readiness,
        by=cast.staff,
        kind="target",
        period=sy24,
        value=Decimal("52.5"),
    )
    client = as_role("staff")

    form = client.get(_url(kind="school_year")).context["form"]
    assert form[f"target-{sy24.pk}-total"].value() == "52.5"

    client.post(_url(kind="school_year"), {f"target-{sy24.pk}-total": ""})
    assert not Target.objects.filter(indicator=measured.readiness).exists()


def test_a_value_out_of_range_is_refused_and_nothing_is_saved(cast, measured, as_role):
    sy23, sy24 = measured.periods["SY2023-24"], measured.periods["SY2024-25"]

    response = as_role("staff").post(
        _url(kind="school_year"),
        {f"target-{sy23.pk}-total": "50", f"target-{sy24.pk}-total": "140"},
    )

    assert response.status_code == 200
    assert (
        "highest possible value is 100"
        in response.context["form"].errors[f"target-{sy24.pk}-total"][0]
    )
    assert not Target.objects.exists()


def test_an_unknown_dimension_falls_back_to_the_total(cast, measured, as_role):
    response = as_role("staff").get(_url(by="place"))  # readiness is not reported by place

    assert response.context["by"] is None and response.context["groups"] == [None]


def test_target_set_refuses_a_group_the_indicator_is_not_reported_by(cast, measured):
    north = measured.place.groups.get(key="north")

    with pytest.raises(services.SetupError) as exc:
        services.target_set(
            indicator=measured.readiness,
            by=cast.staff,
            kind="target",
            period=measured.periods["SY2024-25"],
            value=Decimal(50),
            group=north,
        )

    assert exc.value.field == "group"
    assert not Cell.objects.filter(key=str(north.pk)).exists()


def test_targets_set_writes_all_or_nothing(cast, measured):
    sy24 = measured.periods["SY2024-25"]
    entries = [
        services.TargetEntry("target", sy24, Decimal(50)),
        services.TargetEntry("baseline", sy24, Decimal(-3)),
    ]

    with pytest.raises(services.SetupError):
        services.targets_set(indicator=measured.readiness, by=cast.staff, entries=entries)

    assert not Target.objects.exists()


def test_targets_page_opens_on_the_kind_of_period_targets_are_set_on(cast, measured, as_role):
    services.target_set(
        indicator=measured.served,  # reported yearly, with a target for a school year
        by=cast.staff,
        kind="target",
        period=measured.periods["SY2024-25"],
        value=Decimal(600),
    )

    response = as_role("staff").get(_url("families-served"))

    assert response.context["kind"] == "school_year"
    assert (
        response.context["form"][f"target-{measured.periods['SY2024-25'].pk}-total"].value()
        == "600"
    )
