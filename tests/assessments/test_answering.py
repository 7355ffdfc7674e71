"""Answering a round: once, while it is open, on the scale; anything else refused with
nothing saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from backbone.assessments import services
from backbone.assessments.models import Respondent, Response

from .conftest import answers_for, open_round

pytestmark = pytest.mark.integration


@pytest.fixture
def round_(cast, initiative, questionnaires):
    return open_round(initiative, questionnaires["conditions"])


def nothing_saved(round_, person):
    assert not Response.objects.filter(round=round_).exists()
    assert Respondent.objects.get(round=round_, person=person).answered_at is None


def refused(round_, person, answers, **extra) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        services.response_submit(round=round_, person=person, answers=answers, **extra)
    return caught.value


def test_answer_is_stored_with_sector_and_without_person(cast, round_):
    services.response_submit(round=round_, person=cast.steward_a, answers=answers_for(round_))
    response = Response.objects.get(round=round_)
    assert (response.sector, response.is_community_member, response.person) == (
        "education",
        False,
        None,
    )
    assert response.answers["agenda_shared_goal"] == 4
    assert Respondent.objects.get(round=round_, person=cast.steward_a).answered_at is not None


def test_community_member_answer_carries_no_sector(cast, round_):
    services.response_submit(round=round_, person=cast.community, answers=answers_for(round_))
    response = Response.objects.get(round=round_)
    assert (response.sector, response.is_community_member) == ("", True)


def test_answer_outside_the_scale_is_refused_naming_the_item(cast, round_):
    error = refused(round_, cast.steward_a, answers_for(round_, measures_used=7))
    assert error.message_dict == {
        "measures_used": [
            "“We look at the shared data together and change what we do because of it.” "
            "(measures_used): 7 is not on the scale (1 strongly disagree to 5 strongly agree)."
        ]
    }
    nothing_saved(round_, cast.steward_a)


@pytest.mark.parametrize("bad", [0, "6", 3.5, True, "often"])
def test_other_values_off_the_scale_are_refused(cast, round_, bad):
    error = refused(round_, cast.steward_a, answers_for(round_, agenda_own_it=bad))
    assert list(error.message_dict) == ["agenda_own_it"]
    nothing_saved(round_, cast.steward_a)


def test_missing_scale_answer_and_unknown_item_are_refused(cast, round_):
    answers = answers_for(round_, shoe_size=42)
    del answers["backbone_neutral"]
    error = refused(round_, cast.steward_a, answers)
    assert set(error.message_dict) == {"backbone_neutral", "shoe_size"}
    assert "please choose an answer" in error.message_dict["backbone_neutral"][0]
    nothing_saved(round_, cast.steward_a)


def test_second_answer_is_refused_and_the_first_kept(cast, round_):
    services.response_submit(round=round_, person=cast.steward_a, answers=answers_for(round_, 2))
    first = Respondent.objects.get(round=round_, person=cast.steward_a).answered_at

    error = refused(round_, cast.steward_a, answers_for(round_, 5))

    assert "answered this round already" in error.messages[0]
    assert Response.objects.filter(round=round_).count() == 1
    assert Response.objects.get(round=round_).answers["agenda_own_it"] == 2
    assert Respondent.objects.get(round=round_, person=cast.steward_a).answered_at == first


def test_answer_after_close_is_refused(cast, round_):
    services.round_close(round=round_)
    error = refused(round_, cast.steward_a, answers_for(round_))
    assert error.messages[0].startswith("This round closed on ")
    nothing_saved(round_, cast.steward_a)


def test_answer_after_closing_date_is_refused(cast, round_):
    later = timezone.now() + timedelta(days=11)
    error = refused(round_, cast.steward_a, answers_for(round_), now=later)
    assert error.messages[0].startswith("This round closed on ")
    nothing_saved(round_, cast.steward_a)


def test_answer_before_opening_is_refused(cast, initiative, questionnaires):
    found = open_round(initiative, questionnaires["readiness"], days_ago=-3, days_left=10)
    error = refused(found, cast.steward_a, answers_for(found))
    assert error.messages[0].startswith("This round opens on ")
    nothing_saved(found, cast.steward_a)


def test_person_not_asked_is_refused(cast, initiative, questionnaires):
    found = open_round(initiative, questionnaires["conditions"], partners=[cast.partner_a])
    error = refused(found, cast.steward_b, answers_for(found))
    assert error.messages == ["You are not asked to answer this round."]
    assert not Response.objects.exists()


def test_choice_answers_are_checked(cast, initiative, questionnaires):
    found = open_round(initiative, questionnaires["readiness"])
    error = refused(found, cast.steward_a, answers_for(found, resources_committed=["yacht"]))
    assert "'yacht' is not one of the options" in error.message_dict["resources_committed"][0]
    nothing_saved(found, cast.steward_a)
    services.response_submit(
        round=found,
        person=cast.steward_a,
        answers=answers_for(found, resources_committed=["meeting_space", "backbone_funding"]),
    )
    stored = Response.objects.get(round=found).answers["resources_committed"]
    assert stored == ["backbone_funding", "meeting_space"]  # in the questionnaire's order


# --- through the page -------------------------------------------------------------------


def url(found, what="answer/"):
    return f"/i/riverton/assessments/rounds/{found.uuid}/{what}"


def test_answer_page_posts_once(cast, as_role, round_):
    client = as_role("steward_a")
    response = client.post(url(round_), answers_for(round_))
    assert response.status_code == 302
    again = client.post(url(round_), answers_for(round_, 1))
    assert again.status_code == 400
    assert "answered this round already" in again.text
    assert Response.objects.filter(round=round_).count() == 1


def test_answer_page_refuses_value_off_the_scale_naming_the_item(cast, as_role, round_):
    response = as_role("steward_a").post(url(round_), answers_for(round_, communication_honest=9))
    assert response.status_code == 400
    assert "(communication_honest): 9 is not on the scale" in response.text
    nothing_saved(round_, cast.steward_a)


def test_answer_page_refuses_after_close(cast, as_role, round_):
    client = as_role("steward_a")
    page = client.get(url(round_))
    assert "Send my answers" in page.text
    services.round_close(round=round_)
    response = client.post(url(round_), answers_for(round_))
    assert response.status_code == 400
    assert "This round closed on" in response.text
    nothing_saved(round_, cast.steward_a)
