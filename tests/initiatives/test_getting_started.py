"""The getting-started checklist: each step ticks itself from the initiative's data, it costs
one query, only backbone staff see it, and it goes away once every step is done."""

from datetime import date

import pytest

from backbone.agenda.models import Agenda, Goal
from backbone.agenda.services import version_publish
from backbone.initiatives import services
from backbone.initiatives.getting_started import getting_started
from backbone.initiatives.roles import Role
from backbone.measurement.completeness.models import ReportingAssignment
from tests.conftest import ROLES, make_person
from tests.measurement.conftest import make_indicator, make_period

pytestmark = pytest.mark.integration

STEPS = ["agenda", "partners", "indicators", "assignments", "periods", "people"]


def done(initiative) -> set[str]:
    return {s.key for s in getting_started(initiative).steps if s.done}


def a_partner(initiative, name="Lakeside Clinic"):
    org = services.organisation_create(name=name, sector="health")
    return services.partner_add(initiative=initiative, organisation=org)


def write_agenda(initiative):
    Agenda.objects.create(initiative=initiative, vision="Every child healthy.")
    Goal.objects.create(initiative=initiative, title="Children grow up at a healthy weight")
    version_publish(initiative=initiative, by=None)


def assign(initiative):
    ReportingAssignment.objects.create(
        initiative=initiative,
        indicator=make_indicator(initiative, "children-weighed", "sum"),
        partner=a_partner(initiative, "Lakeside School District"),
    )


MAKERS = {
    "agenda": write_agenda,
    "partners": a_partner,
    "indicators": lambda i: make_indicator(i, "children-enrolled", "sum"),
    "assignments": assign,
    "periods": lambda i: make_period(i, "month", date(2025, 1, 1)),
    "people": lambda i: services.membership_grant(
        initiative=i, person=make_person("resident@lakeside.example"), role=Role.COMMUNITY_MEMBER
    ),
}
#: Steps whose data brings another step's with it: an assignment needs an indicator and a
#: partner.
ALSO = {"assignments": {"indicators", "partners"}}


def test_a_new_initiative_has_every_step_to_do(cast):
    checklist = getting_started(cast.other_initiative)
    assert [s.key for s in checklist.steps] == STEPS
    assert checklist.done == 0 and not checklist.complete
    assert all(s.url.startswith("/i/lakeside/") for s in checklist.steps)


@pytest.mark.parametrize("step", STEPS)
def test_each_step_ticks_when_its_data_exists(cast, step):
    MAKERS[step](cast.other_initiative)
    assert done(cast.other_initiative) == {step} | ALSO.get(step, set())


def test_an_agenda_counts_once_it_is_published(cast):
    initiative = cast.other_initiative
    Agenda.objects.create(initiative=initiative, problem_statement="Too few clinics.")
    Goal.objects.create(initiative=initiative, title="Healthy weight")
    assert "agenda" not in done(initiative)  # a draft is not the partners' agenda yet
    version_publish(initiative=initiative, by=None)
    assert "agenda" in done(initiative)


def test_an_invitation_sent_ticks_the_people_step(cast):
    services.invitation_create(
        initiative=cast.other_initiative,
        by=cast.other_staff,
        email="new.steward@lakeside.example",
        role=Role.COMMUNITY_MEMBER,
    )
    assert done(cast.other_initiative) == {"people"}


def test_the_backbone_staff_alone_do_not_tick_the_people_step(cast):
    assert "people" not in done(cast.other_initiative)  # other_staff is its backbone staff


def test_the_checklist_is_one_query(cast, django_assert_num_queries):
    for make in MAKERS.values():
        make(cast.other_initiative)
    with django_assert_num_queries(1):
        getting_started(cast.other_initiative)


@pytest.mark.parametrize("role", ROLES)
def test_only_backbone_staff_see_the_checklist(cast, as_role, role):
    response = as_role(role).get("/i/riverton/")
    shown = "Getting started" in response.text
    assert shown is (role == "staff")
    if shown:
        assert "2 of 6 steps done" in response.text  # the cast has partners and people


def test_a_new_initiative_made_through_the_form_shows_its_first_steps(cast, as_role):
    client = as_role("staff")
    response = client.post(
        "/i/new/",
        {"name": "Eastgate Healthy Kids", "place": "Eastgate", "issue_area": "Child obesity"}
        | {"visibility": "members", "small_number_threshold": "10"},
        follow=True,
    )
    assert "Getting started" in response.text and "0 of 6 steps done" in response.text
    assert 'href="/i/eastgate-healthy-kids/partners/#add-many"' in response.text


def test_the_checklist_goes_away_once_every_step_is_done(cast, as_role):
    for make in MAKERS.values():
        make(cast.initiative)
    assert getting_started(cast.initiative).complete
    assert "Getting started" not in as_role("staff").get("/i/riverton/").text
