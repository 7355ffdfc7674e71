"""Who may open each page, bad input refused with a field error, and query counts that do
not grow with the data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backbone.workplan.models import BackboneTask, EffortEntry, Funder, Grant
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

READERS = {"community", "member_a", "steward_a", "steward_b", "funder", "evaluator", "staff"}
FUNDING = {"funder", "evaluator", "staff"}
GRANTS = {"evaluator", "staff"}
STAFF = {"staff"}
OUTSIDERS = {"public", "other_staff"}


@pytest.fixture
def task(cast, roles):
    return BackboneTask.objects.create(
        initiative=cast.initiative, title="Brief the board", owner=cast.staff, role=roles[4]
    )


@pytest.fixture
def grant(cast, roles):
    funder = Funder.objects.create(
        initiative=cast.initiative, name="Library Friends", organisation=cast.org_a
    )
    return Grant.objects.create(
        initiative=cast.initiative,
        funder=funder,
        title="Reading grant",
        amount=Decimal(1000),
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        status="committed",
        private_note="Board is wavering",
    )


def pages(task, grant):
    return [
        ("plan", [], READERS),
        ("effort", [], READERS),
        ("task_create", [], STAFF),
        ("task_edit", [task.uuid], STAFF),
        ("effort_log", [task.uuid], STAFF),
        ("funding", [], FUNDING),
        ("grants", [], GRANTS),
        ("grant_create", [], STAFF),
        ("grant_edit", [grant.uuid], STAFF),
        ("funder_create", [], STAFF),
        ("budget_set", [], STAFF),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_the_rules_say(cast, as_role, task, grant, role):
    client = as_role(role)
    for name, args, allowed in pages(task, grant):
        response = client.get(reverse(f"workplan:{name}", args=["riverton", *args]))
        if role == "anonymous":
            expected = 302
        elif role in OUTSIDERS:
            expected = 404
        else:
            expected = 200 if role in allowed else 403
        assert response.status_code == expected, (name, role)


def test_only_backbone_staff_see_the_private_note(cast, as_role, grant):
    url = reverse("workplan:grants", args=["riverton"])
    assert "Board is wavering" not in as_role("evaluator").get(url).content.decode()
    assert "Board is wavering" in as_role("staff").get(url).content.decode()
    funding = as_role("funder").get(reverse("workplan:funding", args=["riverton"]))
    assert "Board is wavering" not in funding.content.decode()
    assert "Reading grant" not in funding.content.decode()


def test_a_funder_sees_its_own_organisations_grants_and_never_a_private_note(cast, grant):
    from backbone.initiatives import services
    from backbone.initiatives.roles import Role
    from tests.conftest import client_as, make_person

    other = Funder.objects.create(initiative=cast.initiative, name="Bank", organisation=cast.org_b)
    Grant.objects.create(
        initiative=cast.initiative,
        funder=other,
        title="Bank grant",
        amount=Decimal(9000),
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        status="asked",
        private_note="Ask again in spring",
    )
    friend = make_person("friend@example.org", "Fay Friend")
    services.membership_grant(
        initiative=cast.initiative, person=friend, role=Role.FUNDER, organisation=cast.org_a
    )
    url = reverse("workplan:grants", args=["riverton"])
    page = client_as(friend).get(url).content.decode()
    assert "Reading grant" in page and "Your organisation" in page
    assert "Bank grant" not in page
    assert "Board is wavering" not in page and "Ask again in spring" not in page
    # A funder's membership without an organisation still sees no grant list at all.
    assert client_as(cast.funder).get(url).status_code == 403
    # Backbone staff see every grant.
    assert "Bank grant" in client_as(cast.staff).get(url).content.decode()


def test_a_funder_reads_no_figure_of_another_funders_grant(cast, grant):
    """The funding page and the funder report sum the reader's own grants only: with one grant
    of another funder in a status or a year, no figure on the page is its amount."""
    from backbone.initiatives import services
    from backbone.initiatives.roles import Role
    from backbone.workplan.models import BudgetYear
    from tests.conftest import client_as, make_person

    other = Funder.objects.create(initiative=cast.initiative, name="Bank", organisation=cast.org_b)
    for title, amount, status in (
        ("Bank pledge", 240017, "committed"),
        ("Bank ask", 9013, "asked"),
    ):
        Grant.objects.create(
            initiative=cast.initiative,
            funder=other,
            title=title,
            amount=Decimal(amount),
            starts_on=date(2025, 1, 1),
            ends_on=date(2025, 12, 31),
            status=status,
        )
    BudgetYear.objects.create(
        initiative=cast.initiative, year=2025, currency="USD", amount_needed=Decimal(500000)
    )
    friend = make_person("friend@example.org", "Fay Friend")
    services.membership_grant(
        initiative=cast.initiative, person=friend, role=Role.FUNDER, organisation=cast.org_a
    )
    url = reverse("workplan:funding", args=["riverton"])
    page = client_as(friend).get(url).content.decode()
    # Every sum another funder's grants could show: alone, with ours, and the budget's rest.
    secrets = {240017, 9013, 240017 + 1000, 9013 + 1000, 500000 - 240017 - 1000}
    assert not any(f in page for n in secrets for f in written(n)), page
    assert "USD\u00a01,000" in page and "by your organisation" in page
    staff = client_as(cast.staff).get(url).content.decode()
    assert "USD\u00a0241,017" in staff and "USD\u00a09,013" in staff
    # A funder's person acting for no organisation reads no grant's figure at all.
    bare = client_as(cast.funder).get(url).content.decode()
    assert not any(f in bare for n in secrets | {1000} for f in written(n))


def written(n: int) -> tuple[str, str]:
    """A whole amount as a page could write it: plain, and grouped as the pages write money."""
    return str(n), f"{n:,}"


def _grant_post(cast, grant, **changes):
    data = {
        "funder": grant.funder.pk,
        "title": "New grant",
        "amount": "500",
        "currency": "usd",
        "starts_on": "2025-01-01",
        "ends_on": "2025-06-30",
        "status": "asked",
        "funds": "backbone",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": "2024-12-31"}, "ends_on", "cannot end before it starts"),
        ({"amount": "-1"}, "amount", "cannot be negative"),
        ({"funds": "strategy"}, "strategy", "Choose the strategy"),
    ],
)
def test_bad_grant_is_a_field_error_and_nothing_is_saved(
    cast, as_role, grant, changes, field, message
):
    response = as_role("staff").post(
        reverse("workplan:grant_create", args=["riverton"]), _grant_post(cast, grant, **changes)
    )
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert Grant.objects.count() == 1


def test_staff_add_a_grant_with_the_currency_upper_cased(cast, as_role, grant):
    response = as_role("staff").post(
        reverse("workplan:grant_create", args=["riverton"]), _grant_post(cast, grant)
    )
    assert response.status_code == 302
    assert Grant.objects.get(title="New grant").currency == "USD"


def test_task_owner_must_be_backbone_staff(cast, as_role, roles):
    response = as_role("staff").post(
        reverse("workplan:task_create", args=["riverton"]),
        {
            "title": "Sort the files",
            "role": roles[0],
            "owner": cast.evaluator.pk,
            "status": "planned",
        },
    )
    assert "owner" in response.context["form"].errors
    assert not BackboneTask.objects.exists()


def test_staff_log_effort_and_bad_hours_are_refused(cast, as_role, task):
    url = reverse("workplan:effort_log", args=["riverton", task.uuid])
    bad = as_role("staff").post(url, {"worked_on": "2025-01-02", "hours": "0"})
    assert "hours" in bad.context["form"].errors
    assert not EffortEntry.objects.exists()
    good = as_role("staff").post(url, {"worked_on": "2025-01-02", "hours": "2.5", "note": "x"})
    assert good.status_code == 302
    entry = EffortEntry.objects.get()
    assert (entry.person, entry.hours) == (cast.staff, Decimal("2.5"))


def _make(cast, roles, n):
    funder = Funder.objects.create(initiative=cast.initiative, name=f"Funder {n}")
    for k in range(n):
        task = BackboneTask.objects.create(
            initiative=cast.initiative, title=f"T{n}-{k}", owner=cast.staff, role=roles[k % 6]
        )
        EffortEntry.objects.create(
            task=task, person=cast.staff, worked_on=date(2025, 1, 1), hours=Decimal(1)
        )
        Grant.objects.create(
            initiative=cast.initiative,
            funder=funder,
            title=f"G{n}-{k}",
            amount=Decimal(10),
            starts_on=date(2024, 6, 1),
            ends_on=date(2025, 6, 1),
            status=Grant.Status.values[k % 5],
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["plan", "effort", "funding", "grants"])
def test_query_count_does_not_grow_with_the_data(cast, as_role, roles, name):
    client = as_role("staff")
    url = reverse(f"workplan:{name}", args=["riverton"])
    _make(cast, roles, 1)
    small = _queries(client, url)
    _make(cast, roles, 12)
    assert _queries(client, url) == small
