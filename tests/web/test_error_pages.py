"""The site's own 403, 404 and 500 pages, and one rule for signed-out visitors: a members'
page sends them to sign in; what a reader may not know exists is a 404."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.integration


def test_an_unknown_address_is_a_page_of_the_site_with_a_way_to_sign_in(cast, as_role):
    response = Client().get("/i/riverton/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "There is no such page" in html and 'class="site-header"' in html
    assert 'href="/accounts/login/?next=/i/riverton/no-such-page/"' in html
    signed_in = as_role("staff").get("/i/riverton/no-such-page/").content.decode()
    assert "There is no such page" in signed_in and "/accounts/login/?next" not in signed_in


def test_a_hidden_initiative_is_not_found_for_outsiders_signed_in_or_not(cast, as_role):
    for role in ("anonymous", "other_staff"):
        response = as_role(role).get("/i/riverton/health/")
        assert response.status_code == 404
        assert "There is no such page" in response.content.decode()


def test_a_members_page_of_a_public_initiative_asks_signed_out_visitors_to_sign_in(cast, as_role):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    response = Client().get("/i/riverton/health/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/i/riverton/health/"
    denied = as_role("community").get("/i/riverton/health/")
    assert denied.status_code == 403
    html = denied.content.decode()
    assert "not open to you" in html and cast.community.email in html
    assert 'class="site-header"' in html


def test_the_api_keeps_answering_in_its_own_way(cast):
    response = Client().get("/api/no-such-operation")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


@override_settings(ROOT_URLCONF="tests.web.urls_failing")
def test_a_fault_is_a_page_of_the_site_that_needs_nothing_that_failed(db):
    response = Client(raise_request_exception=False).get("/fails/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "/static/backbone/backbone.css" in html and "a fault in a view" not in html
