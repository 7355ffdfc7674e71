"""Questionnaires in the reader's language: the same questions, keys and results in each."""

from __future__ import annotations

import pytest
from django.utils import translation

from backbone.assessments.loader import QuestionnaireFileError, check
from backbone.assessments.models import Response
from backbone.assessments.scoring import items_of
from backbone.frameworks.selectors import framework_elements, framework_phase_name

from .conftest import answers_for, open_round

pytestmark = pytest.mark.integration


@pytest.fixture
def round_(cast, initiative, questionnaires):
    return open_round(initiative, questionnaires["conditions"])


def url(found):
    return f"/i/riverton/assessments/rounds/{found.uuid}/answer/"


def speaks(person, code):
    person.language = code
    person.save(update_fields=["language"])


def test_items_come_in_the_language_asked_with_the_same_keys(round_):
    data = round_.questionnaire_data
    english, spanish = items_of(data, "en"), items_of(data, "es")
    assert [i.key for i in english] == [i.key for i in spanish]
    assert english[0].text != spanish[0].text
    assert spanish[0].scale.points[3] == (4, "De acuerdo")
    assert items_of(data, "fr")[0].scale.label(1) == "Pas du tout d’accord"
    with translation.override("es"):
        assert items_of(data)[0].text == spanish[0].text
    assert items_of(data)[0].text == english[0].text  # English stays the default


def test_the_snapshot_keeps_every_language(round_):
    assert round_.questionnaire_data["name"]["fr"] == "Solidité des cinq conditions"
    assert round_.questionnaire.name == "Strength of the five conditions"


def test_framework_text_in_the_readers_language(initiative):
    framework = initiative.framework
    with translation.override("fr"):
        names = [e["name"] for e in framework_elements(framework, "conditions")]
        assert names[0] == "Programme commun"
        assert framework_phase_name(framework, "initiate_action") == "Lancer l’action"
    assert framework_elements(framework, "conditions")[0]["name"] == "Common agenda"
    assert framework_elements(framework, "conditions")[0]["key"] == "common_agenda"


def test_answer_page_in_spanish_shows_spanish_questions_and_scale(cast, as_role, round_):
    speaks(cast.steward_a, "es")
    page = as_role("steward_a").get(url(round_))
    spanish = items_of(round_.questionnaire_data, "es")
    english = items_of(round_.questionnaire_data, "en")
    assert page.status_code == 200
    assert spanish[0].text in page.text
    assert english[0].text not in page.text
    assert "4 — De acuerdo" in page.text
    assert "Agenda común" in page.text  # the element's name
    intro = round_.questionnaire_data["intro"]["es"]
    assert intro.split(";")[0] in page.text


def test_an_error_quotes_the_question_in_the_readers_language(cast, as_role, round_):
    speaks(cast.steward_a, "fr")
    response = as_role("steward_a").post(url(round_), answers_for(round_, communication_honest=9))
    assert response.status_code == 400
    item = next(
        i for i in items_of(round_.questionnaire_data, "fr") if i.key == "communication_honest"
    )
    assert item.text[:60] in response.text.replace("&#x27;", "'").replace("&rsquo;", "’")


def test_answers_in_spanish_and_english_land_in_the_same_results(cast, as_role, round_):
    speaks(cast.steward_a, "es")
    as_role("steward_a").post(url(round_), answers_for(round_, 5))
    as_role("member_a").post(url(round_), answers_for(round_, 3))
    answers = [r.answers for r in Response.objects.filter(round=round_)]
    assert len(answers) == 2
    assert (
        set(answers[0]) == set(answers[1]) == {i.key for i in items_of(round_.questionnaire_data)}
    )
    assert {a["communication_honest"] for a in answers} == {5, 3}


def test_loader_names_a_bad_mapping_in_a_questionnaire(questionnaires):
    data = dict(questionnaires["readiness"].data)
    data["items"] = [dict(data["items"][0], text={"en": "Fine", "it": "Bene", "fr": ""})]
    with pytest.raises(QuestionnaireFileError) as caught:
        check(data, "mine.yaml")
    lines = str(caught.value).splitlines()
    assert (
        "mine.yaml: items[0].text.it: unknown language 'it'; a text per language uses en, es or fr"
        in lines
    )
    assert "mine.yaml: items[0].text.fr: should not be empty" in lines


def test_a_label_too_long_in_one_language_is_named(questionnaires):
    data = dict(questionnaires["readiness"].data)
    scale = data["scales"]["agreement"]
    point = dict(scale["points"][0], label={"en": "Short", "es": "x" * 61})
    data["scales"] = {"agreement": dict(scale, points=[point, *scale["points"][1:]])}
    with pytest.raises(QuestionnaireFileError) as caught:
        check(data, "mine.yaml")
    assert (
        "mine.yaml: scales.agreement.points[0].label.es: is too long (at most 60 characters)"
        in str(caught.value).splitlines()
    )
