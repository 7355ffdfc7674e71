"""Who may open each reporting page and make each step, for every role of the cast.

Partners report for their own organisation only; another partner's values answer 404;
the backbone corrects and approves; evaluators read everything and change nothing."""

import pytest

from backbone.measurement.models import DataValue, Submission
from tests.conftest import ROLES

from .conftest import BASE, enrolled_rows, send

pytestmark = pytest.mark.integration

A = "?partner=riverton-public-library"
B = "?partner=northside-food-bank"
OUTSIDERS = {"public", "other_staff"}  # not members of a members-only initiative
NO_PARTNER_DATA = {"community", "funder"}
READ_ALL = {"staff", "evaluator"}
ORG_A = {"steward_a", "member_a"}


def expected(role, *, allowed, hidden=frozenset(), ok=200):
    """anonymous → sign in; outsiders → 404; hidden (another partner's data) → 404."""
    if role == "anonymous":
        return 302
    if role in OUTSIDERS or role in hidden:
        return 404
    return ok if role in allowed else 403


PAGES = [
    # (url, roles answered 200, roles answered 404 beyond the outsiders)
    ("/report/", ORG_A | READ_ALL | {"steward_b"}, set()),
    (f"/report/{A}", ORG_A | READ_ALL, {"steward_b"}),
    (f"/report/{B}", READ_ALL | {"steward_b"}, ORG_A),
    (f"/report/children-enrolled/2024-02/{A}", ORG_A | READ_ALL, {"steward_b"}),
    (f"/report/kindergarten-readiness/SY2024-25/{A}", ORG_A | READ_ALL, {"steward_b"}),
    (f"/report/families-served/2021/{A}", ORG_A | READ_ALL, {"steward_b"}),
    ("/submissions/", ORG_A | READ_ALL | {"steward_b"}, set()),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "allowed", "hidden"), PAGES)
def test_page_access_matches_role(cast, reporting, as_role, role, url, allowed, hidden):
    response = as_role(role).get(BASE + url)
    assert response.status_code == expected(role, allowed=allowed, hidden=hidden)


@pytest.mark.parametrize("role", ROLES)
def test_submission_page_of_org_a(cast, reporting, as_role, role):
    sub = send(cast, enrolled_rows(period="2024-02"))
    response = as_role(role).get(f"{BASE}/submissions/{sub.uuid}/")
    assert response.status_code == expected(role, allowed=ORG_A | READ_ALL, hidden={"steward_b"})


@pytest.mark.parametrize("role", ROLES)
def test_a_submission_of_another_initiative_is_not_found(cast, reporting, as_role, role):
    sub = send(cast, enrolled_rows(period="2024-02"))
    Submission.objects.filter(pk=sub.pk).update(initiative=cast.other_initiative)
    response = as_role(role).get(f"{BASE}/submissions/{sub.uuid}/")
    assert response.status_code == expected(
        role, allowed=set(), hidden=ORG_A | READ_ALL | {"steward_b"}
    )


@pytest.mark.parametrize("role", ROLES)
def test_reporting_org_a_values_on_the_web(cast, reporting, as_role, role):
    response = as_role(role).post(
        f"{BASE}/report/children-enrolled/2024-02/{A}",
        {"action": "submit", "c2_value": "4", "c3_value": "6", "reason": "Recount"},
    )
    written = DataValue.objects.filter(partner=cast.partner_a).exists()
    writers = ORG_A | {"staff"}  # staff: as a logged correction
    assert written == (role in writers)
    assert response.status_code == expected(role, allowed=writers, hidden={"steward_b"}, ok=302)
    if role == "staff":
        assert Submission.objects.get().channel == "correction"


@pytest.mark.parametrize("role", ROLES)
def test_nobody_reports_into_a_closed_period_but_the_backbone(cast, reporting, as_role, role):
    response = as_role(role).post(
        f"{BASE}/report/families-served/2021/{A}",
        {"action": "submit", "c1_value": "4", "reason": "Late file"},
    )
    assert DataValue.objects.exists() == (role == "staff")
    assert response.status_code == expected(role, allowed={"staff"}, hidden={"steward_b"}, ok=302)


@pytest.mark.parametrize("role", ROLES)
def test_submitting_org_a_draft(cast, reporting, as_role, role):
    sub = send(cast, enrolled_rows(period="2024-02"), status="draft")
    response = as_role(role).post(f"{BASE}/submissions/{sub.uuid}/submit/")
    sub.refresh_from_db()
    assert (sub.status == "submitted") == (role in ORG_A)
    assert response.status_code == expected(role, allowed=ORG_A, hidden={"steward_b"}, ok=302)


@pytest.mark.parametrize("step", ["approve", "return"])
@pytest.mark.parametrize("role", ROLES)
def test_reviewing_org_a_submission(cast, reporting, as_role, role, step):
    sub = send(cast, enrolled_rows(period="2024-02"))
    response = as_role(role).post(
        f"{BASE}/submissions/{sub.uuid}/{step}/", {"comment": "Please check south"}
    )
    sub.refresh_from_db()
    assert (sub.status != "submitted") == (role == "staff")
    assert response.status_code == expected(role, allowed={"staff"}, hidden={"steward_b"}, ok=302)


@pytest.mark.parametrize("role", ROLES)
def test_review_buttons_show_only_to_those_who_may_review(cast, reporting, as_role, role):
    sub = send(cast, enrolled_rows(period="2024-02"))
    response = as_role(role).get(f"{BASE}/submissions/{sub.uuid}/")
    html = response.content.decode() if response.status_code == 200 else ""
    assert (">Approve<" in html) == (role == "staff")
    assert (">Return with comment<" in html) == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_get_on_a_step_changes_nothing(cast, reporting, as_role, role):
    sub = send(cast, enrolled_rows(period="2024-02"))
    response = as_role(role).get(f"{BASE}/submissions/{sub.uuid}/approve/")
    sub.refresh_from_db()
    assert response.status_code == 405 and sub.status == "submitted"
