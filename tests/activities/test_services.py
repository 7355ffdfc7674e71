"""Creating and changing activities: one validator for the form and the service."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from backbone.activities.models import Activity
from backbone.activities.services import ActivityData, activity_create, activity_update
from backbone.agenda.models import Goal, Strategy
from backbone.initiatives import services

from .conftest import make_activity

pytestmark = pytest.mark.integration

BASE = "/i/riverton/activities/"


def data(cast, plan, **changes) -> ActivityData:
    values = dict(
        partner=cast.partner_a,
        name="Reading buddies",
        starts_on=date(2024, 1, 1),
        strategies=[plan.reading],
        places=[plan.millbrook],
        groups=[plan.black],
        status="active",
    )
    return ActivityData(**{**values, **changes})


def problems(cast, plan, **changes) -> dict:
    with pytest.raises(ValidationError) as caught:
        activity_create(initiative=cast.initiative, data=data(cast, plan, **changes))
    assert not Activity.objects.exists()
    return caught.value.message_dict


def test_activity_create_saves_its_links(cast, plan):
    made = activity_create(
        initiative=cast.initiative, data=data(cast, plan, indicators=[plan.readiness])
    )
    assert list(made.strategies.all()) == [plan.reading]
    assert list(made.places.all()) == [plan.millbrook]
    assert list(made.indicators.all()) == [plan.readiness]


def test_activity_create_end_before_start_is_a_field_error(cast, plan):
    assert "ends_on" in problems(cast, plan, ends_on=date(2023, 12, 31))


def test_activity_create_needs_a_strategy(cast, plan):
    assert "strategies" in problems(cast, plan, strategies=[])


def test_activity_create_strategy_of_another_initiative_refused(cast, plan):
    other = cast.other_initiative
    goal = Goal.objects.create(initiative=other, title="Health")
    foreign = Strategy.objects.create(initiative=other, goal=goal, title="Clinics")
    assert "strategies" in problems(cast, plan, strategies=[foreign])


def test_activity_create_population_group_as_place_refused(cast, plan):
    assert "places" in problems(cast, plan, places=[plan.black])


def test_activity_create_place_as_population_group_refused(cast, plan):
    assert "groups" in problems(cast, plan, groups=[plan.northside])


def test_activity_create_dependency_of_another_initiative_refused(cast, plan):
    other = cast.other_initiative
    org = services.organisation_create(name="Lakeside Clinic", sector="health")
    elsewhere = make_activity(services.partner_add(initiative=other, organisation=org))
    with pytest.raises(ValidationError) as caught:
        activity_create(initiative=cast.initiative, data=data(cast, plan, depends_on=[elsewhere]))
    assert "depends_on" in caught.value.message_dict
    assert list(Activity.objects.all()) == [elsewhere]


def test_activity_update_cannot_depend_on_itself(cast, plan):
    made = make_activity(cast.partner_a, strategies=[plan.reading])
    with pytest.raises(ValidationError) as caught:
        activity_update(activity=made, data=data(cast, plan, name="Changed", depends_on=[made]))
    assert "depends_on" in caught.value.message_dict
    made.refresh_from_db()
    assert made.name == "Reading buddies"


def form_post(cast, plan, **changes):
    values = {
        "partner": cast.partner_a.pk,
        "name": "Homework club",
        "strategies": [plan.reading.pk, plan.summer.pk],
        "places": [plan.northside.pk],
        "groups": [plan.latino.pk],
        "starts_on": "2024-09-01",
        "ends_on": "2025-06-30",
        "status": "planned",
        "indicators": [plan.readiness.pk],
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def test_activity_form_creates_for_own_partner(as_role, cast, plan):
    response = as_role("member_a").post(BASE + "new/", form_post(cast, plan))
    made = Activity.objects.get()
    assert response.status_code == 302 and response.url == f"{BASE}{made.uuid}/"
    assert made.partner == cast.partner_a and made.ends_on == date(2025, 6, 30)
    assert set(made.strategies.all()) == {plan.reading, plan.summer}


def test_activity_form_end_before_start_shows_field_error(as_role, cast, plan):
    response = as_role("steward_a").post(BASE + "new/", form_post(cast, plan, ends_on="2024-08-01"))
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    assert b"The end cannot come before the start." in response.content
    assert not Activity.objects.exists()


def test_activity_form_edit_changes_and_keeps_links(as_role, cast, plan):
    made = make_activity(cast.partner_a, strategies=[plan.reading], places=[plan.millbrook])
    first = make_activity(cast.partner_b, "Food boxes", strategies=[plan.attendance])
    response = as_role("steward_a").post(
        f"{BASE}{made.uuid}/edit/", form_post(cast, plan, depends_on=[first.pk])
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.name == "Homework club"
    assert list(made.depends_on.all()) == [first]
    assert list(first.needed_by.all()) == [made]


def test_activity_form_without_geography_asks_where_in_words(as_role, cast):
    goal = Goal.objects.create(initiative=cast.initiative, title="Ready")
    strategy = Strategy.objects.create(initiative=cast.initiative, goal=goal, title="Pre-K")
    response = as_role("steward_a").post(
        BASE + "new/",
        {
            "partner": cast.partner_a.pk,
            "name": "Story time",
            "strategies": [strategy.pk],
            "place_text": "Main branch",
            "starts_on": "2024-01-01",
            "status": "active",
        },
    )
    assert response.status_code == 302
    assert Activity.objects.get().place_text == "Main branch"
