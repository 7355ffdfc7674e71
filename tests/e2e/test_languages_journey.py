"""A resident who reads Spanish, in a real browser: signed out, she picks Español with the
switcher and reads the public scorecard in Spanish, figures written the Spanish way, with no
serious accessibility violation. The public scorecard and the home page, in Spanish and in
French, on a desktop and a phone, fit their width (French and Spanish run longer than
English) and are screenshotted to be looked at. A partner steward who reads French reports
a value on the web form, meets a validation error in French, corrects it and submits. A
resident who reads Spanish comments on the common agenda and on an update and answers a survey
round, meeting no English word but those the initiative wrote; a resident who reads French does
the same."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from backbone.agenda.models import AgendaVersion, AgreedAction, Comment, Goal, Strategy
from backbone.assessments import services as assessments
from backbone.assessments.models import Questionnaire, Respondent, Round
from backbone.assessments.scoring import items_of
from backbone.communication.models import Decision, Meeting
from backbone.demo.builder import PASSWORD
from backbone.initiatives.models import Initiative
from backbone.initiatives.roles import Role
from backbone.measurement.models import Submission
from backbone.updates.models import Update, UpdateComment
from tests.browser import ARTIFACTS, screenshot, serious_accessibility_violations, sign_in
from tests.e2e.test_measurement_journey import reporting  # noqa: F401 - a fixture
from tests.translations import ALSO_IN, ENGLISH_WORDS, compiled_catalogues

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


# The page's text, as read out: hidden and visually-hidden text too, scripts not.
PAGE_TEXT = """(skip) => {
    const body = document.body.cloneNode(true);
    body.querySelectorAll('script, style, template' + (skip ? ', ' + skip : ''))
        .forEach(e => e.remove());
    return body.textContent;
}"""


def english_on(page, written=(), skip: str = "") -> list[str]:
    """English words on the page once what the initiative wrote is set aside: the strings in
    `written` (titles, names, questions) and the elements `skip` selects (texts it wrote)."""
    text = " ".join(page.evaluate(PAGE_TEXT, skip).split())
    english = ENGLISH_WORDS - ALSO_IN.get(page.locator("html").get_attribute("lang") or "", set())
    for piece in sorted({" ".join(str(w).split()) for w in written if w}, key=len, reverse=True):
        text = text.replace(piece, " ")
    # Each English word with the text around it, to find where it stands.
    return sorted(
        {
            f"{m[0]}: …{text[max(m.start() - 40, 0) : m.end() + 40]}…"
            for m in re.finditer(r"[^\W\d_]+", text)
            if m[0].lower() in english
        }
    )


def written_by(initiative: Initiative) -> list[str]:
    """What the demo initiative wrote that its pages show: titles, names, texts."""
    people = [p for u in Update.objects.filter(initiative=initiative) for p in [u.author]]
    people += [c.author for c in UpdateComment.objects.filter(update__initiative=initiative)]
    people += [c.author for c in Comment.objects.all()]
    return [
        initiative.name,
        *(str(p) for p in people if p),
        *Goal.objects.values_list("title", flat=True),
        *Strategy.objects.values_list("title", flat=True),
        *AgreedAction.objects.values_list("title", flat=True),
        *AgendaVersion.objects.values_list("note", flat=True),
        *Update.objects.filter(initiative=initiative).values_list("title", flat=True),
        *Meeting.objects.values_list("title", flat=True),
        *(str(m.group.name) for m in Meeting.objects.exclude(group=None)),
        *Decision.objects.values_list("decided_by", flat=True),
        *(p.organisation.name for p in initiative.partners.select_related("organisation")),
    ]


def survey_for_residents(initiative: Initiative, title: str):
    """An open round of the conditions questionnaire, asking the community members."""
    today = timezone.localdate()
    return assessments.round_open(
        initiative=initiative,
        questionnaire=Questionnaire.objects.get(slug="conditions"),
        opens_on=today - timedelta(days=2),
        closes_on=today + timedelta(days=12),
        roles=[Role.COMMUNITY_MEMBER],
        title=title,
    )


def questionnaire_text(initiative: Initiative, found) -> list[str]:
    """What the initiative wrote for its rounds: their titles, stored as written (a default
    title is made once, in the language of whoever opened the round). The questionnaire's own
    words (questions, scale points, intro, element names) are translated, so the no-English
    check covers them. An error quotes a question with its key, an identifier like a slug."""
    titles = Round.objects.filter(initiative=initiative).values_list("title", flat=True)
    return [*titles, *(f"({item.key})" for item in items_of(found.questionnaire_data))]


def choose_language(page, code: str) -> None:
    page.get_by_label("Language").select_option(code)
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state("networkidle")


def look(page, name: str, written=(), skip: str = "") -> None:
    """No English, no serious accessibility violation, and the page fits a desktop and a
    phone (screenshotted at both)."""
    english = english_on(page, written, skip)
    assert english == [], f"{name}:\n" + "\n".join(english)
    assert serious_accessibility_violations(page) == []
    fits(page, name)
    page.set_viewport_size({"width": 1366, "height": 900})


# What the initiative wrote that the page shows in its own elements.
AGENDA_TEXTS = ".rich"
UPDATE_TEXTS = "article.card > p:not([class]), article > div.card, .comments li > p:not([class])"
SURVEY_TEXTS = ".answer legend, .answer .options, .answer h2, .answer .help, .answer label"


def resident_journey(page, initiative, *, language: str, t: dict) -> None:
    """A community member, reading `language`, comments on the common agenda, comments on an
    update and answers a survey round; `t` holds the words she meets."""
    written = written_by(initiative)
    found = survey_for_residents(initiative, t["round"])
    survey = questionnaire_text(initiative, found)

    page.goto(f"/i/{SLUG}/agenda/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("heading", name=t["agenda"], exact=True).is_visible()
    look(page, f"i18n/resident-agenda-{language}", written, AGENDA_TEXTS)
    goal = Goal.objects.filter(initiative=initiative).first()
    article = page.locator(f"#goal-{goal.uuid}")
    article.locator("summary").first.click()
    said = t["said_agenda"]
    article.get_by_role("textbox", name=t["comment_goal"]).first.fill(said)
    article.get_by_role("button", name=t["post"]).first.click()
    page.get_by_text(said).wait_for()
    assert Comment.objects.filter(goal=goal, body__contains=said).exists()
    assert english_on(page, [*written, said], AGENDA_TEXTS) == []

    page.goto(f"/i/{SLUG}/agenda/goals/{goal.uuid}/comments/")
    assert page.get_by_role("link", name=t["back_agenda"]).is_visible()
    look(page, f"i18n/resident-agenda-comments-{language}", [*written, said], AGENDA_TEXTS)

    page.goto(f"/i/{SLUG}/updates/")
    assert page.get_by_role("heading", name=t["updates"], exact=True).is_visible()
    look(page, f"i18n/resident-updates-{language}", written, UPDATE_TEXTS)
    page.get_by_role("link", name="Summer reading: partners wanted").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name=t["post"]).click()  # nothing written: refused, in language
    page.get_by_text(t["write_first"]).wait_for()
    said = t["said_update"]
    page.get_by_role("textbox", name=t["comment_update"]).fill(said)
    page.get_by_role("button", name=t["post"]).click()
    page.get_by_text(said).wait_for()
    assert UpdateComment.objects.filter(body=said).exists()
    look(page, f"i18n/resident-update-{language}", [*written, said], UPDATE_TEXTS)

    page.goto(f"/i/{SLUG}/assessments/")
    page.get_by_role("link", name=t["answer_now"]).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name=t["round"]).is_visible()
    look(page, f"i18n/resident-survey-{language}", [*written, *survey], SURVEY_TEXTS)
    page.get_by_role("button", name=t["send"]).click()  # nothing chosen: each question says so
    page.wait_for_load_state("networkidle")
    assert t["choose"] in page.get_by_role("alert").first.inner_text()
    look(page, f"i18n/resident-survey-problems-{language}", [*written, *survey], SURVEY_TEXTS)
    for item in items_of(found.questionnaire_data, language):
        if item.type == "scale":
            page.get_by_role("group", name=item.text).get_by_label(
                f"4 — {item.scale.label(4)}"
            ).check()
        else:
            page.get_by_label(item.text).fill(t["said_survey"])
    page.get_by_role("button", name=t["send"]).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(t["thanks"]).is_visible()
    assert Respondent.objects.get(round=found, person__email=t["email"]).answered_at
    look(page, f"i18n/resident-survey-answered-{language}", [*written, *survey])

    page.goto(f"/i/{SLUG}/assessments/")
    assert page.get_by_text(t["you_answered"]).first.is_visible()
    look(page, f"i18n/resident-rounds-{language}", [*written, *survey])


def test_a_spanish_resident_comments_and_answers_a_survey(demo, page):
    (ARTIFACTS / "i18n").mkdir(parents=True, exist_ok=True)
    email = "rosa.delgado@riverton.example"
    sign_in(page, email, PASSWORD)
    choose_language(page, "es")
    spanish = {
        "email": email,
        "round": "¿Cómo vamos? Encuesta a residentes",
        "agenda": "Agenda común",
        "comment_goal": "Comentar este objetivo",
        "post": "Publicar el comentario",
        "said_agenda": "Las familias del barrio norte quieren más plazas de preescolar.",
        "back_agenda": "Volver a la agenda común",
        "updates": "Novedades",
        "write_first": "Escriba primero un comentario.",
        "comment_update": "Comentar esta novedad",
        "said_update": "Nuestra asociación de inquilinos puede ofrecer un rincón de lectura.",
        "answer_now": "Responder ahora",
        "send": "Enviar mis respuestas",
        "choose": "elija una respuesta.",
        "said_survey": "Más reuniones por la tarde, por favor.",
        "thanks": "Gracias: sus respuestas quedaron registradas.",
        "you_answered": "Ya respondió",
    }
    resident_journey(page, demo, language="es", t=spanish)


def test_a_french_resident_comments_and_answers_a_survey(demo, page):
    (ARTIFACTS / "i18n").mkdir(parents=True, exist_ok=True)
    email = "jordan.reyes@riverton.example"
    sign_in(page, email, PASSWORD)
    choose_language(page, "fr")
    french = {
        "email": email,
        "round": "Où en sommes-nous ? Questionnaire aux habitants",
        "agenda": "Programme commun",
        "comment_goal": "Commenter cet objectif",
        "post": "Publier le commentaire",
        "said_agenda": "Les familles du quartier nord veulent plus de places en maternelle.",
        "back_agenda": "Retour au programme commun",
        "updates": "Actualités",
        "write_first": "Écrivez d’abord un commentaire.",
        "comment_update": "Commenter cette actualité",
        "said_update": "Notre association de locataires peut accueillir un coin lecture.",
        "answer_now": "Répondre maintenant",
        "send": "Envoyer mes réponses",
        "choose": "veuillez choisir une réponse.",
        "said_survey": "Plus de réunions en soirée, s’il vous plaît.",
        "thanks": "Merci\u00a0: vos réponses sont enregistrées.",
        "you_answered": "Vous avez répondu",
    }
    resident_journey(page, demo, language="fr", t=french)


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
