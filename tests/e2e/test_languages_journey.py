"""A resident who reads Spanish, in a real browser: signed out, she picks Español with the
switcher and reads the public scorecard in Spanish, figures written the Spanish way, with no
serious accessibility violation. The public scorecard and the home page, in Spanish and in
French, on a desktop and a phone, fit their width (French and Spanish run longer than
English) and are screenshotted to be looked at. A partner steward who reads French reports
a value on the web form, meets a validation error in French, corrects it and submits."""

import pytest

from backbone.demo.builder import PASSWORD
from backbone.measurement.models import Submission
from tests.browser import ARTIFACTS, screenshot, serious_accessibility_violations, sign_in
from tests.e2e.test_measurement_journey import reporting  # noqa: F401 - a fixture
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


def test_a_french_partner_steward_reports_corrects_and_submits(reporting, page):  # noqa: F811
    """Everything on the way is in French: the reporting page, the form, the problem found
    and where it is, the submission page and its message."""
    (ARTIFACTS / "i18n").mkdir(parents=True, exist_ok=True)
    base = "/i/riverton/measurement"
    sign_in(page, reporting.steward_a.email, "correct horse battery")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state("networkidle")

    page.goto(f"{base}/report/")
    assert page.get_by_role("heading", name="Déclaration des données", exact=True).is_visible()
    assert page.get_by_text("Non déclaré").first.is_visible()
    assert serious_accessibility_violations(page) == []
    fits(page, "i18n/steward-reporting-fr")

    page.goto(f"{base}/report/children-enrolled/2024-02/")
    assert page.get_by_text("Comment cet indicateur est mesuré").is_visible()
    page.get_by_role("textbox", name="Riverton › North district Valeur").fill("douze")
    page.get_by_role("textbox", name="Riverton › South district Valeur").fill("8")
    page.get_by_role("textbox", name="Total Valeur").fill("20")
    page.get_by_role("button", name="Transmettre", exact=True).click()
    page.wait_for_load_state("networkidle")
    alert = page.get_by_role("alert").inner_text()
    assert "Rien n’a été enregistré. 1 problème à corriger" in alert
    assert "un nombre était attendu, et non 'douze'" in alert
    assert not Submission.objects.exists()
    assert serious_accessibility_violations(page) == []
    fits(page, "i18n/steward-form-problem-fr")

    page.get_by_role("textbox", name="Riverton › North district Valeur").fill("12")
    page.get_by_role("button", name="Transmettre", exact=True).click()
    page.wait_for_load_state("networkidle")
    heading = "Transmission de Riverton Public Library"
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.get_by_text("Transmis pour approbation.").is_visible()
    assert page.get_by_role("columnheader", name="Historique").is_visible()
    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    assert serious_accessibility_violations(page) == []
    fits(page, "i18n/steward-submission-fr")

    page.goto(f"{base}/files/upload/")
    assert page.get_by_role("heading", name="Téléverser des valeurs").is_visible()
    assert serious_accessibility_violations(page) == []
    fits(page, "i18n/steward-upload-fr")
