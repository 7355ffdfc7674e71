"""Personal tokens: made, listed and revoked by their person; shown once; audited; they act
as their person in one initiative only, and stop with the membership."""

import pytest

from backbone.accounts.models import PersonalToken
from backbone.audit.models import Action, AuditEvent
from tests.conftest import client_as

pytestmark = pytest.mark.integration


def test_a_member_makes_sees_and_revokes_a_token(cast):
    client = client_as(cast.community)
    made = client.post("/accounts/tokens/", {"initiative": cast.initiative.pk, "name": "sheet"})
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    raw = made.context["raw"]
    token = PersonalToken.objects.get(person=cast.community)
    assert token.token_hash != raw and raw.startswith(token.prefix)
    assert raw not in client.get("/accounts/tokens/").content.decode()  # shown once
    bearer = {"Authorization": f"Bearer {raw}"}
    listed = client_as(None).get("/api/initiatives", headers=bearer).json()["items"]
    assert [i["slug"] for i in listed] == ["riverton"]
    revoke = f"/accounts/tokens/{token.uuid}/revoke/"
    assert client_as(cast.staff).post(revoke).status_code == 404
    asked = client.get(revoke)  # asked first; nothing revoked yet
    assert asked.status_code == 200 and "Revoke the token" in asked.content.decode()
    assert client_as(None).get("/api/initiatives", headers=bearer).status_code == 200
    assert client.post(revoke).status_code == 302
    assert client_as(None).get("/api/initiatives", headers=bearer).status_code == 401
    actions = AuditEvent.objects.filter(initiative=cast.initiative).values_list("action", flat=True)
    assert {Action.TOKEN_CREATED, Action.TOKEN_REVOKED} <= set(actions)


def test_only_initiatives_of_ones_own_are_offered(cast):
    client = client_as(cast.community)
    refused = client.post(
        "/accounts/tokens/", {"initiative": cast.other_initiative.pk, "name": "x"}
    )
    assert refused.status_code == 200 and not PersonalToken.objects.exists()


def test_a_partner_token_reads_the_initiatives_router_as_its_partner(cast):
    from backbone.measurement.tokens import token_create

    _, raw = token_create(partner=cast.partner_a, name="sync", by=cast.steward_a)
    bearer = {"Authorization": f"Bearer {raw}"}
    client = client_as(None)
    assert [i["slug"] for i in client.get("/api/initiatives", headers=bearer).json()["items"]] == [
        "riverton"
    ]
    assert client.get("/api/initiatives/riverton/partners", headers=bearer).status_code == 200
    assert client.get("/api/initiatives/riverton/agenda/versions", headers=bearer).status_code in {
        200
    }
    assert client.get("/api/initiatives/lakeside", headers=bearer).status_code == 404
    assert client.get("/api/initiatives/riverton/members", headers=bearer).status_code == 403
    bad = {"Authorization": "Bearer bbk_nope"}
    assert client.get("/api/initiatives", headers=bad).status_code == 401
    assert client.get("/api/initiatives/riverton/agenda", headers=bad).status_code == 401
