from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from backbone.accounts.models import Person
from backbone.initiatives import services
from backbone.initiatives.models import Invitation, Membership

pytestmark = pytest.mark.integration


def _invite(cast, role="partner_member", org=None, email="new.person@example.org"):
    return services.invitation_create(
        initiative=cast.initiative,
        by=cast.staff,
        email=email,
        role=role,
        organisation=org if org is not None else cast.org_a,
    )


def test_invitation_mails_a_link(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _, token = _invite(cast)
    assert len(mail.outbox) == 1
    assert token in mail.outbox[0].body
    assert "Riverton Public Library" in mail.outbox[0].body


def test_new_person_accepts_and_gets_the_role(cast):
    _, token = _invite(cast)
    client = Client()
    response = client.post(
        f"/i/invitations/{token}/",
        {
            "name": "Nia New",
            "password1": "long enough phrase 42",
            "password2": "long enough phrase 42",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(email="new.person@example.org")
    assert Membership.objects.filter(
        person=person, initiative=cast.initiative, role="partner_member", organisation=cast.org_a
    ).exists()
    assert client.get("/i/riverton/").status_code == 200


def test_accepting_with_mismatched_passwords_creates_nothing(cast):
    _, token = _invite(cast)
    response = Client().post(
        f"/i/invitations/{token}/",
        {"name": "Nia", "password1": "long enough phrase 42", "password2": "other phrase 42"},
    )
    assert response.status_code == 200
    assert b"The two passwords differ" in response.content
    assert not Person.objects.filter(email="new.person@example.org").exists()


def test_used_link_cannot_be_used_twice(cast):
    _, token = _invite(cast)
    data = {
        "name": "Nia",
        "password1": "long enough phrase 42",
        "password2": "long enough phrase 42",
    }
    Client().post(f"/i/invitations/{token}/", data)
    assert Client().get(f"/i/invitations/{token}/").status_code == 410


def test_expired_and_revoked_and_forged_links_are_refused(cast):
    invitation, token = _invite(cast)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    assert Client().get(f"/i/invitations/{token}/").status_code == 410
    invitation2, token2 = _invite(cast, email="second@example.org")
    services.invitation_revoke(invitation=invitation2)
    assert Client().get(f"/i/invitations/{token2}/").status_code == 410
    assert Client().get("/i/invitations/not-a-real-token/").status_code == 410


def test_existing_person_signs_in_and_accepts_a_second_role(cast, as_role):
    _, token = _invite(cast, role="community_member", email="member.a@example.org")
    client = as_role("member_a")
    assert client.post(f"/i/invitations/{token}/").status_code == 302
    assert Membership.objects.filter(person=cast.member_a, role="community_member").exists()


def test_invitation_for_someone_else_is_refused_when_signed_in(cast, as_role):
    _, token = _invite(cast)
    response = as_role("steward_b").post(f"/i/invitations/{token}/")
    assert response.status_code == 403
    assert not Membership.objects.filter(person=cast.steward_b, role="partner_member").exists()


def test_staff_withdraws_an_invitation(cast, as_role):
    invitation, _ = _invite(cast)
    response = as_role("staff").post(f"/i/riverton/people/invitations/{invitation.uuid}/revoke/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_withdrawing_an_invitation_asks_first(cast, as_role):
    invitation, _ = _invite(cast)
    url = f"/i/riverton/people/invitations/{invitation.uuid}/revoke/"
    people = as_role("staff").get("/i/riverton/people/").content.decode()
    assert f'href="{url}"' in people

    asked = as_role("staff").get(url)

    html = asked.content.decode()
    assert asked.status_code == 200
    assert f"Withdraw the invitation to {invitation.email}?" in html
    assert f'<form method="post" action="{url}"' in html
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_steward_cannot_withdraw_another_organisations_invitation(cast, as_role):
    invitation, _ = _invite(cast, org=cast.org_b)
    response = as_role("steward_a").post(
        f"/i/riverton/people/invitations/{invitation.uuid}/revoke/"
    )
    assert response.status_code == 403
    url = f"/i/riverton/people/invitations/{invitation.uuid}/revoke/"
    assert as_role("steward_a").get(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_invitation_of_another_initiative_is_not_found(cast, as_role):
    invitation, _ = services.invitation_create(
        initiative=cast.other_initiative,
        by=cast.other_staff,
        email="x@example.org",
        role="community_member",
    )
    response = as_role("staff").post(f"/i/riverton/people/invitations/{invitation.uuid}/revoke/")
    assert response.status_code == 404


def test_partner_roles_need_an_organisation(cast, as_role):
    response = as_role("staff").post(
        "/i/riverton/people/", {"email": "a@example.org", "role": "partner_steward"}
    )
    assert response.status_code == 200
    assert b"act for an organisation" in response.content
    assert not Invitation.objects.exists()


def test_the_invitation_e_mail_carries_a_one_click_decline(
    cast, as_role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = _invite(cast)
    message = mail.outbox[0]
    decline = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert decline.endswith(f"/i/invitations/{token}/decline/") and decline in message.body
    path = decline[decline.index("/i/") :]
    # A person reading the link is asked first; a mail client's one-click POST needs no CSRF.
    asked = Client().get(path)
    assert b"Decline the invitation" in asked.content
    invitation.refresh_from_db()
    assert invitation.declined_at is None
    one_click = Client(enforce_csrf_checks=True)
    response = one_click.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert one_click.post(path).status_code == 200  # sent again: still no error
    invitation.refresh_from_db()
    assert invitation.declined_at is not None and not invitation.is_open
    accept = Client().get(f"/i/invitations/{token}/")
    assert accept.status_code == 410 and b"declined" in accept.content
    people = as_role("staff").get("/i/riverton/people/").content.decode()
    assert "declined on" in people and invitation.email in people


def test_an_accepted_invitation_cannot_be_declined(cast):
    _, token = _invite(cast, email="steward.a@example.org")
    services.invitation_accept(token=token, person=cast.steward_a)
    response = Client().post(f"/i/invitations/{token}/decline/")
    assert response.status_code == 410
    assert Membership.objects.filter(person=cast.steward_a, role="partner_member").exists()
