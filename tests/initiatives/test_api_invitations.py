"""Inviting people over the API, as from the people page: backbone staff to any role, a
partner steward to their own organisation's partner roles; the answer never carries the
link, which goes by e-mail only; what the rules refuse is 422."""

from __future__ import annotations

import pytest
from django.core import mail

from backbone.audit.models import Action, AuditEvent
from backbone.initiatives.models import Invitation
from tests.api import callers
from tests.api.callers import EVERYONE

pytestmark = pytest.mark.integration

call, tokens = callers.call, callers.tokens  # the API callers' fixtures

BASE = "/api/initiatives/riverton/invitations"

EXPECTED = {
    "anonymous": 401,  # people are for a signed-in caller only
    "revoked_token": 401,
    "public": 404,
    "other_staff": 404,
    "other_initiative_token": 404,
    "staff": 201,
    "steward_a": 201,
    "personal_token": 201,  # steward A's
    "steward_b": 403,  # another organisation's steward
    "evaluator": 403,  # sees the people, invites no one
    "member_a": 403,
    "community": 403,
    "funder": 403,
    "partner_token": 403,
}


def invite(**extra) -> dict:
    return {
        "email": "New.Person@Example.org",
        "role": "partner_member",
        "organisation": None,
        **extra,
    }


@pytest.mark.parametrize("who", EVERYONE)
def test_invite_by_role(cast, call, who, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = call(who, "post", BASE, invite(organisation=cast.org_a.slug, name="Nia New"))
    assert response.status_code == EXPECTED[who], response.content
    sent = Invitation.objects.filter(initiative=cast.initiative)
    assert sent.count() == (response.status_code == 201)
    assert len(mail.outbox) == (response.status_code == 201)
    if response.status_code == 201:
        found = response.json()
        invitation = sent.get()
        assert found["uuid"] == str(invitation.uuid)
        assert found["email"] == "new.person@example.org"
        assert found["role"] == "partner_member" and found["organisation"] == cast.org_a.slug
        assert found["status"] == "open"
        assert set(found) == {"uuid", "email", "role", "organisation", "status", "expires_at"}
        links = [w for w in mail.outbox[0].body.split() if "://" in w]
        assert links and not any(link in response.content.decode() for link in links)
        secret = links[0].rstrip("/").rsplit("/", 1)[-1]
        assert secret not in response.content.decode()
        by = cast.steward_a if who == "personal_token" else cast.person(who)
        assert invitation.invited_by == by
        assert AuditEvent.objects.filter(action=Action.INVITATION_SENT).count() == 1
        listed = call(who, "get", BASE).json()["items"]
        assert [i["uuid"] for i in listed] == [found["uuid"]]


@pytest.mark.parametrize(
    "role, organisation, status",
    [
        ("partner_steward", "a", 201),
        ("partner_member", "b", 403),  # another organisation's people
        ("evaluator", "", 403),  # not a partner role
        ("backbone_staff", "", 403),
        ("funder", "a", 403),
    ],
)
def test_a_steward_invites_only_their_own_organisations_partner_roles(
    cast, call, role, organisation, status
):
    slug = {"a": cast.org_a.slug, "b": cast.org_b.slug, "": None}[organisation]
    response = call("steward_a", "post", BASE, invite(role=role, organisation=slug))
    assert response.status_code == status, response.content
    assert Invitation.objects.count() == (status == 201)


@pytest.mark.parametrize("role", ["evaluator", "funder", "backbone_staff", "community_member"])
def test_staff_invites_to_any_role(cast, call, role):
    response = call("staff", "post", BASE, invite(role=role, organisation=None))
    assert response.status_code == 201, response.content
    assert response.json()["role"] == role and response.json()["organisation"] is None


def test_a_funder_may_name_an_organisation_others_have_it_dropped(cast, call):
    funder = call("staff", "post", BASE, invite(role="funder", organisation=cast.org_b.slug))
    assert funder.json()["organisation"] == cast.org_b.slug
    evaluator = call(
        "staff", "post", BASE, invite(email="e@example.org", role="evaluator", organisation="x")
    )
    assert evaluator.status_code == 201 and evaluator.json()["organisation"] is None


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"email": "not an address"}, "email"),
        ({"organisation": None}, "organisation"),  # a partner role needs one
        ({"organisation": "no-such-partner"}, "organisation"),
    ],
)
def test_what_the_rules_refuse_is_422(cast, call, extra, field):
    response = call("staff", "post", BASE, invite(**extra))
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert not Invitation.objects.exists() and mail.outbox == []


def test_the_hourly_limit_is_422_with_its_message(cast, call, settings):
    settings.INVITATIONS_PER_HOUR = 1
    first = invite(role="evaluator", email="one@example.org")
    assert call("staff", "post", BASE, first).status_code == 201
    second = call("staff", "post", BASE, invite(role="evaluator", email="two@example.org"))
    assert second.status_code == 422
    assert "1 invitations in the last hour" in second.json()["detail"][0]["msg"]
    assert Invitation.objects.count() == 1
