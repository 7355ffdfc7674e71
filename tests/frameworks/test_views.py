"""The framework page of an initiative, as each member of the cast sees it."""

import pytest
from django.urls import reverse

from tests.budgets import NAVIGATION_QUERIES

pytestmark = pytest.mark.integration

URL = "/i/riverton/framework/"


def test_framework_url_is_named():
    assert reverse("frameworks:initiative", args=["riverton"]) == URL


@pytest.mark.parametrize("role", ["community", "member_a", "funder", "evaluator", "staff"])
def test_framework_page_shows_elements_when_member(framework_initiative, as_role, role):
    response = as_role(role).get(URL)

    assert response.status_code == 200
    assert response.context["section"] == "framework"
    assert response.context["initiative"] == framework_initiative
    html = response.content.decode()
    assert "Collective Impact (five conditions)" in html
    for text in [
        "Shared measurement",  # a condition
        "Mobilise funding",  # a backbone role
        "Influential champions",  # a precondition
        "Containers for change",  # the Impact Journey
        "Relationships, trust and respect",  # a principle
        "Shift power within the collaborative",  # an equity strategy
        "Keep the structures working, renew leaders",  # a component within one phase
    ]:
        assert text in html, text


def test_framework_page_marks_current_phase_when_recorded(framework_initiative, as_role):
    response = as_role("community").get(URL)

    html = response.content.decode()
    assert "Current phase: <strong>Organise for impact</strong>" in html
    assert html.count('aria-current="step"') == 1
    assert html.count("Current phase</span>") == 1
    assert html.count("Current</span>") == 1  # in the table
    assert [row.phase["key"] for row in response.context["phases"].rows if row.is_current] == [
        "organise_for_impact"
    ]


def test_framework_page_shows_phase_table_when_five_phases(cast, frameworks, as_role):
    cast.initiative.framework = frameworks["collective-impact-five-phases"]
    cast.initiative.phase = "begin_implementation"
    cast.initiative.save()

    response = as_role("staff").get(URL)

    html = response.content.decode()
    assert html.count('<th scope="row"') == 5
    assert html.count('<th scope="col"') == 5  # "Phase" and the four components
    assert "<caption" in html
    assert "Current phase: <strong>Begin implementation</strong>" in html


def test_framework_page_says_so_when_phase_not_in_framework(framework_initiative, as_role):
    framework_initiative.phase = "begin_implementation"  # only in the five-phase framework
    framework_initiative.save()

    response = as_role("staff").get(URL)

    assert "is not one of this framework’s phases" in response.content.decode()
    assert 'aria-current="step"' not in response.content.decode()


def test_framework_page_links_edit_when_staff(framework_initiative, as_role):
    edit_url = reverse("initiatives:edit", args=["riverton"])

    assert edit_url in as_role("staff").get(URL).content.decode()
    assert edit_url not in as_role("steward_a").get(URL).content.decode()


def test_framework_page_says_none_chosen_when_no_framework(cast, frameworks, as_role):
    response = as_role("steward_a").get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "No framework chosen yet" in html
    assert "Collective Impact (five phases)" in html  # the frameworks on offer
    assert reverse("initiatives:edit", args=["riverton"]) not in html


def test_framework_page_links_choice_when_staff_and_no_framework(cast, as_role):
    html = as_role("staff").get(URL).content.decode()

    assert "No framework chosen yet" in html
    assert f'href="{reverse("initiatives:edit", args=["riverton"])}">Choose a framework' in html


@pytest.mark.parametrize("role", ["other_staff", "public", "anonymous"])
def test_framework_page_is_404_when_outsider_of_members_only_initiative(
    framework_initiative, as_role, role
):
    assert as_role(role).get(URL).status_code == 404


def test_framework_page_is_404_when_initiative_unknown(cast, as_role):
    assert as_role("staff").get("/i/nowhere/framework/").status_code == 404


def test_framework_page_shows_elements_when_anonymous_and_public(framework_initiative, as_role):
    framework_initiative.visibility = "public"
    framework_initiative.save()

    response = as_role("anonymous").get(URL)

    assert response.status_code == 200
    assert "Mutually reinforcing activities" in response.content.decode()
    assert reverse("initiatives:edit", args=["riverton"]) not in response.content.decode()


def test_framework_page_queries_stay_few_when_framework_chosen(
    framework_initiative, as_role, django_assert_max_num_queries
):
    client = as_role("community")

    with django_assert_max_num_queries(8 + NAVIGATION_QUERIES):
        assert client.get(URL).status_code == 200
