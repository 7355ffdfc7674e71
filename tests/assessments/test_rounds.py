"""Opening, closing and sharing rounds: who is asked, and what is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from backbone.assessments import services
from backbone.assessments.models import Respondent, Round
from backbone.initiatives import services as initiatives
from backbone.initiatives.roles import PartnerStatus, Role

from .conftest import crowd, open_round

pytestmark = pytest.mark.integration


def asked(found) -> dict:
    return {
        r.person.email: (r.role, r.organisation.name if r.organisation else None)
        for r in Respondent.objects.filter(round=found).select_related("person", "organisation")
    }


def test_round_asks_stewards_members_and_community_of_active_partners(
    cast, initiative, questionnaires
):
    paused = crowd(initiative, sector="business", n=1)[0]
    initiatives_partner = paused.memberships.get().organisation.partnerships.get()
    initiatives_partner.status = PartnerStatus.PAUSED
    initiatives_partner.save()

    found = open_round(initiative, questionnaires["conditions"])

    assert asked(found) == {
        "steward.a@example.org": ("partner_steward", "Riverton Public Library"),
        "steward.b@example.org": ("partner_steward", "Northside Food Bank"),
        "member.a@example.org": ("partner_member", "Riverton Public Library"),
        "resident@example.org": ("community_member", None),
    }
    assert found.questionnaire_data == questionnaires["conditions"].data
    assert found.anonymous is True and found.results_shared is False


def test_round_by_partner_asks_its_stewards_and_members(cast, initiative, questionnaires):
    found = open_round(
        initiative, questionnaires["conditions"], roles=[], partners=[cast.partner_a]
    )
    assert set(asked(found)) == {"steward.a@example.org", "member.a@example.org"}
    assert "Riverton Public Library" in found.audience


def test_round_by_role_asks_only_that_role(cast, initiative, questionnaires):
    found = open_round(initiative, questionnaires["conditions"], roles=[Role.PARTNER_STEWARD])
    assert set(asked(found)) == {"steward.a@example.org", "steward.b@example.org"}


def test_person_with_several_roles_is_asked_once_as_steward(cast, initiative, questionnaires):
    initiatives.membership_grant(
        initiative=initiative, person=cast.steward_a, role=Role.COMMUNITY_MEMBER
    )
    initiatives.membership_grant(
        initiative=initiative,
        person=cast.steward_a,
        role=Role.PARTNER_MEMBER,
        organisation=cast.org_b,
    )
    found = open_round(initiative, questionnaires["conditions"])
    assert asked(found)["steward.a@example.org"] == ("partner_steward", "Riverton Public Library")
    assert Respondent.objects.filter(round=found, person=cast.steward_a).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"roles": [], "partners": []}, "roles"),
        ({"roles": [Role.FUNDER]}, "roles"),
        ({"closes_in": -20}, "closes_on"),
    ],
)
def test_round_refused_without_saving(cast, initiative, questionnaires, change, field):
    today = timezone.localdate()
    arguments = {
        "initiative": initiative,
        "questionnaire": questionnaires["conditions"],
        "opens_on": today - timedelta(days=30),
        "closes_on": today + timedelta(days=change.pop("closes_in", 5)),
        "roles": [Role.PARTNER_STEWARD],
        **change,
    }
    with pytest.raises(ValidationError) as caught:
        services.round_open(**arguments)
    assert field in caught.value.message_dict
    assert not Round.objects.exists() and not Respondent.objects.exists()


def test_round_of_questionnaire_for_other_framework_is_refused(cast, initiative, questionnaires):
    conditions = questionnaires["conditions"]
    conditions.frameworks = ["collective-impact-five-phases"]
    conditions.save()
    with pytest.raises(ValidationError) as caught:
        open_round(initiative, conditions)
    assert "questionnaire" in caught.value.message_dict
    assert not Round.objects.exists()


def test_round_with_nobody_to_ask_is_refused(cast, initiative, questionnaires):
    other = initiatives.organisation_create(name="Empty partner", sector="faith")
    partner = initiatives.partner_add(initiative=initiative, organisation=other)
    with pytest.raises(ValidationError, match="Nobody holds"):
        open_round(initiative, questionnaires["conditions"], roles=[], partners=[partner])
    assert not Round.objects.exists()


def test_closed_round_stays_closed(cast, initiative, questionnaires):
    found = open_round(initiative, questionnaires["conditions"])
    services.round_close(round=found)
    found.refresh_from_db()
    assert found.status() == "closed"
    with pytest.raises(ValidationError):
        services.round_close(round=found)
    with pytest.raises(ValidationError, match="does not reopen"):
        services.round_set_closing(round=found, closes_on=timezone.localdate() + timedelta(days=9))
    found.refresh_from_db()
    assert found.is_closed()


def test_closing_date_moves_but_never_into_the_past(cast, initiative, questionnaires):
    found = open_round(initiative, questionnaires["conditions"])
    later = timezone.localdate() + timedelta(days=30)
    services.round_set_closing(round=found, closes_on=later)
    found.refresh_from_db()
    assert found.closes_on == later
    with pytest.raises(ValidationError):
        services.round_set_closing(round=found, closes_on=timezone.localdate() - timedelta(days=1))
    found.refresh_from_db()
    assert found.closes_on == later


def test_staff_open_a_round_through_the_form(cast, as_role, initiative, questionnaires):
    today = timezone.localdate()
    response = as_role("staff").post(
        "/i/riverton/assessments/rounds/new/",
        {
            "questionnaire": questionnaires["readiness"].pk,
            "title": "",
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=14)).isoformat(),
            "roles": [Role.COMMUNITY_MEMBER],
            "partners": [cast.partner_b.pk],
            "anonymous": "on",
        },
    )
    found = Round.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/rounds/{found.uuid}/")
    assert found.title == f"Readiness, {today:%B %Y}"
    assert found.created_by == cast.staff and found.anonymous
    assert set(asked(found)) == {
        "resident@example.org",
        "steward.b@example.org",  # choosing a partner with only the community role asks its people
    }


def test_form_shows_the_services_refusal(cast, as_role, initiative, questionnaires):
    today = timezone.localdate()
    response = as_role("staff").post(
        "/i/riverton/assessments/rounds/new/",
        {
            "questionnaire": questionnaires["readiness"].pk,
            "opens_on": today.isoformat(),
            "closes_on": (today - timedelta(days=1)).isoformat(),
            "roles": [Role.PARTNER_STEWARD],
        },
    )
    assert response.status_code == 200
    assert "A round cannot close before it opens." in response.text
    assert not Round.objects.exists()
