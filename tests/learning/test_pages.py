"""The learning pages: the log newest first and filtered, forms that refuse what does not fit,
and the same number of queries for one item as for several."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.learning.models import LearningQuestion, LogEntry, PlanItem

from .conftest import make_entry, make_plan_item, make_question

pytestmark = pytest.mark.integration

BASE = "/i/riverton/learning/"


def entry_data(**extra):
    return {
        "happened_on": "2025-02-03",
        "title": "Text reminders before school",
        "tried": "A text to families the evening before",
        "data_showed": "Chronic absence fell from 21% to 17% in the pilot schools",
        "changed": "All four schools send them from March",
        **extra,
    }


def test_partner_adds_an_entry_linked_to_an_indicator(as_role, cast, here):
    response = as_role("member_a").post(
        BASE + "log/new/",
        entry_data(indicators=[here.indicator.pk], meetings=[here.meeting.pk]),
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get()
    assert (entry.author, list(entry.indicators.all()), list(entry.meetings.all())) == (
        cast.member_a,
        [here.indicator],
        [here.meeting],
    )
    page = as_role("funder").get(response.url).text
    assert "Chronic absence fell from 21% to 17%" in page
    assert here.indicator.name in page and here.meeting.title in page


@pytest.mark.parametrize(
    "field", ["indicators", "activities", "meetings", "proposals", "questions"]
)
def test_form_refuses_a_link_to_another_initiative(as_role, here, there, field):
    attr = {
        "indicators": "indicator",
        "activities": "activity",
        "meetings": "meeting",
        "proposals": "proposal",
        "questions": "question",
    }[field]
    response = as_role("staff").post(
        BASE + "log/new/", entry_data(**{field: [getattr(there, attr).pk]})
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not LogEntry.objects.exists()


def test_form_does_not_offer_a_private_meeting_to_outsiders_of_its_group(as_role, here):
    form = as_role("member_a").get(BASE + "log/new/").text
    assert here.meeting.title in form and here.private_meeting.title not in form
    response = as_role("member_a").post(
        BASE + "log/new/", entry_data(meetings=[here.private_meeting.pk])
    )
    assert "Select a valid choice" in response.text
    assert not LogEntry.objects.exists()
    assert here.private_meeting.title in as_role("steward_b").get(BASE + "log/new/").text


def test_editing_keeps_links_the_editor_may_not_see(as_role, cast, here):
    entry = make_entry(
        cast.initiative, by=cast.member_a, meetings=[here.meeting, here.private_meeting]
    )
    response = as_role("member_a").post(
        BASE + f"log/{entry.uuid}/edit/", entry_data(meetings=[here.meeting.pk])
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Text reminders before school"
    assert set(entry.meetings.all()) == {here.meeting, here.private_meeting}


def test_entry_in_the_future_shows_the_error_and_saves_nothing(as_role):
    response = as_role("steward_a").post(BASE + "log/new/", entry_data(happened_on="2999-01-01"))
    assert "the date cannot be in the future" in response.text
    assert not LogEntry.objects.exists()


def test_entry_missing_what_the_data_showed_is_refused(as_role):
    response = as_role("steward_a").post(BASE + "log/new/", entry_data(data_showed=""))
    assert response.status_code == 200 and "This field is required" in response.text
    assert not LogEntry.objects.exists()


def test_log_lists_newest_first(as_role, cast):
    for day in (date(2025, 1, 5), date(2025, 3, 5), date(2024, 11, 5)):
        make_entry(cast.initiative, title=f"On {day:%Y-%m-%d}", on=day)
    page = as_role("community").get(BASE + "log/").text
    titles = ["On 2025-03-05", "On 2025-01-05", "On 2024-11-05"]
    assert sorted(titles, key=page.index) == titles
    assert "3 entries." in page


@pytest.mark.parametrize("by", ["indicator", "activity", "question"])
def test_log_filters_by_indicator_activity_or_question(as_role, cast, here, by):
    links = {
        "indicator": ("indicators", here.indicator),
        "activity": ("activities", here.activity),
        "question": ("questions", here.question),
    }
    field, obj = links[by]
    make_entry(cast.initiative, title="Linked entry", **{field: [obj]})
    make_entry(cast.initiative, title="Other entry")
    page = as_role("member_a").get(BASE + "log/", {by: str(obj.uuid)}).text
    assert "Linked entry" in page and "Other entry" not in page
    assert "1 entry linked to what you chose." in page


def test_log_filter_with_an_unknown_choice_says_so_and_shows_all(as_role, cast, there):
    make_entry(cast.initiative, title="Here")
    page = as_role("staff").get(BASE + "log/", {"indicator": str(there.indicator.uuid)}).text
    assert "Select a valid choice" in page and "Here" in page


def test_funder_is_not_offered_indicators_kept_from_funders(as_role, here):
    page = as_role("funder").get(BASE + "log/").text
    assert here.indicator.name in page and here.hidden_indicator.name not in page


def test_question_form_refuses_answered_without_answer(as_role):
    response = as_role("evaluator").post(
        BASE + "questions/new/", {"text": "Do mentors help?", "status": "answered"}
    )
    assert "An answered question needs its answer." in response.text
    assert "needs the date it was answered" in response.text
    assert not LearningQuestion.objects.exists()


def test_question_page_shows_answer_plan_and_log(as_role, cast, here):
    q = make_question(
        cast.initiative,
        text="Do mentors help?",
        status="answered",
        answer="Yes: attendance rose",
        answered_on=date(2025, 4, 1),
        owner=cast.evaluator,
    )
    make_plan_item(cast.initiative, title="Mentor pilot review", questions=[q])
    make_entry(cast.initiative, title="Mentors in two schools", questions=[q])
    page = as_role("community").get(BASE + f"questions/{q.uuid}/").text
    for text in [
        "Yes: attendance rose",
        "Mentor pilot review",
        "Mentors in two schools",
        "Eve Evaluator",
        "1 April 2025",
    ]:
        assert text in page
    listing = as_role("community").get(BASE).text
    assert "1 open, 1 answered, of 2 questions." in listing


def test_plan_form_refuses_a_question_of_another_initiative(as_role, there):
    response = as_role("staff").post(
        BASE + "plan/new/",
        {
            "title": "x",
            "stage": "early",
            "evaluation_type": "formative",
            "questions": [there.question.pk],
        },
    )
    assert "Select a valid choice" in response.text
    assert not PlanItem.objects.exists()


def test_plan_page_is_a_stage_by_type_table_with_the_questions(as_role, cast, here):
    make_plan_item(
        cast.initiative,
        title="Summer reading review",
        stage="middle",
        evaluation_type="summative",
        questions=[here.question],
        evaluator="Samuel",
        timing="Each September",
        method="Compare spring and autumn scores",
    )
    page = as_role("funder").get(BASE + "plan/").text
    body = page[page.index("<tbody>") :]
    middle = body[body.index("Middle years") : body.index("Later years")]
    cells = middle.split("<td>")[1:]
    assert "Summer reading review" in cells[2] and here.question.text in cells[2]
    assert "Nothing planned" in cells[0] and "Nothing planned" in cells[1]
    assert "By Samuel · Each September" in cells[2]


def count(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def grow(cast, here, n):
    for k in range(n):
        q = make_question(cast.initiative, text=f"Question {n}-{k}", owner=cast.evaluator)
        make_plan_item(
            cast.initiative,
            title=f"Item {n}-{k}",
            questions=[q, here.question],
            stage=["early", "middle", "later"][k % 3],
        )
        make_entry(
            cast.initiative,
            by=cast.member_a,
            title=f"Entry {n}-{k}",
            indicators=[here.indicator, here.hidden_indicator],
            activities=[here.activity],
            meetings=[here.meeting, here.private_meeting],
            proposals=[here.proposal],
            questions=[q],
        )


@pytest.mark.parametrize("path", ["", "plan/", "log/", "log/new/"])
def test_pages_cost_the_same_queries_for_one_item_as_for_three(as_role, cast, here, path):
    client = as_role("steward_a")
    grow(cast, here, 1)
    one = count(client, BASE + path)
    grow(cast, here, 2)
    assert count(client, BASE + path) == one


def test_questions_list_open_first_then_answered(as_role, cast):
    make_question(
        cast.initiative,
        text="First answered",
        status="answered",
        answer="Yes",
        answered_on=date(2025, 1, 1),
    )
    make_question(cast.initiative, text="Then open")
    make_question(cast.initiative, text="Open later")
    page = as_role("community").get(BASE).text
    order = ["Then open", "Open later", "First answered"]
    assert sorted(order, key=page.index) == order
