"""Submissions: who sees which, the approval queue, the values with their history, and the
steps submit → approve or return."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.initiatives.roles import Role
from backbone.initiatives.services import membership_grant
from backbone.measurement.models import DataValue, Submission

from .conftest import BASE, enrolled_rows, send

pytestmark = pytest.mark.integration

LIST = f"{BASE}/submissions/"


def page(sub) -> str:
    return f"{BASE}/submissions/{sub.uuid}/"


def test_partners_see_only_their_own_submissions(cast, reporting, as_role):
    mine = send(cast, enrolled_rows(period="2024-01"))
    theirs = send(cast, enrolled_rows(period="2024-01"), partner="b")
    html = as_role("member_a").get(LIST).content.decode()
    assert page(mine) in html and page(theirs) not in html


def test_staff_see_every_submission_with_the_queue_first(cast, reporting, as_role):
    draft = send(cast, enrolled_rows(period="2024-01"), status="draft")
    waiting = send(cast, enrolled_rows(period="2024-01"), partner="b")
    html = as_role("staff").get(LIST).content.decode()
    assert html.index(page(waiting)) < html.index(page(draft))
    assert "1 report waits for approval" in html
    assert "Northside Food Bank" in html and "Riverton Public Library" in html


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("status=draft", {"a-draft"}),
        ("partner=northside-food-bank", {"b"}),
        ("channel=csv", {"a-draft", "b"}),
        ("channel=web", set()),
        ("", {"a-draft", "b"}),
    ],
)
def test_filters_narrow_the_list(cast, reporting, as_role, query, shown):
    subs = {
        "a-draft": send(cast, enrolled_rows(period="2024-01"), status="draft"),
        "b": send(cast, enrolled_rows(period="2024-01"), partner="b"),
    }
    html = as_role("evaluator").get(f"{LIST}?{query}").content.decode()
    assert {name for name, s in subs.items() if page(s) in html} == shown


def test_the_list_says_which_values_a_later_report_replaced(cast, reporting, as_role):
    send(cast, enrolled_rows(period="2024-01"), status="draft")
    send(cast, enrolled_rows(period="2024-01")[:1])
    html = as_role("steward_a").get(LIST).content.decode()
    assert "2 still current; the rest replaced by a later report" in html


def test_the_submission_page_shows_values_narrative_and_history(cast, reporting, as_role):
    first = send(cast, enrolled_rows(10, 20, period="2024-02"))
    second = send(
        cast,
        enrolled_rows(12, 20, period="2024-02"),
        by=cast.member_a,
    )
    Submission.objects.filter(pk=second.pk).update(narrative="Two more families in the north.")
    html = as_role("steward_a").get(page(second)).content.decode()
    assert "Riverton › North district" not in html  # groups read by name
    assert "North district" in html and "Total" in html
    assert "Two more families in the north." in html
    assert "Mo Member: 10 → 12" in html
    assert "Mo Member: 30 → 32" in html
    assert page(first) in html  # the previous submission
    assert "No changes" in html  # south did not change


def test_rates_show_with_numerator_and_denominator(cast, reporting, as_role):
    from backbone.measurement.intake import Reported

    sub = send(
        cast,
        [Reported("kindergarten-readiness", "SY2024-25", {}, numerator=30, denominator=60, row=1)],
    )
    html = as_role("steward_a").get(page(sub)).content.decode()
    assert "50% (30 / 60)" in html


def test_outliers_are_flagged_on_the_page(cast, reporting, as_role):
    sub = send(cast, enrolled_rows(period="2024-02"))
    DataValue.objects.filter(submission=sub, cell__key="").update(is_outlier=True)
    Submission.objects.filter(pk=sub.pk).update(outlier_count=1)
    html = as_role("staff").get(page(sub)).content.decode()
    assert '<span class="badge warn">Outlier</span>' in html
    assert "1 outlier flagged" in html


def test_staff_approve_and_the_values_follow(cast, reporting, as_role):
    sub = send(cast, enrolled_rows(period="2024-02"))
    client = as_role("staff")
    assert ">Approve<" in client.get(page(sub)).content.decode()
    response = client.post(f"{page(sub)}approve/")
    assert response.status_code == 302 and response["Location"] == page(sub)
    sub.refresh_from_db()
    assert sub.status == "approved" and sub.reviewed_by == cast.staff
    assert set(DataValue.objects.values_list("status", flat=True)) == {"approved"}


def test_returning_needs_a_comment(cast, reporting, as_role):
    sub = send(cast, enrolled_rows(period="2024-02"))
    client = as_role("staff")
    response = client.post(f"{page(sub)}return/", {"comment": "  "}, follow=True)
    assert "Nothing was changed: Say what needs fixing" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == "submitted"
    client.post(f"{page(sub)}return/", {"comment": "South is missing a school"})
    sub.refresh_from_db()
    assert (sub.status, sub.review_comment) == ("returned", "South is missing a school")
    html = as_role("steward_a").get(page(sub)).content.decode()
    assert "South is missing a school" in html and ">Submit for approval<" in html


def test_the_partner_submits_a_draft(cast, reporting, as_role):
    sub = send(cast, enrolled_rows(period="2024-02"), status="draft")
    client = as_role("member_a")
    assert ">Submit for approval<" in client.get(page(sub)).content.decode()
    client.post(f"{page(sub)}submit/")
    sub.refresh_from_db()
    assert sub.status == "submitted" and sub.submitted_at is not None


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("draft", "approve"),
        ("draft", "return"),
        ("approved", "approve"),
        ("returned", "approve"),
        ("approved", "return"),
    ],
)
def test_a_wrong_step_changes_nothing_and_says_why(cast, reporting, as_role, status, step):
    sub = send(cast, enrolled_rows(period="2024-02"), status=status)
    response = as_role("staff").post(f"{page(sub)}{step}/", {"comment": "x"}, follow=True)
    assert "Nothing was changed: Only a submitted report can be" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == status


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_only_a_draft_or_returned_report_can_be_submitted(cast, reporting, as_role, status):
    sub = send(cast, enrolled_rows(period="2024-02"), status=status)
    response = as_role("steward_a").post(f"{page(sub)}submit/", follow=True)
    assert "cannot be submitted" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == status


def test_staff_who_steward_the_partner_cannot_approve_its_values(cast, reporting, as_role):
    membership_grant(
        initiative=cast.initiative,
        person=cast.staff,
        role=Role.PARTNER_STEWARD,
        organisation=cast.org_a,
    )
    own = send(cast, enrolled_rows(period="2024-02"))
    other = send(cast, enrolled_rows(period="2024-02"), partner="b")
    client = as_role("staff")
    assert ">Approve<" not in client.get(page(own)).content.decode()
    assert client.post(f"{page(own)}approve/").status_code == 403
    assert client.post(f"{page(own)}return/", {"comment": "no"}).status_code == 403
    own.refresh_from_db()
    assert own.status == "submitted"
    assert client.post(f"{page(other)}approve/").status_code == 302


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["staff", "steward_a"])
def test_list_queries_do_not_grow_with_submissions(cast, reporting, as_role, role):
    send(cast, enrolled_rows(period="2024-01"))
    one = queries(as_role(role), LIST)
    send(cast, enrolled_rows(period="2024-02"), by=cast.member_a)
    send(cast, enrolled_rows(period="2024-03"), status="draft")
    assert queries(as_role(role), LIST) == one


def test_submission_page_queries_do_not_grow_with_values(cast, reporting, as_role):
    from backbone.measurement.intake import Reported

    def rows(n, value):
        return [
            Reported("open-cases", f"2024-0{m}", {}, value=value, row=m) for m in range(1, n + 1)
        ]

    send(cast, rows(1, 5))
    one_sub = send(cast, rows(1, 6))  # one value, with a change
    one = queries(as_role("staff"), page(one_sub))
    send(cast, rows(3, 5))
    three_sub = send(cast, rows(3, 7))  # three values, each with changes
    assert DataValue.objects.filter(submission=three_sub).count() == 3
    assert queries(as_role("staff"), page(three_sub)) == one


def test_the_overview_queries_do_not_grow_with_reports(cast, reporting, as_role):
    send(cast, enrolled_rows(period="2024-01"))
    one = queries(as_role("steward_a"), f"{BASE}/report/")
    send(cast, enrolled_rows(period="2024-02"), status="draft")
    send(cast, enrolled_rows(period="2024-03"))
    assert queries(as_role("steward_a"), f"{BASE}/report/") == one


def test_groups_read_in_the_indicators_order_of_dimensions(cast, reporting, as_role):
    from backbone.measurement.intake import Reported

    sub = send(
        cast,
        [
            Reported(
                "kindergarten-readiness",
                "SY2024-25",
                {"income": "low", "race": "black"},
                numerator=3,
                denominator=4,
                row=1,
            )
        ],
    )
    html = as_role("steward_a").get(page(sub)).content.decode()
    assert "<td>Black × Low income</td>" in html
