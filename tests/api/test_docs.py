"""The developers' docs: /api/docs answers, and the schema's description tells how to get
and send a token, how lists page, and what each error status means."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_docs_page_answers():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_description_explains_tokens_paging_and_errors():
    text = Client().get("/api/openapi.json").json()["info"]["description"]
    for needed in (
        "API tokens",  # the partner's tokens page
        "/accounts/tokens/",  # the personal tokens page
        "X-CSRFToken",  # the session's writes
        "Authorization: Bearer",
        "limit",
        "offset",
        "count",
        "**401**",
        "**403**",
        "**404**",
        "**409**",
        "**422**",
    ):
        assert needed in text, needed
