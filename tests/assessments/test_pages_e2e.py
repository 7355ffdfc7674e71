"""In a real browser: a partner steward answers a survey from the home page; the backbone
closes the round and reads the results by sector. Each page is looked at (screenshot),
checked with axe-core, and fits a phone's width."""

from __future__ import annotations

import pytest

from backbone.assessments import services
from backbone.assessments.models import Respondent, Response
from backbone.assessments.scoring import items_of
from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import answers_for, crowd, open_round, residents

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def assert_fits_a_phone(page, name):
    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    page.wait_for_load_state("networkidle")
    screenshot(page, name)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 390, width


@pytest.fixture
def survey(cast, initiative, questionnaires):
    """A conditions round with everyone but Ada (steward of the library) already answered."""
    crowd(initiative, sector="education", n=2, organisation=cast.org_a)
    crowd(initiative, sector="nonprofit", n=2, organisation=cast.org_b)
    residents(initiative, 2)
    found = open_round(initiative, questionnaires["conditions"], title="How are we doing?")
    for n, respondent in enumerate(
        Respondent.objects.filter(round=found).exclude(person=cast.steward_a).order_by("pk")
    ):
        value = 2 if respondent.role == "community_member" else 3 + n % 3
        services.response_submit(
            round=found,
            person=respondent.person,
            answers=answers_for(found, value, agenda_own_it=1 if value == 2 else 5),
        )
    return found


def test_steward_answers_and_backbone_reads_results_by_sector(cast, page, survey):
    sign_in(page, "steward.a@example.org", PASSWORD)
    page.goto("/")
    waiting = page.get_by_role("region", name="Surveys waiting for your answers")
    assert waiting.is_visible()
    assert_accessible(page, "assessments-home")
    waiting.get_by_role("link", name="How are we doing?").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="How are we doing?").is_visible()
    assert_accessible(page, "assessments-answer")
    assert_fits_a_phone(page, "assessments-answer-phone")

    for item in items_of(survey.questionnaire_data):
        if item.type == "scale":
            question = page.get_by_role("group", name=item.text)
            question.get_by_label("4 — Agree").check()
        else:
            page.get_by_label(item.text).fill("More evening meetings, please.")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Thank you: your answers are recorded.").is_visible()
    assert page.get_by_text("You answered this round on").is_visible()
    assert_accessible(page, "assessments-answered")
    assert Respondent.objects.get(round=survey, person=cast.steward_a).answered_at
    assert Response.objects.filter(round=survey).count() == 10 == survey.respondents.count()
    page.goto("/")
    assert page.get_by_text("Surveys waiting for your answers").count() == 0

    page.context.clear_cookies()
    sign_in(page, "staff@example.org", PASSWORD)
    page.goto("/i/riverton/assessments/")
    page.get_by_role("link", name="How are we doing?").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("10 of 10 answered").is_visible()
    assert_accessible(page, "assessments-round")
    page.get_by_role("link", name="Close the round now").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "assessments-round-close")
    page.get_by_role("button", name="Close the round now").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Its results are ready.").is_visible()
    page.get_by_role("link", name="Read the results").click()
    page.wait_for_load_state("networkidle")

    assert page.get_by_role("heading", name="By sector, largest disagreements first").is_visible()
    sectors = page.locator("#sectors-table")
    for group in ("Education", "Non-profit", "Community members"):
        assert sectors.get_by_role("columnheader", name=group).is_visible()
    first_row = sectors.locator("tbody tr").first
    assert first_row.get_by_role("rowheader").inner_text() == "Common agenda"
    elements = page.get_by_role("img", name="Bar chart of the mean per element, weakest first")
    assert elements.is_visible() and "Common agenda" in elements.get_attribute("aria-label")
    groups = page.locator("#groups-chart")
    rows = sectors.locator("tbody tr").count()
    assert groups.is_visible() and groups.locator("rect.series-1").count() == rows
    assert_accessible(page, "assessments-results")
    assert_fits_a_phone(page, "assessments-results-phone")


def test_staff_open_a_round_from_a_questionnaire(cast, page, initiative, questionnaires):
    sign_in(page, "staff@example.org", PASSWORD)
    page.goto("/i/riverton/assessments/questionnaires/")
    assert_accessible(page, "assessments-questionnaires")
    page.get_by_role("link", name="Readiness", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Influential champions").is_visible()
    assert_accessible(page, "assessments-questionnaire")
    page.get_by_role("link", name="Open a round").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_label("Questionnaire").input_value() == str(questionnaires["readiness"].pk)
    page.get_by_label("Community members", exact=True).check()
    page.get_by_label("Northside Food Bank").check()
    assert_accessible(page, "assessments-round-form")
    assert_fits_a_phone(page, "assessments-round-form-phone")
    page.get_by_label("Community members", exact=True).check()
    page.get_by_label("Northside Food Bank").check()
    page.get_by_role("button", name="Open the round").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("for 2 people").is_visible()  # Northside's steward, the resident
    page.goto("/i/riverton/assessments/")
    assert page.get_by_role("cell", name="0 of 2").is_visible()
    assert_accessible(page, "assessments-rounds")
