import re

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.core import mail
from django.test import Client

from backbone import settings as production_settings

pytestmark = pytest.mark.integration


def test_sign_in_with_email_in_any_case(cast):
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": "Steward.A@Example.org", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert client.get("/").context["user"] == cast.steward_a


def test_sign_in_with_wrong_password_shows_an_error(cast):
    response = Client().post(
        "/accounts/login/", {"username": "steward.a@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert b"correct e-mail address and password" in response.content


def test_sign_out_ends_the_session(cast, as_role):
    client = as_role("staff")
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/i/riverton/edit/").status_code == 302


def test_production_hashes_passwords_with_argon2(settings):
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    assert identify_hasher(make_password("s3cret")).algorithm == "argon2"


def test_password_reset_mails_a_link_that_sets_a_new_password(cast):
    client = Client()
    client.post("/accounts/password-reset/", {"email": "steward.a@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a much longer passphrase", "new_password2": "a much longer passphrase"},
    )
    assert response.status_code == 302
    cast.steward_a.refresh_from_db()
    assert cast.steward_a.check_password("a much longer passphrase")


def test_password_reset_for_unknown_address_sends_nothing(cast):
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
