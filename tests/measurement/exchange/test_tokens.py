from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backbone.initiatives import services
from backbone.initiatives.roles import Role
from backbone.measurement.models import ApiToken
from backbone.measurement.tokens import (
    PREFIX_LENGTH,
    token_authenticate,
    token_create,
    token_hash,
    token_revoke,
)
from tests.conftest import ROLES

pytestmark = pytest.mark.integration

URL = "/i/riverton/measurement/tokens/"


def test_token_is_kept_only_as_its_hash_and_prefix(cast):
    token, raw = token_create(partner=cast.partner_a, name="Case system", by=cast.steward_a)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == token_hash(raw) != raw
    assert stored.prefix == raw[:PREFIX_LENGTH] and len(stored.prefix) == 8
    assert raw not in str(ApiToken.objects.values_list().get(pk=token.pk))


def test_valid_token_authenticates_and_notes_use_at_most_once_a_minute(cast):
    token, raw = token_create(partner=cast.partner_a, name="sync", by=cast.steward_a)
    assert token_authenticate(raw).pk == token.pk
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    token_authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    token_authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - timedelta(minutes=1)


def test_revoked_or_unknown_token_does_not_authenticate(cast):
    token, raw = token_create(partner=cast.partner_a, name="sync", by=cast.steward_a)
    token_revoke(token=token)
    assert token_authenticate(raw) is None
    assert token_authenticate(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert token_authenticate("") is None


def test_revoking_twice_keeps_the_first_date(cast):
    token, _ = token_create(partner=cast.partner_a, name="sync", by=cast.steward_a)
    token_revoke(token=token)
    first = token.revoked_at
    token_revoke(token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first


EXPECTED_PAGE = {
    "anonymous": 302,
    "public": 404,
    "community": 403,
    "member_a": 403,
    "steward_a": 200,
    "steward_b": 200,
    "funder": 403,
    "evaluator": 403,
    "staff": 403,
    "other_staff": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_tokens_page_is_for_partner_stewards(cast, as_role, role):
    assert as_role(role).get(URL).status_code == EXPECTED_PAGE[role]


def test_steward_makes_a_token_and_sees_it_once(cast, as_role):
    client = as_role("steward_a")
    response = client.post(URL, {"name": "Case system", "partner": cast.partner_a.pk})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    raw = response.context["raw"]
    assert token.partner == cast.partner_a and token.created_by == cast.steward_a
    assert token_hash(raw) == token.token_hash
    assert raw in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    again = client.get(URL).content.decode()
    assert raw not in again and token.prefix in again and "Case system" in again


def test_steward_cannot_make_a_token_for_another_organisation(cast, as_role):
    response = as_role("steward_a").post(URL, {"name": "x", "partner": cast.partner_b.pk})
    assert response.status_code == 200 and "partner" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_steward_lists_only_own_organisations_tokens(cast, as_role):
    token_create(partner=cast.partner_b, name="Food bank sync", by=cast.steward_b)
    token_create(partner=cast.partner_a, name="Library sync", by=cast.steward_a)
    page = as_role("steward_a").get(URL).content.decode()
    assert "Library sync" in page and "Food bank sync" not in page


def test_steward_revokes_own_token_and_it_stops_working(cast, measured, as_role):
    token, raw = token_create(partner=cast.partner_a, name="sync", by=cast.steward_a)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/initiatives/riverton/values").status_code == 200
    response = as_role("steward_a").post(URL, {"revoke": str(token.uuid)})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get("/api/initiatives/riverton/values").status_code == 401
    assert "Revoked" in as_role("steward_a").get(URL).content.decode()


def test_steward_cannot_revoke_another_organisations_token(cast, as_role):
    token, _ = token_create(partner=cast.partner_b, name="sync", by=cast.steward_b)
    assert as_role("steward_a").post(URL, {"revoke": str(token.uuid)}).status_code == 404
    assert as_role("steward_a").post(URL, {"revoke": "not-a-uuid"}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_steward_of_two_organisations_chooses_which(cast, as_role):
    services.membership_grant(
        initiative=cast.initiative,
        person=cast.steward_a,
        role=Role.PARTNER_STEWARD,
        organisation=cast.org_b,
    )
    client = as_role("steward_a")
    page = client.get(URL)
    assert list(page.context["form"].fields["partner"].queryset) == [cast.partner_b, cast.partner_a]
    client.post(URL, {"name": "Food bank", "partner": cast.partner_b.pk})
    assert ApiToken.objects.get().partner == cast.partner_b


def test_token_created_time_is_shown(cast, as_role):
    token, _ = token_create(partner=cast.partner_a, name="sync", by=cast.steward_a)
    page = as_role("steward_a").get(URL).content.decode()
    assert timezone.localtime(token.created_at).strftime("%-d %b %Y") in page
    assert "Never" in page


def test_revoking_a_token_asks_first(cast, as_role):
    token, _ = token_create(partner=cast.partner_a, name="Case system", by=cast.steward_a)
    other, _ = token_create(partner=cast.partner_b, name="Food bank sync", by=cast.steward_b)
    client = as_role("steward_a")
    assert f"?revoke={token.uuid}" in client.get(URL).content.decode()

    asked = client.get(URL, {"revoke": str(token.uuid)})

    html = asked.content.decode()
    assert asked.status_code == 200 and "Revoke the token “Case system”?" in html
    assert f'<input type="hidden" name="revoke" value="{token.uuid}">' in html
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.get(URL, {"revoke": str(other.uuid)}).status_code == 404
