"""People over the API: the same rules and services as the people page."""

from __future__ import annotations

import json

import jsonschema
import pytest
import schemathesis
from django.test import Client
from schemathesis import GenerationMode

from backbone.audit.models import Action, AuditEvent
from backbone.initiatives import services
from backbone.initiatives.models import Membership
from backbone.initiatives.roles import Role
from backbone.measurement.tokens import token_create
from tests.api.test_api import _documented, _schema
from tests.conftest import client_as
from tests.measurement.exchange.test_schema import CSRF, _fuzz, wsgi_app  # noqa: F401 (a fixture)

pytestmark = pytest.mark.integration

MEMBERS = "/api/initiatives/riverton/members"
INVITATIONS = "/api/initiatives/riverton/invitations"


def member_url(person, role, organisation=None) -> str:
    return f"{MEMBERS}/{person.uuid}/{role}/{organisation.slug if organisation else '-'}"


def patch(client: Client, url: str, body: dict):
    return client.patch(url, json.dumps(body), content_type="application/json")


def documented(path: str, method: str, status: int) -> dict:
    return _documented(_schema(), path, method, status)


@pytest.mark.parametrize(
    ("role", "status", "count"),
    [
        ("anonymous", 401, None),
        ("member_a", 403, None),
        ("funder", 403, None),
        ("public", 404, None),
        ("steward_a", 200, 2),  # their own organisation's people: themselves and Mo
        ("evaluator", 200, 7),
        ("staff", 200, 7),
    ],
)
def test_who_lists_members(cast, as_role, role, status, count):
    response = as_role(role).get(MEMBERS)
    assert response.status_code == status
    if count is not None:
        assert response.json()["count"] == count


def test_a_member_is_listed_with_role_and_organisation(cast, as_role):
    items = as_role("staff").get(f"{MEMBERS}?role=partner_member").json()["items"]
    assert items == [
        {
            "person": str(cast.member_a.uuid),
            "name": "Mo Member",
            "email": "member.a@example.org",
            "role": "partner_member",
            "organisation": cast.org_a.slug,
            "since": items[0]["since"],
        }
    ]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("member_a", 403),
        ("funder", 403),
        ("steward_b", 404),
        ("evaluator", 404),
        ("steward_a", 200),
        ("staff", 200),
    ],
)
def test_who_may_promote_a_partner_member(cast, as_role, role, status):
    url = member_url(cast.member_a, "partner_member", cast.org_a)
    response = patch(as_role(role), url, {"role": "partner_steward"})
    assert response.status_code == status
    held = Membership.objects.get(person=cast.member_a, initiative=cast.initiative).role
    assert held == ("partner_steward" if status == 200 else "partner_member")


def test_steward_cannot_grant_backbone_staff_or_move_people(cast, as_role):
    url = member_url(cast.member_a, "partner_member", cast.org_a)
    steward = as_role("steward_a")
    assert patch(steward, url, {"role": "backbone_staff"}).status_code == 403
    assert patch(steward, url, {"organisation": cast.org_b.slug}).status_code == 403
    assert Membership.objects.get(person=cast.member_a).organisation == cast.org_a


def test_staff_moves_a_member_and_gets_it_back(cast, as_role):
    url = member_url(cast.member_a, "partner_member", cast.org_a)
    response = patch(as_role("staff"), url, {"organisation": cast.org_b.slug})
    assert response.status_code == 200
    assert response.json()["organisation"] == cast.org_b.slug


def test_refusals_answer_422_in_the_documented_schema(cast, as_role):
    staff = as_role("staff")
    path = "/api/initiatives/{slug}/members/{person}/{role}/{organisation}"
    last = patch(staff, member_url(cast.staff, "backbone_staff"), {"role": "funder"})
    assert last.status_code == 422
    assert "last backbone staff member" in last.json()["detail"][0]["msg"]
    jsonschema.validate(last.json(), documented(path, "patch", 422))
    unknown = patch(
        staff, member_url(cast.member_a, "partner_member", cast.org_a), {"organisation": "nope"}
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "organisation"]
    gone = staff.delete(member_url(cast.staff, "backbone_staff"))
    assert gone.status_code == 422
    forbidden = patch(
        as_role("member_a"), member_url(cast.member_a, "partner_member", cast.org_a), {}
    )
    jsonschema.validate(forbidden.json(), documented(path, "patch", 403))


def test_the_schema_documents_the_refusals_of_people_operations():
    paths = _schema()["paths"]
    for path, method in [
        ("/api/initiatives/{slug}/members/{person}/{role}/{organisation}", "patch"),
        ("/api/initiatives/{slug}/members/{person}/{role}/{organisation}", "delete"),
        ("/api/initiatives/{slug}/invitations/{uuid}", "delete"),
    ]:
        assert {"401", "403", "404", "422"} <= {str(c) for c in paths[path][method]["responses"]}


@pytest.mark.parametrize(
    ("role", "status"),
    [("member_a", 403), ("steward_b", 404), ("steward_a", 204), ("staff", 204)],
)
def test_who_may_remove_a_partner_member(cast, as_role, role, status):
    response = as_role(role).delete(member_url(cast.member_a, "partner_member", cast.org_a))
    assert response.status_code == status
    assert Membership.objects.filter(person=cast.member_a).exists() == (status != 204)


def test_removal_over_the_api_stops_tokens_and_is_audited(cast, as_role):
    _, raw = token_create(partner=cast.partner_a, name="sync", by=cast.steward_a)
    token_api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert as_role("staff").delete(member_url(cast.steward_a, "partner_steward", cast.org_a))
    assert token_api.get("/api/initiatives/riverton/periods").status_code == 401
    assert client_as(cast.steward_a).get(MEMBERS).status_code == 404
    assert AuditEvent.objects.filter(action=Action.MEMBER_REMOVED).count() == 1
    assert AuditEvent.objects.filter(action=Action.TOKEN_REVOKED).count() == 1


def test_writes_with_a_session_need_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.staff)
    response = client.delete(member_url(cast.member_a, "partner_member", cast.org_a))
    assert response.status_code == 403
    assert Membership.objects.filter(person=cast.member_a).exists()


def _invite(cast, by, org):
    invitation, _ = services.invitation_create(
        initiative=cast.initiative,
        by=by,
        email=f"new.{org.slug}@example.org",
        role=Role.PARTNER_MEMBER,
        organisation=org,
    )
    return invitation


def test_invitations_are_listed_as_on_the_page_and_withdrawn(cast, as_role):
    mine = _invite(cast, cast.steward_a, cast.org_a)
    theirs = _invite(cast, cast.steward_b, cast.org_b)
    listed = as_role("steward_a").get(INVITATIONS).json()["items"]
    assert [i["uuid"] for i in listed] == [str(mine.uuid)]
    assert listed[0]["status"] == "open"
    assert as_role("steward_a").delete(f"{INVITATIONS}/{theirs.uuid}").status_code == 404
    assert as_role("member_a").delete(f"{INVITATIONS}/{mine.uuid}").status_code == 403
    assert as_role("steward_a").delete(f"{INVITATIONS}/{mine.uuid}").status_code == 204
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert as_role("staff").get(INVITATIONS).json()["count"] == 1


PEOPLE_PATHS = (
    "/api/initiatives/{slug}/members",
    "/api/initiatives/{slug}/members/{person}/{role}/{organisation}",
    "/api/initiatives/{slug}/invitations",
    "/api/initiatives/{slug}/invitations/{uuid}",
)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_about_people_never_cause_a_server_error(
    cast,
    wsgi_app,  # noqa: F811 (the fixture imported above)
    mode,
):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [
        result.ok() for result in schema.get_all_operations() if result.ok().path in PEOPLE_PATHS
    ]
    assert (
        len(operations) == 6
    )  # two lists, PATCH and DELETE of a role, POST and DELETE of invitations
    staff = Client()
    staff.force_login(cast.staff)
    session = {"sessionid": staff.cookies["sessionid"].value, "csrftoken": CSRF}
    failures: list = []
    for operation in operations:
        _fuzz(operation, session, failures, mode)
    assert failures == []
