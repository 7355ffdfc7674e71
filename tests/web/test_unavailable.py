"""While the database cannot be reached, a reader gets a short 503 with Retry-After, not the
500 page; the API answers the same in JSON. A query the database refuses stays a 500."""

from __future__ import annotations

import psycopg
import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import path

from backbone.urls import handler403, handler404, handler500  # noqa: F401
from backbone.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.integration


def unreachable(request):
    try:
        raise psycopg.OperationalError("connection to server at 127.0.0.1 failed")
    except psycopg.OperationalError as exc:
        raise OperationalError(*exc.args) from exc


def deadlock(request):
    try:
        raise psycopg.errors.DeadlockDetected("deadlock detected")
    except psycopg.Error as exc:
        raise OperationalError(*exc.args) from exc


urlpatterns = [
    path("unreachable/", unreachable),
    path("api/unreachable", unreachable),
    path("deadlock/", deadlock),
    *site_urlpatterns,
]


class LosesTheDatabase:
    """A middleware that reads the database before any view runs, as the session does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        unreachable(request)


def _assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "cannot reach its database" in html and "try again in a minute" in html
    assert "connection to server" not in html


@override_settings(ROOT_URLCONF="tests.web.test_unavailable")
def test_a_lost_database_in_a_view_is_a_503_page_with_retry_after(db):
    _assert_unavailable_page(Client(raise_request_exception=False).get("/unreachable/"))


@override_settings(ROOT_URLCONF="tests.web.test_unavailable")
def test_a_lost_database_under_the_api_is_a_503_in_json(db):
    response = Client(raise_request_exception=False).get("/api/unreachable")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.json() == {
        "detail": "Backbone cannot reach its database; try again in a minute."
    }


def test_a_lost_database_in_a_middleware_is_a_503_page_too(db, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "tests.web.test_unavailable.LosesTheDatabase",
    ]
    _assert_unavailable_page(Client(raise_request_exception=False).get("/"))


@override_settings(ROOT_URLCONF="tests.web.test_unavailable")
def test_a_query_the_database_refuses_stays_a_500(db):
    response = Client(raise_request_exception=False).get("/deadlock/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "Retry-After" not in response
