"""A resident who reads Spanish, in a real browser: signed out, she picks Español with the
switcher and reads the public scorecard in Spanish, figures written the Spanish way, with no
serious accessibility violation. The public scorecard and the home page, in Spanish and in
French, on a desktop and a phone, fit their width (French and Spanish run longer than
English) and are screenshotted to be looked at."""

import pytest

from backbone.demo.builder import PASSWORD
from tests.browser import screenshot, serious_accessibility_violations, sign_in
from tests.translations import compiled_catalogues

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SLUG = "riverton-cradle-to-career"
WIDTHS = {"desktop": 1366, "phone": 390}


@pytest.fixture(autouse=True)
def _catalogues():
    compiled_catalogues()


def fits(page, name: str) -> None:
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(150)
        screenshot(page, f"{name}-{label}")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1, f"{name} is {scroll}px wide on a {width}px {label}"
        # No text cut off: no element that clips its text is narrower than that text.
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => {
                const s = getComputedStyle(e);
                const clips = ['hidden', 'clip'].includes(s.overflowX)
                    || s.textOverflow === 'ellipsis';
                // A box of 1px that clips is the visually-hidden idiom: read out, not shown.
                return clips && e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1
                    && e.offsetParent !== null;
            }).map(e => e.outerHTML.slice(0, 80))"""
        )
        assert clipped == [], f"{name} on a {label} cuts off: {clipped}"


def test_a_resident_chooses_spanish_and_reads_the_public_scorecard(demo, page):
    page.goto(f"/i/{SLUG}/scorecard/?as=public")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Tablero de resultados", exact=True).is_visible()
    assert page.get_by_role("heading", name="Cambios notables").is_visible()
    assert page.get_by_role("columnheader", name="Avance hacia la meta").first.is_visible()
    assert page.get_by_role("link", name="Iniciar sesión").is_visible()
    assert page.get_by_label("Idioma").input_value() == "es"
    figures = page.locator("td.current strong").all_inner_texts()
    assert any("," in f and "\u202f%" in f for f in figures), figures  # 61,5 %
    assert serious_accessibility_violations(page) == []
    fits(page, "public-scorecard-es")

    page.goto("/")  # the choice holds on the next page
    assert page.get_by_role("link", name="Iniciar sesión").first.is_visible()
    fits(page, "landing-es")


def test_the_public_scorecard_and_home_page_in_french(demo, page):
    page.goto(f"/i/{SLUG}/scorecard/?as=public&lang=fr")
    assert page.get_by_role("heading", name="Tableau de bord", exact=True).is_visible()
    assert serious_accessibility_violations(page) == []
    fits(page, "public-scorecard-fr")

    sign_in(page, "maya.okafor@riverton.example", PASSWORD)
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Vos initiatives").is_visible()
    assert serious_accessibility_violations(page) == []
    fits(page, "home-fr")


def test_the_home_page_in_spanish(demo, page):
    sign_in(page, "maya.okafor@riverton.example", PASSWORD)
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Sus iniciativas").is_visible()
    assert page.get_by_role("link", name="Cerrar sesión").count() == 0  # a button, translated
    assert page.get_by_role("button", name="Cerrar sesión").is_visible()
    assert serious_accessibility_violations(page) == []
    fits(page, "home-es")
