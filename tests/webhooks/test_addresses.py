"""Where webhooks may go: https to public addresses; loopback and private addresses only
where the installation allows them, plain http only to those; checked again when sending."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from backbone.webhooks import services
from backbone.webhooks.addresses import url_problem
from backbone.webhooks.sending import post

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.215.14/hook",  # a public address over plain http
        "http://[2606:4700::1111]/hook",
        "ftp://127.0.0.1/hook",
        "https://user:pass@93.184.215.14/hook",
        "hooks.example.org",
    ],
)
def test_refused_wherever_the_installation_allows_private_addresses(settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert url_problem(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.1.20/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://169.254.169.254/latest/meta-data",
        "http://localhost:9000/hook",
    ],
)
def test_loopback_and_private_addresses_are_refused_by_default(settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    assert url_problem(url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/hook", "https://10.1.2.3/hook", "http://192.168.1.20/h"]
)
def test_loopback_and_private_addresses_where_allowed(settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert url_problem(url) == ""


def test_a_public_https_address_is_accepted(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    assert url_problem("https://93.184.215.14/backbone?key=1") == ""


def test_non_loopback_http_is_refused_clearly(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert "Use https://" in url_problem("http://93.184.215.14/hook")


@pytest.mark.django_db
def test_the_service_refuses_what_the_form_refuses(cast, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError):
        services.subscription_create(
            initiative=cast.initiative,
            by=cast.staff,
            url="http://127.0.0.1:9/hook",
            events=["submission.approved"],
        )
    with pytest.raises(ValidationError):
        services.subscription_create(
            initiative=cast.initiative, by=cast.staff, url="https://93.184.215.14/", events=[]
        )


def test_sending_checks_the_address_again(settings):
    """A subscription saved while private addresses were allowed is refused when they no
    longer are, before any connection."""
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    answer = post("http://127.0.0.1:9/hook", b"{}", {})
    assert answer.status_code is None
    assert answer.error.startswith("Refused:")
