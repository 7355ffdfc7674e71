"""Managing people on the people page: who may change or remove whose role, the last backbone
staff member, and a removal that takes effect at once."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from backbone.communication.models import CalendarFeed
from backbone.communication.tokens import feed_create
from backbone.initiatives import members, services
from backbone.initiatives.models import Invitation, Membership
from backbone.initiatives.roles import Role
from backbone.measurement.intake import Intake, Reported
from backbone.measurement.models import Submission
from backbone.measurement.tokens import token_create
from backbone.permissions import require
from tests.conftest import client_as, refused
from tests.measurement.conftest import make_indicator, make_period

pytestmark = pytest.mark.integration


def role_of(cast, person, role, organisation=None) -> Membership:
    return Membership.objects.get(
        initiative=cast.initiative, person=person, role=role, organisation=organisation
    )


def edit_url(m: Membership, action="member_edit") -> str:
    org = m.organisation.slug if m.organisation else members.NO_ORGANISATION
    return reverse(f"initiatives:{action}", args=[m.initiative.slug, m.person.uuid, m.role, org])


def remove_url(m: Membership) -> str:
    return edit_url(m, "member_remove")


def members_of(cast, person) -> set[tuple[str, str | None]]:
    return {
        (m.role, m.organisation.slug if m.organisation else None)
        for m in Membership.objects.filter(initiative=cast.initiative, person=person)
    }


# --- who may change whom -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("member_a", 403),
        ("funder", 403),
        ("community", 403),
        ("steward_b", 404),  # another organisation's person: not even shown
        ("evaluator", 404),  # sees everyone, manages no one
        ("steward_a", 200),
        ("staff", 200),
    ],
)
def test_who_may_open_the_change_page_of_a_partner_member(cast, as_role, role, status):
    m = role_of(cast, cast.member_a, Role.PARTNER_MEMBER, cast.org_a)
    assert as_role(role).get(edit_url(m)).status_code == status
    assert as_role(role).get(remove_url(m)).status_code == status


@pytest.mark.parametrize("role", ["member_a", "funder", "steward_b", "evaluator"])
def test_who_may_not_change_a_role_changes_nothing(cast, as_role, role):
    m = role_of(cast, cast.member_a, Role.PARTNER_MEMBER, cast.org_a)
    as_role(role).post(edit_url(m), {"role": Role.PARTNER_STEWARD, "organisation": cast.org_a.pk})
    as_role(role).post(remove_url(m))
    assert members_of(cast, cast.member_a) == {("partner_member", cast.org_a.slug)}


def test_staff_changes_a_role_and_organisation(cast, as_role):
    m = role_of(cast, cast.member_a, Role.PARTNER_MEMBER, cast.org_a)
    response = as_role("staff").post(
        edit_url(m), {"role": Role.PARTNER_STEWARD, "organisation": cast.org_b.pk}
    )
    assert response.status_code == 302
    assert members_of(cast, cast.member_a) == {("partner_steward", cast.org_b.slug)}


def test_staff_makes_a_community_member_backbone_staff(cast, as_role):
    m = role_of(cast, cast.community, Role.COMMUNITY_MEMBER)
    as_role("staff").post(edit_url(m), {"role": Role.BACKBONE_STAFF, "organisation": ""})
    assert members_of(cast, cast.community) == {("backbone_staff", None)}


def test_steward_promotes_own_member_to_steward(cast, as_role):
    m = role_of(cast, cast.member_a, Role.PARTNER_MEMBER, cast.org_a)
    response = as_role("steward_a").post(edit_url(m), {"role": Role.PARTNER_STEWARD})
    assert response.status_code == 302
    assert members_of(cast, cast.member_a) == {("partner_steward", cast.org_a.slug)}


def test_steward_cannot_grant_a_role_above_a_partner_role(cast, as_role):
    m = role_of(cast, cast.member_a, Role.PARTNER_MEMBER, cast.org_a)
    response = as_role("steward_a").post(edit_url(m), {"role": Role.BACKBONE_STAFF})
    assert response.status_code == 200  # not a choice the form offers
    assert "Select a valid choice" in response.content.decode()
    assert members_of(cast, cast.member_a) == {("partner_member", cast.org_a.slug)}


def test_steward_cannot_move_someone_to_another_organisation(cast, as_role):
    m = role_of(cast, cast.member_a, Role.PARTNER_MEMBER, cast.org_a)
    as_role("steward_a").post(
        edit_url(m), {"role": Role.PARTNER_MEMBER, "organisation": cast.org_b.pk}
    )
    assert members_of(cast, cast.member_a) == {("partner_member", cast.org_a.slug)}


def test_steward_of_two_organisations_still_cannot_move_people_between_them(cast, as_role):
    services.membership_grant(
        initiative=cast.initiative,
        person=cast.steward_a,
        role=Role.PARTNER_STEWARD,
        organisation=cast.org_b,
    )
    m = role_of(cast, cast.member_a, Role.PARTNER_MEMBER, cast.org_a)
    with pytest.raises(PermissionDenied):
        require(cast.steward_a, "members.change", cast.initiative, (m, m.role, cast.org_b))
    as_role("steward_a").post(edit_url(m), {"role": m.role, "organisation": cast.org_b.pk})
    assert members_of(cast, cast.member_a) == {("partner_member", cast.org_a.slug)}


def test_steward_cannot_manage_a_funder_of_their_organisation(cast, as_role):
    services.membership_grant(
        initiative=cast.initiative, person=cast.funder, role=Role.FUNDER, organisation=cast.org_a
    )
    m = role_of(cast, cast.funder, Role.FUNDER, cast.org_a)
    assert as_role("steward_a").get(edit_url(m)).status_code == 404
    page = as_role("steward_a").get(reverse("initiatives:members", args=["riverton"]))
    assert edit_url(m) not in page.content.decode()


def test_people_page_offers_change_and_remove_only_where_allowed(cast, as_role):
    staff_row = role_of(cast, cast.staff, Role.BACKBONE_STAFF)
    member_row = role_of(cast, cast.member_a, Role.PARTNER_MEMBER, cast.org_a)
    url = reverse("initiatives:members", args=["riverton"])
    as_staff = as_role("staff").get(url).content.decode()
    as_steward = as_role("steward_a").get(url).content.decode()
    as_evaluator = as_role("evaluator").get(url).content.decode()
    assert edit_url(staff_row) in as_staff and remove_url(member_row) in as_staff
    assert edit_url(member_row) in as_steward and edit_url(staff_row) not in as_steward
    assert "Change the role" not in as_evaluator


def test_changing_to_a_role_held_already_is_refused_on_the_form(cast, as_role):
    services.membership_grant(
        initiative=cast.initiative,
        person=cast.member_a,
        role=Role.PARTNER_STEWARD,
        organisation=cast.org_a,
    )
    m = role_of(cast, cast.member_a, Role.PARTNER_MEMBER, cast.org_a)
    response = as_role("staff").post(
        edit_url(m), {"role": Role.PARTNER_STEWARD, "organisation": cast.org_a.pk}
    )
    assert response.status_code == 200
    assert "already holds that role" in response.content.decode()


# --- removal -------------------------------------------------------------------------------


def test_removal_asks_first_and_works_without_javascript(cast, as_role):
    m = role_of(cast, cast.member_a, Role.PARTNER_MEMBER, cast.org_a)
    page = as_role("staff").get(remove_url(m)).content.decode()
    assert "Remove Mo Member as partner member for Riverton Public Library?" in page
    assert f'action="{remove_url(m)}"' in page and 'method="post"' in page
    assert members_of(cast, cast.member_a)  # nothing removed by looking


def test_steward_removes_own_organisations_member(cast, as_role):
    m = role_of(cast, cast.member_a, Role.PARTNER_MEMBER, cast.org_a)
    assert as_role("steward_a").post(remove_url(m)).status_code == 302
    assert members_of(cast, cast.member_a) == set()


def test_steward_cannot_remove_another_organisations_steward(cast, as_role):
    m = role_of(cast, cast.steward_b, Role.PARTNER_STEWARD, cast.org_b)
    assert as_role("steward_a").post(remove_url(m)).status_code == 404
    assert members_of(cast, cast.steward_b) == {("partner_steward", cast.org_b.slug)}


def test_the_last_backbone_staff_member_cannot_be_removed_or_demoted(cast, as_role):
    m = role_of(cast, cast.staff, Role.BACKBONE_STAFF)
    page = as_role("staff").get(remove_url(m)).content.decode()
    assert "last backbone staff member" in page and "Remove the role</button>" not in page
    as_role("staff").post(remove_url(m))
    response = as_role("staff").post(
        edit_url(m), {"role": Role.COMMUNITY_MEMBER, "organisation": ""}
    )
    assert "last backbone staff member" in response.content.decode()
    assert members_of(cast, cast.staff) == {("backbone_staff", None)}
    with pytest.raises(ValidationError):
        members.membership_remove(membership=m, by=cast.admin)


def test_with_two_staff_members_one_may_go(cast, as_role):
    services.membership_grant(
        initiative=cast.initiative, person=cast.community, role=Role.BACKBONE_STAFF
    )
    m = role_of(cast, cast.staff, Role.BACKBONE_STAFF)
    assert as_role("staff").post(remove_url(m)).status_code == 302
    assert members_of(cast, cast.staff) == set()
    last = role_of(cast, cast.community, Role.BACKBONE_STAFF)
    with pytest.raises(ValidationError):
        members.membership_change(membership=last, by=cast.admin, role="funder", organisation=None)


def test_removal_stops_pages_tokens_and_calendar_links_at_once(cast, as_role):
    steward = client_as(cast.steward_a)
    token, raw = token_create(partner=cast.partner_a, name="sync", by=cast.steward_a)
    _, feed = feed_create(initiative=cast.initiative, person=cast.steward_a)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    feed_url = reverse("communication:feed", args=["riverton", feed])
    assert steward.get("/i/riverton/").status_code == 200
    assert api.get("/api/initiatives/riverton/periods").status_code == 200
    assert Client().get(feed_url).status_code == 200

    m = role_of(cast, cast.steward_a, Role.PARTNER_STEWARD, cast.org_a)
    assert as_role("staff").post(remove_url(m)).status_code == 302

    assert steward.get("/i/riverton/").status_code == 404  # a members-only initiative
    assert steward.get(reverse("initiatives:members", args=["riverton"])).status_code == 404
    assert api.get("/api/initiatives/riverton/periods").status_code == 401
    assert Client().get(feed_url).status_code == 404
    assert not CalendarFeed.objects.filter(person=cast.steward_a, revoked_at=None).exists()


def test_a_steward_made_member_loses_their_tokens_but_not_their_calendar(cast, as_role):
    token, _ = token_create(partner=cast.partner_a, name="sync", by=cast.steward_a)
    feed, _ = feed_create(initiative=cast.initiative, person=cast.steward_a)
    m = role_of(cast, cast.steward_a, Role.PARTNER_STEWARD, cast.org_a)
    as_role("staff").post(edit_url(m), {"role": Role.PARTNER_MEMBER, "organisation": cast.org_a.pk})
    token.refresh_from_db()
    feed.refresh_from_db()
    assert token.revoked_at is not None and feed.revoked_at is None


def test_removal_keeps_what_the_person_contributed(cast, as_role):
    make_indicator(cast.initiative, "families-served", "cumulative", unit="count")
    make_period(cast.initiative, "year", date(2024, 1, 1))
    submission = Intake(
        initiative=cast.initiative, by=cast.member_a, channel="web", partner=cast.partner_a
    ).submit([Reported(indicator="families-served", period="2024", value="12")])
    m = role_of(cast, cast.member_a, Role.PARTNER_MEMBER, cast.org_a)
    as_role("staff").post(remove_url(m))
    submission = Submission.objects.get(pk=submission.pk)
    assert submission.created_by == cast.member_a
    assert submission.values.get().value == 12
    cast.member_a.refresh_from_db()  # the person stays


# --- invitations ---------------------------------------------------------------------------


def _invite(cast, by=None, org=None, role="partner_member"):
    invitation, token = services.invitation_create(
        initiative=cast.initiative,
        by=by or cast.staff,
        email="new.person@example.org",
        role=role,
        organisation=org or cast.org_a,
    )
    return invitation, token


def test_staff_sends_an_invitation_again_with_a_new_link(
    cast, as_role, django_capture_on_commit_callbacks
):
    invitation, old = _invite(cast)
    url = reverse("initiatives:invitation_resend", args=["riverton", invitation.uuid])
    with django_capture_on_commit_callbacks(execute=True):
        assert as_role("staff").post(url).status_code == 302
    assert len(mail.outbox) == 1 and old not in mail.outbox[0].body
    assert Client().get(f"/i/invitations/{old}/").status_code == 410


@pytest.mark.parametrize(("role", "status"), [("steward_a", 302), ("steward_b", 403)])
def test_stewards_resend_their_own_organisations_invitations(cast, as_role, role, status):
    invitation, _ = _invite(cast, by=cast.steward_a)
    url = reverse("initiatives:invitation_resend", args=["riverton", invitation.uuid])
    assert as_role(role).post(url).status_code == status


@pytest.mark.parametrize("role", ["anonymous", "member_a", "funder"])
def test_others_cannot_resend_or_withdraw(cast, as_role, role):
    invitation, _ = _invite(cast)
    resend = reverse("initiatives:invitation_resend", args=["riverton", invitation.uuid])
    revoke = reverse("initiatives:invitation_revoke", args=["riverton", invitation.uuid])
    assert as_role(role).post(resend).status_code == refused(role)
    assert as_role(role).post(revoke).status_code == refused(role)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_declined_invitation_is_not_sent_again(cast, as_role):
    invitation, token = _invite(cast)
    services.invitation_decline(token=token)
    url = reverse("initiatives:invitation_resend", args=["riverton", invitation.uuid])
    as_role("staff").post(url)
    assert Invitation.objects.get(pk=invitation.pk).token_hash == invitation.token_hash
