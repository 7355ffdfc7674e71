"""Choosing a language: the switcher on every page, a person's saved language, the browser's
for visitors, `?lang=` on the public scorecard and its embed, e-mails in the reader's
language, and numbers written as each language writes them (English pages unchanged)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from django.utils import formats, translation
from django.utils.formats import number_format
from hypothesis import given, settings
from hypothesis import strategies as st

from backbone.accounts.languages import in_language_of
from backbone.dashboards.templatetags.figures import _quantized, _rounded, change, figure, share
from backbone.frameworks.texts import text_in
from backbone.measurement.numbers import on_page
from tests.conftest import client_as
from tests.translations import compiled_catalogues

pytestmark = pytest.mark.integration

NNBSP = "\u202f"


@pytest.fixture(autouse=True)
def _catalogues():
    compiled_catalogues()


def test_a_visitor_reads_pages_in_their_browsers_language(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5").get("/accounts/login/")
    html = page.content.decode()
    assert '<html lang="es">' in html
    assert "Iniciar sesión" in html and "¿Olvidó su contraseña?" in html
    assert page["Content-Language"] == "es"


def test_a_visitor_in_the_united_states_reads_spanish_with_a_decimal_point(db):
    """The same Spanish words; figures written as the United States write them."""
    page = Client(HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9,en;q=0.5").get("/accounts/login/")
    assert page["Content-Language"] == "es-us"
    assert "Iniciar sesión" in page.content.decode()
    with translation.override("es-us"):
        assert formats.number_format(Decimal("1234.5"), 1, force_grouping=True) == "1,234.5"
        assert text_in({"en": "Goal", "es": "Meta"}) == "Meta"


def test_a_visitor_without_a_preference_reads_english(db):
    html = Client().get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html and "Forgot your password?" in html


def test_the_switcher_is_on_a_signed_out_page_and_returns_to_it(db):
    client = Client()
    html = client.get("/accounts/login/?next=/i/x/").content.decode()
    assert 'action="/i18n/setlang/"' in html and 'name="language"' in html
    assert '<option value="fr" lang="fr">Français</option>' in html
    chosen = client.post(
        "/i18n/setlang/", {"language": "fr", "next": "/accounts/login/?next=/i/x/"}
    )
    assert chosen.status_code == 302 and chosen["Location"] == "/accounts/login/?next=/i/x/"
    assert "Se connecter" in client.get("/accounts/login/").content.decode()


def test_a_signed_in_persons_choice_is_saved_and_followed_on_any_browser(cast):
    client = client_as(cast.community)
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    cast.community.refresh_from_db()
    assert cast.community.language == "es"
    elsewhere = client_as(cast.community)  # no cookie: another browser
    elsewhere.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    page = elsewhere.get("/")
    assert "Sus iniciativas" in page.content.decode()
    assert page.cookies["django_language"].value == "es"  # kept after signing out


def test_a_link_names_the_language_of_the_public_scorecard_and_its_embed(demo):
    scorecard = Client().get(f"/i/{demo.slug}/scorecard/?as=public&lang=fr").content.decode()
    assert '<html lang="fr">' in scorecard and "Tableau de bord" in scorecard
    assert (
        'name="next" value="/i/riverton-cradle-to-career/scorecard/?as=public"' in scorecard
    )  # no lang
    embed = Client().get(f"/i/{demo.slug}/scorecard/embed/?lang=es").content.decode()
    assert '<html lang="es">' in embed and "Ver el tablero de resultados público completo" in embed
    assert "?as=public&amp;lang=es" in embed


def test_an_unknown_language_in_a_link_is_ignored(demo):
    html = Client().get(f"/i/{demo.slug}/scorecard/?as=public&lang=xx").content.decode()
    assert '<html lang="en">' in html


def test_e_mails_are_written_in_the_persons_language(cast):
    cast.funder.language = "fr"
    with in_language_of(cast.funder):
        subject = translation.gettext("Sign in")
    with in_language_of(cast.steward_a):  # chose none: the site's language
        other = translation.gettext("Sign in")
    assert (subject, other) == ("Se connecter", "Sign in")


def test_a_digest_is_rendered_in_its_readers_language(cast, monkeypatch):
    from backbone.updates import digests

    cast.member_a.language = "es"
    seen = []
    monkeypatch.setattr(
        digests,
        "render_to_string",
        lambda *a, **k: seen.append(translation.get_language()) or "body",
    )
    message = digests.digest_message(
        digests.Digest(person=cast.member_a, frequency="daily", since=None, now=None, sections=[])
    )
    assert isinstance(message, EmailMessage) and seen == ["es"]
    assert mail.outbox == []


class _Percent:
    unit, decimals = "percent", 1


class _Count:
    unit, decimals = "count", 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["1,234.6%", "−12,345", "−5.7 pts", "89%"]),
        ("fr", [f"1{NNBSP}234,6{NNBSP}%", f"−12{NNBSP}345", f"−5,7{NNBSP}pts", f"89{NNBSP}%"]),
        ("es", [f"1{NNBSP}234,6{NNBSP}%", f"−12{NNBSP}345", f"−5,7{NNBSP}p. p.", f"89{NNBSP}%"]),
        ("es-us", [f"1,234.6{NNBSP}%", "−12,345", f"−5.7{NNBSP}p. p.", f"89{NNBSP}%"]),
    ],
)
def test_figures_are_written_as_the_readers_language_writes_them(language, expected):
    with translation.override(language):
        written = [
            figure(Decimal("1234.56"), _Percent),
            figure(Decimal("-12345"), _Count),
            change(Decimal("-5.67"), _Percent),
            share(Decimal("0.889")),
        ]
    assert written == expected


@settings(max_examples=300, deadline=None)
@given(
    value=st.decimals(min_value=-(10**13), max_value=10**13, places=6, allow_nan=False),
    decimals=st.integers(min_value=0, max_value=6),
    language=st.sampled_from(["en", "fr", "es", "es-us", "de", "hi"]),
)
def test_a_figure_is_written_as_djangos_number_format_writes_it(value, decimals, language):
    """The figures' writer looks each language's separators up once and groups by threes
    itself; Django's `number_format`, asked the same, gives the same text in every language
    (Hindi groups 3, 2, 2: the writer hands it to Django)."""
    with translation.override(language):
        quantized = _quantized(value, decimals)
        expected = on_page(number_format(quantized, decimals, force_grouping=True))
        assert _rounded(value, decimals) == expected


def test_machine_numbers_stay_machine_numbers_in_french(demo):
    html = Client().get(f"/i/{demo.slug}/scorecard/?as=public&lang=fr").content.decode()
    assert "Progrès notables" in html and f"{NNBSP}%" in html
    # The meter's value and the sparkline's coordinates are read by the browser, not people.
    assert 'cx="' in html and 'value="0.' in html
    assert not any(
        f'{attr}="{d},'
        for attr in ("value", "cx", "cy")
        for d in range(10)
        if f'{attr}="{d},' in html
    )
