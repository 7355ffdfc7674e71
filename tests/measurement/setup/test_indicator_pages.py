"""The indicator list, an indicator's page, and the form that defines one."""

from decimal import Decimal

import pytest

from backbone.measurement.models import Indicator, IndicatorDimension
from tests.budgets import NAVIGATION_QUERIES

from .conftest import make_public, report

pytestmark = pytest.mark.integration

BASE = "/i/riverton/measurement/"


def _post(**extra) -> dict:
    data = {
        "code": "kindergarten-enrolment",
        "name": "Kindergarten enrolment",
        "definition": "Children enrolled in kindergarten on 1 October.",
        "kind": "how_much",
        "unit": "count",
        "rate_per": "100",
        "direction": "up",
        "aggregation": "sum",
        "decimals": "0",
        "frequency": "school_year",
        "visibility": "members",
        "source": "District enrolment file",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


# --- the list --------------------------------------------------------------------------------


def test_home_groups_indicators_under_their_goals_in_agenda_order(cast, measured, agenda, as_role):
    Indicator.objects.filter(pk=measured.readiness.pk).update(goal=agenda.goal)
    Indicator.objects.filter(pk=measured.score.pk).update(strategy=agenda.strategy)

    text = as_role("community").get(BASE).content.decode()

    first, second, loose = (
        text.index(agenda.goal.title),
        text.index(agenda.second_goal.title),
        text.index("Not tied to a goal"),
    )
    assert first < text.index(measured.readiness.name) < second
    assert second < text.index(measured.score.name) < loose  # under its strategy's goal
    assert "Strategy: Reduce chronic absence" in text
    assert loose < text.index(measured.enrolled.name)


def test_home_shows_each_indicators_definition_at_a_glance(cast, measured, as_role):
    text = as_role("community").get(BASE).content.decode()

    assert "Race/ethnicity × Income" in text  # readiness's dimensions, in order
    assert "Rate from numerator and denominator" in text
    assert "Public</span>" in text and "Members only</span>" in text
    assert "No breakdown" in text  # score has no dimensions


def test_home_hides_members_indicators_from_funders(cast, measured, as_role):
    text = as_role("funder").get(BASE).content.decode()

    assert measured.readiness.name in text
    assert measured.enrolled.name not in text


def test_anonymous_visitor_of_a_public_initiative_sees_only_public_indicators(
    cast, measured, as_role
):
    make_public(cast)
    Indicator.objects.filter(pk=measured.score.pk).update(visibility="funders")

    text = as_role("anonymous").get(BASE).content.decode()

    assert measured.readiness.name in text
    assert measured.score.name not in text and measured.enrolled.name not in text
    assert "Add an indicator" not in text


def test_home_offers_management_links_to_backbone_staff_only(cast, measured, as_role):
    staff = as_role("staff").get(BASE).content.decode()
    evaluator = as_role("evaluator").get(BASE).content.decode()

    for link in ("Add an indicator", f"{BASE}dimensions/", f"{BASE}periods/"):
        assert link in staff
    assert "Add an indicator" not in evaluator


@pytest.mark.parametrize("count", [1, 3])
def test_home_reads_in_a_fixed_number_of_queries(
    cast, measured, agenda, as_role, django_assert_max_num_queries, count
):
    from tests.measurement.conftest import make_indicator

    for n in range(count):
        make_indicator(
            cast.initiative, f"extra-{n}", "sum", (measured.place,), strategy=agenda.strategy
        )
    client = as_role("steward_a")
    client.get(BASE)

    with django_assert_max_num_queries(8 + NAVIGATION_QUERIES):
        assert client.get(BASE).status_code == 200


# --- one indicator ----------------------------------------------------------------------------


def test_indicator_page_explains_the_definition(cast, measured, agenda, as_role):
    Indicator.objects.filter(pk=measured.readiness.pk).update(
        definition="Share of kindergartners ready to learn.",
        numerator_definition="Children meeting the benchmark.",
        denominator_definition="Children assessed.",
        source="Fall entry assessment",
        owner=cast.org_a,
        strategy=agenda.strategy,
    )

    text = as_role("member_a").get(f"{BASE}indicators/kindergarten-readiness/").content.decode()

    for expected in [
        "Share of kindergartners ready to learn.",
        "Children meeting the benchmark.",
        "Children assessed.",
        "numerator ÷ denominator × 100",
        "Fall entry assessment",
        cast.org_a.name,
        f"Goal: {agenda.second_goal.title}",
        "Strategy: Reduce chronic absence",
        "never an average of rates",
        "Up: a higher value is better",
        "0 to 100",
        "Race/ethnicity × Income",
        "Not low income",
    ]:
        assert expected in text, expected
    assert "Edit the definition" not in text


@pytest.mark.parametrize(
    ("indicator", "words"),
    [
        ("enrolled", "months of a year sum to the year"),
        ("score", "weighted by their n"),
        ("caseload", "the last value in time"),
        ("served", "latest running total"),
    ],
)
def test_indicator_page_says_how_values_add_up(cast, measured, as_role, indicator, words):
    code = getattr(measured, indicator).code

    text = as_role("staff").get(f"{BASE}indicators/{code}/").content.decode()

    assert words in text


def test_indicator_page_shows_a_geography_as_a_tree(cast, measured, as_role):
    text = as_role("staff").get(f"{BASE}indicators/children-enrolled/").content.decode()

    riverton = text.index("Riverton <span")
    assert riverton < text.index("North district") < text.index("South district")
    assert text.count('<ul class="tree">') >= 2  # the city's districts are nested


def test_indicator_page_lists_baselines_and_targets_by_period_and_group(cast, measured, as_role):
    from backbone.measurement.services_setup import target_set

    black = measured.race.groups.get(key="black")
    sy22, sy24 = measured.periods["SY2022-23"], measured.periods["SY2024-25"]
    for kind, period, value, group in [
        ("baseline", sy22, "44.8", None),
        ("target", sy24, "52", None),
        ("target", sy24, "47.5", black),
    ]:
        target_set(
            indicator=measured.readiness,
            by=cast.staff,
            kind=kind,
            period=period,
            value=Decimal(value),
            group=group,
        )

    page = as_role("funder").get(f"{BASE}indicators/kindergarten-readiness/").content.decode()
    text = page[page.index('id="targets-h"') :]

    assert (
        text.index("School year 2022–23") < text.index("44.8") < text.index("School year 2024–25")
    )
    assert "52.0" in text  # shown with the indicator's one decimal
    assert text.index("School year 2024–25") < text.index("Black") < text.index("47.5")


# --- defining an indicator ---------------------------------------------------------------------


def test_staff_define_an_indicator_with_dimensions_in_order(cast, measured, agenda, as_role):
    response = as_role("staff").post(
        f"{BASE}indicators/new/",
        _post(
            goal=agenda.goal.pk,
            owner=cast.org_b.pk,
            dimension_1=measured.income.pk,
            dimension_2=measured.race.pk,
        ),
    )

    assert response.status_code == 302
    indicator = Indicator.objects.get(code="kindergarten-enrolment")
    assert response["Location"] == f"{BASE}indicators/kindergarten-enrolment/"
    assert indicator.goal == agenda.goal and indicator.owner == cast.org_b
    assert list(
        IndicatorDimension.objects.filter(indicator=indicator).values_list(
            "dimension__key", flat=True
        )
    ) == ["income", "race"]


def test_gaps_between_chosen_dimensions_close(cast, measured, as_role):
    as_role("staff").post(
        f"{BASE}indicators/new/", _post(dimension_1="", dimension_3=measured.place.pk)
    )

    indicator = Indicator.objects.get(code="kindergarten-enrolment")
    links = IndicatorDimension.objects.filter(indicator=indicator)
    assert [(link.dimension.key, link.position) for link in links] == [("place", 0)]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "kindergarten-readiness"}, "code", "already uses the code"),
        ({"code": "new"}, "code", "names a page"),
        (
            {"aggregation": "rate", "unit": "percent"},
            "numerator_definition",
            "say what the numerator",
        ),
        (
            {"aggregation": "rate", "unit": "percent", "numerator_definition": "Ready"},
            "denominator_definition",
            "say what the denominator",
        ),
        ({"unit": "percent", "rate_per": "1000"}, "rate_per", "A percent is per 100."),
        ({"unit": "rate", "rate_per": "1000"}, "aggregation", "numerator and a denominator"),
        ({"unit": "percent"}, "aggregation", "60% and 70% are not 130%"),
        ({"unit": "percent", "aggregation": "stock"}, "aggregation", "cannot be added up"),
        ({"unit": "score", "aggregation": "cumulative"}, "aggregation", "cannot be added up"),
        ({"minimum": "10", "maximum": "5"}, "maximum", "cannot be below the minimum"),
    ],
)
def test_an_invalid_indicator_is_refused_with_a_field_error(
    cast, measured, as_role, changes, field, message
):
    response = as_role("staff").post(f"{BASE}indicators/new/", _post(**changes))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Indicator.objects.filter(name="Kindergarten enrolment").exists()


def test_goal_and_strategy_choices_come_from_this_initiatives_agenda(
    cast, measured, agenda, as_role
):
    client = as_role("staff")
    form = client.get(f"{BASE}indicators/new/").context["form"]
    assert list(form.fields["goal"].queryset) == [agenda.goal, agenda.second_goal]

    response = client.post(f"{BASE}indicators/new/", _post(goal=agenda.other_goal.pk))

    assert "goal" in response.context["form"].errors
    assert not Indicator.objects.filter(code="kindergarten-enrolment").exists()


def test_a_strategy_under_another_goal_is_refused(cast, measured, agenda, as_role):
    response = as_role("staff").post(
        f"{BASE}indicators/new/", _post(goal=agenda.goal.pk, strategy=agenda.strategy.pk)
    )

    assert "another goal" in response.context["form"].errors["strategy"][0]


def test_a_dimension_chosen_twice_is_refused(cast, measured, as_role):
    response = as_role("staff").post(
        f"{BASE}indicators/new/",
        _post(dimension_1=measured.race.pk, dimension_2=measured.race.pk),
    )

    assert "once" in response.context["form"].errors["dimension_1"][0]


def test_staff_edit_an_indicator(cast, measured, as_role):
    response = as_role("staff").post(
        f"{BASE}indicators/children-enrolled/edit/",
        _post(code="children-enrolled", name="Children enrolled", dimension_1=measured.race.pk),
    )

    assert response.status_code == 302
    indicator = Indicator.objects.get(pk=measured.enrolled.pk)
    assert indicator.name == "Children enrolled" and indicator.frequency == "school_year"
    assert [d.key for d in indicator.dimensions.all()] == ["race"]


def test_edit_form_shows_the_dimensions_in_their_order(cast, measured, as_role):
    form = as_role("staff").get(f"{BASE}indicators/kindergarten-readiness/edit/").context["form"]

    assert form["dimension_1"].value() == measured.race.pk
    assert form["dimension_2"].value() == measured.income.pk
    assert form["dimension_3"].value() is None


def test_dimensions_of_an_indicator_with_values_cannot_change(cast, measured, as_role):
    report(cast, "children-enrolled", "SY2024-25", 5, {"place": "north"})

    response = as_role("staff").post(
        f"{BASE}indicators/children-enrolled/edit/",
        _post(code="children-enrolled", name="Renamed", dimension_1=measured.race.pk),
    )

    assert response.status_code == 200
    assert "cannot change" in response.context["form"].errors["dimension_1"][0]
    assert "Nothing was saved" in response.content.decode()
    indicator = Indicator.objects.get(pk=measured.enrolled.pk)
    assert indicator.name != "Renamed"
    assert [d.key for d in indicator.dimensions.all()] == ["place"]


def test_an_indicator_with_values_keeps_its_aggregation_but_may_be_renamed(cast, measured, as_role):
    report(cast, "children-enrolled", "SY2024-25", 5, {"place": "north"})
    client = as_role("staff")
    same = _post(code="children-enrolled", name="Renamed", dimension_1=measured.place.pk)

    refused = client.post(
        f"{BASE}indicators/children-enrolled/edit/", {**same, "aggregation": "stock"}
    )
    saved = client.post(f"{BASE}indicators/children-enrolled/edit/", same)

    assert "cannot change" in refused.context["form"].errors["aggregation"][0]
    assert saved.status_code == 302
    assert Indicator.objects.get(pk=measured.enrolled.pk).name == "Renamed"
