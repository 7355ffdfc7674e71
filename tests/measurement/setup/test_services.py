"""The set-up services refuse what would break the data, whoever calls them."""

from decimal import Decimal

import pytest

from backbone.measurement import services_setup as services
from backbone.measurement.models import Indicator, IndicatorDimension
from backbone.measurement.selectors import (
    accepted_range,
    indicators_by_goal,
    indicators_of,
    number_text,
)

from .conftest import report

pytestmark = pytest.mark.integration


def _fields(**extra):
    return {
        "code": "graduation",
        "name": "Graduation",
        "unit": "percent",
        "aggregation": "rate",
        "numerator_definition": "Graduates",
        "denominator_definition": "Cohort",
        **extra,
    }


def test_indicator_create_places_it_last_with_its_dimensions(cast, measured):
    indicator = services.indicator_create(
        initiative=cast.initiative,
        by=cast.staff,
        dimensions=[measured.income, measured.race],
        **_fields(),
    )

    assert (
        indicator.position
        > Indicator.objects.exclude(pk=indicator.pk).order_by("-position").first().position
    )
    links = IndicatorDimension.objects.filter(indicator=indicator).order_by("position")
    assert [link.dimension for link in links] == [measured.income, measured.race]


def test_indicator_create_refuses_a_rate_without_its_definitions(cast, measured):
    with pytest.raises(services.SetupError) as exc:
        services.indicator_create(
            initiative=cast.initiative, by=cast.staff, **_fields(numerator_definition="")
        )

    assert exc.value.field == "numerator_definition"
    assert not Indicator.objects.filter(code="graduation").exists()


@pytest.mark.parametrize(
    ("unit", "aggregation"),
    [
        ("percent", "sum"),
        ("percent", "stock"),
        ("percent", "cumulative"),
        ("percent", None),  # the model's default: a sum
        ("score", "sum"),
        ("score", "stock"),
        ("score", "cumulative"),
        ("count", "rate"),
    ],
)
def test_indicator_create_refuses_a_unit_that_cannot_combine_so(cast, measured, unit, aggregation):
    fields = _fields(unit=unit, aggregation=aggregation)
    if aggregation is None:
        del fields["aggregation"]

    with pytest.raises(services.SetupError) as exc:
        services.indicator_create(initiative=cast.initiative, by=cast.staff, **fields)

    assert exc.value.field == "aggregation"
    assert "cannot be added up" in exc.value.message or "not a count" in exc.value.message
    assert not Indicator.objects.filter(code="graduation").exists()


@pytest.mark.parametrize(
    ("unit", "aggregation"),
    [
        ("percent", "rate"),
        ("percent", "weighted"),
        ("score", "weighted"),
        ("score", "rate"),  # points scored over points possible
        ("count", "sum"),
        ("count", "stock"),
        ("count", "cumulative"),
        ("currency", "sum"),
        ("currency", "rate"),  # cost per participant
        ("rate", "rate"),
    ],
)
def test_indicator_create_takes_a_unit_and_aggregation_that_make_sense(
    cast, measured, unit, aggregation
):
    fields = _fields(unit=unit, aggregation=aggregation, rate_per=100)

    services.indicator_create(initiative=cast.initiative, by=cast.staff, **fields)

    assert Indicator.objects.filter(code="graduation").exists()


def test_indicator_update_refuses_a_summed_indicator_becoming_a_percent(cast, measured):
    with pytest.raises(services.SetupError) as exc:
        services.indicator_update(indicator=measured.enrolled, by=cast.staff, unit="percent")

    assert exc.value.field == "aggregation" and "60% and 70% are not 130%" in exc.value.message
    assert Indicator.objects.get(pk=measured.enrolled.pk).unit == "count"


def test_indicator_create_refuses_what_is_not_an_indicator_field(cast, measured):
    with pytest.raises(TypeError):
        services.indicator_create(
            initiative=cast.initiative, by=cast.staff, **_fields(initiative=1)
        )


def test_indicator_create_refuses_a_dimension_of_another_initiative(cast, measured):
    from tests.measurement.conftest import make_dimension

    other = make_dimension(cast.other_initiative, "ward", "Ward", ["w1"])

    with pytest.raises(services.SetupError) as exc:
        services.indicator_create(
            initiative=cast.initiative, by=cast.staff, dimensions=[other], **_fields()
        )

    assert exc.value.field == "dimensions"


def test_indicator_update_keeps_dimensions_once_values_exist(cast, measured):
    report(cast, "children-enrolled", "SY2024-25", 5, {"place": "north"})

    with pytest.raises(services.SetupError):
        services.indicator_update(
            indicator=measured.enrolled, by=cast.staff, dimensions=[measured.race]
        )
    services.indicator_update(
        indicator=measured.enrolled, by=cast.staff, dimensions=[measured.place], name="Enrolled"
    )

    assert Indicator.objects.get(pk=measured.enrolled.pk).name == "Enrolled"
    assert [d.key for d in measured.enrolled.dimensions.all()] == ["place"]


def test_indicator_update_may_change_dimensions_before_any_value(cast, measured):
    services.indicator_update(
        indicator=measured.enrolled, by=cast.staff, dimensions=[measured.income, measured.place]
    )

    assert [
        d.key for d in measured.enrolled.dimensions.order_by("indicatordimension__position")
    ] == [
        "income",
        "place",
    ]


def test_indicators_of_reads_dimensions_in_order(cast, measured, django_assert_num_queries):
    with django_assert_num_queries(2):
        found = {
            i.code: [d.key for d in i.ordered_dimensions] for i in indicators_of(cast.initiative)
        }

    assert found["kindergarten-readiness"] == ["race", "income"]
    assert found["reading-score"] == []


def test_indicators_by_goal_leaves_out_goals_without_indicators(cast, measured, agenda):
    Indicator.objects.filter(pk=measured.readiness.pk).update(goal=agenda.second_goal)

    sections = indicators_by_goal(cast.initiative, indicators_of(cast.initiative))

    assert [s.goal for s in sections] == [agenda.second_goal, None]
    assert [i.code for i in sections[0].indicators] == ["kindergarten-readiness"]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (Decimal("1250.000000"), 0, "1,250"),
        (Decimal("52.000000"), 1, "52.0"),
        (Decimal("47.250000"), 1, "47.25"),
        (Decimal("-3.5"), 0, "\u22123.5"),  # a true minus sign, as every page writes it
        (Decimal("-1250.5"), 2, "\u22121,250.50"),
        (None, 1, ""),
    ],
)
def test_number_text(value, decimals, text):
    assert number_text(value, decimals) == text


@pytest.mark.unit
@pytest.mark.parametrize(
    ("unit", "low", "high", "text"),
    [
        ("percent", None, None, "0 to 100"),
        ("count", None, None, "0 or more"),
        ("score", None, None, "any number"),
        ("score", Decimal(200), Decimal(800), "200 to 800"),
        ("score", None, Decimal(10), "up to 10"),
    ],
)
def test_accepted_range(unit, low, high, text):
    assert accepted_range(Indicator(unit=unit, minimum=low, maximum=high)) == text
