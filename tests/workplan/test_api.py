"""The work plan and funding over the API: members read the plan, the backbone writes it;
a funder's people see their own organisation's grants and sums only; private notes stay the
backbone's; stale revisions; what the services refuse."""

# ruff: noqa: F811 (the `call` fixture is imported from tests.api.callers and asked for by name)
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from backbone.initiatives import services as initiatives
from backbone.initiatives.roles import Role
from backbone.workplan import services
from backbone.workplan.models import BackboneTask, EffortEntry, Grant
from tests.api.callers import EVERYONE, MEMBERS, call, tokens  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton"
FUNDING = {"staff", "evaluator", "funder"}


def read(who: str, readers=MEMBERS) -> int:
    if who == "revoked_token":
        return 401
    if who not in MEMBERS:
        return 404
    return 200 if who in readers else 403


def write(who: str, ok: int = 200, readers=MEMBERS) -> int:
    expected = read(who, readers)
    return expected if expected != 200 else (ok if who == "staff" else 403)


@pytest.fixture
def plan(cast, roles):
    # the funder acts for Northside Food Bank, which funds the initiative
    initiatives.membership_grant(
        initiative=cast.initiative, person=cast.funder, role=Role.FUNDER, organisation=cast.org_b
    )
    task = services.task_create(
        initiative=cast.initiative,
        data=services.TaskData(title="Convene partners", owner=cast.staff, role=roles[0]),
    )
    services.effort_log(
        task=task,
        person=cast.staff,
        worked_on=date(2026, 1, 5),
        hours=Decimal("2.5"),
        note="",
        today=date(2026, 1, 6),
    )
    northside = services.funder_create(
        initiative=cast.initiative, name="Northside Fund", organisation=cast.org_b
    )
    city = services.funder_create(initiative=cast.initiative, name="City of Riverton")

    def grant(funder, title, amount, status):
        return services.grant_create(
            initiative=cast.initiative,
            data=services.GrantData(
                funder=funder,
                title=title,
                amount=Decimal(amount),
                currency="USD",
                starts_on=date(2026, 1, 1),
                ends_on=date(2026, 12, 31),
                status=status,
                private_note="Ask again in May",
            ),
        )

    services.budget_set(
        initiative=cast.initiative, year=2026, currency="USD", amount_needed=Decimal(10000)
    )
    return (
        task,
        grant(northside, "Food access", "1000", "committed"),
        grant(city, "Backbone core", "5000", "received"),
        northside,
    )


@pytest.mark.parametrize("who", EVERYONE)
def test_reads_by_role(cast, plan, call, who):
    task, own, city, _ = plan
    tasks = call(who, "get", f"{BASE}/workplan/tasks")
    assert tasks.status_code == read(who)
    assert call(who, "get", f"{BASE}/workplan/tasks/{task.uuid}").status_code == read(who)
    effort = call(who, "get", f"{BASE}/workplan/tasks/{task.uuid}/effort")
    assert effort.status_code == read(who)
    funding = call(who, "get", f"{BASE}/funding")
    assert funding.status_code == read(who, FUNDING)
    grants = call(who, "get", f"{BASE}/funding/grants")
    assert grants.status_code == read(who, FUNDING)
    assert call(who, "get", f"{BASE}/funding/funders").status_code == read(who, FUNDING)
    if tasks.status_code == 200:
        row = tasks.json()["items"][0]
        assert row["title"] == "Convene partners" and row["logged_hours"] == "2.5"
        assert row["owner"] == str(cast.staff.uuid)
        assert effort.json()["items"][0]["hours"] == "2.5"
    if grants.status_code == 200:
        titles = [g["title"] for g in grants.json()["items"]]
        notes = {g["private_note"] for g in grants.json()["items"]}
        years = funding.json()["years"]
        if who == "funder":  # their own organisation's grant, and sums of it alone
            assert titles == ["Food access"]
            assert funding.json()["own_only"] is True
            assert years[0]["secured"] == "1000.00"
            names = [f["name"] for f in call(who, "get", f"{BASE}/funding/funders").json()["items"]]
            assert names == ["Northside Fund"]
            assert call(who, "get", f"{BASE}/funding/grants/{city.uuid}").status_code == 404
        else:
            assert titles == ["Backbone core", "Food access"]
            assert years[0] | {"share": None} == {
                "year": 2026,
                "currency": "USD",
                "needed": "10000.00",
                "secured": "6000.00",
                "gap": "4000.00",
                "share": None,
            }
        assert notes == ({"Ask again in May"} if who == "staff" else {None})
        assert call(who, "get", f"{BASE}/funding/grants/{own.uuid}").status_code == 200


def test_a_funder_without_an_organisation_sees_no_grant_and_no_sum(cast, roles, call):
    assert call("funder", "get", f"{BASE}/funding/grants").status_code == 403
    funding = call("funder", "get", f"{BASE}/funding").json()
    assert funding["own_only"] is True and funding["years"] == []


def test_task_filters(cast, plan, roles, call):
    def titles(**query):
        response = call("staff", "get", f"{BASE}/workplan/tasks", **query)
        assert response.status_code == 200, response.content
        return [t["title"] for t in response.json()["items"]]

    assert titles(status="planned") == ["Convene partners"]
    assert titles(status="done") == []
    assert titles(owner=str(cast.staff.uuid)) == ["Convene partners"]
    assert titles(owner=str(cast.funder.uuid)) == []
    assert titles(role=roles[0]) == ["Convene partners"]
    assert titles(role=roles[1]) == []
    grants = call("staff", "get", f"{BASE}/funding/grants", status="received").json()["items"]
    assert [g["title"] for g in grants] == ["Backbone core"]


@pytest.mark.parametrize("who", EVERYONE)
def test_plan_writes_by_role(cast, plan, roles, call, who):
    task, *_ = plan
    body = {"title": "Write the annual report", "role": roles[1], "owner": str(cast.staff.uuid)}
    made = call(who, "post", f"{BASE}/workplan/tasks", body)
    assert made.status_code == write(who, 201), made.content
    changed = call(
        who, "patch", f"{BASE}/workplan/tasks/{task.uuid}", {"revision": 0, "status": "done"}
    )
    assert changed.status_code == write(who)
    effort = {"worked_on": "2026-01-02", "hours": "1.5", "note": "calls"}
    logged = call(who, "post", f"{BASE}/workplan/tasks/{task.uuid}/effort", effort)
    assert logged.status_code == write(who, 201)
    task.refresh_from_db()
    assert (task.status == "done") == (who == "staff")
    assert EffortEntry.objects.filter(note="calls").exists() == (who == "staff")


@pytest.mark.parametrize("who", EVERYONE)
def test_funding_writes_by_role(cast, plan, call, who):
    _, own, _, northside = plan
    body = {
        "funder": str(northside.uuid),
        "title": "Summer meals",
        "amount": "2500.00",
        "currency": "usd",
        "starts_on": "2026-06-01",
        "ends_on": "2026-08-31",
    }
    made = call(who, "post", f"{BASE}/funding/grants", body)
    assert made.status_code == write(who, 201, FUNDING), made.content
    change = {"revision": 0, "status": "declined"}
    changed = call(who, "patch", f"{BASE}/funding/grants/{own.uuid}", change)
    assert changed.status_code == write(who, 200, FUNDING)
    funder = call(who, "post", f"{BASE}/funding/funders", {"name": "A trust"})
    assert funder.status_code == write(who, 201, FUNDING)
    budget = {"year": 2027, "currency": "USD", "amount_needed": "12000"}
    assert call(who, "put", f"{BASE}/funding/budget", budget).status_code == write(
        who, 200, FUNDING
    )
    own.refresh_from_db()
    assert (own.status == "declined") == (who == "staff")
    if made.status_code == 201:
        assert made.json()["currency"] == "USD"


def test_stale_revisions_are_409(cast, plan, call):
    task, own, *_ = plan
    path = f"{BASE}/workplan/tasks/{task.uuid}"
    assert call("staff", "patch", path, {"revision": 0, "title": "First"}).status_code == 200
    stale = call("personal_token", "get", path)  # reads are fine; the write below is stale
    assert stale.json()["revision"] == 1
    conflict = call("staff", "patch", path, {"revision": 0, "title": "Second"})
    assert conflict.status_code == 409 and conflict.json()["current"]["title"] == "First"
    gpath = f"{BASE}/funding/grants/{own.uuid}"
    assert call("staff", "patch", gpath, {"revision": 0, "title": "A"}).status_code == 200
    conflict = call("staff", "patch", gpath, {"revision": 0, "title": "B"})
    assert conflict.status_code == 409 and conflict.json()["current"]["title"] == "A"
    assert Grant.objects.get(pk=own.pk).title == "A"


def test_what_the_services_refuse_is_422(cast, plan, roles, call):
    task, own, _, northside = plan
    not_staff = {"title": "X", "role": roles[0], "owner": str(cast.steward_a.uuid)}
    refused = call("staff", "post", f"{BASE}/workplan/tasks", not_staff)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == "The owner must be one of the backbone's staff."
    ahead = (date.today() + timedelta(days=3)).isoformat()
    effort = call(
        "staff",
        "post",
        f"{BASE}/workplan/tasks/{task.uuid}/effort",
        {"worked_on": ahead, "hours": "1"},
    )
    assert effort.status_code == 422
    too_many = {"worked_on": "2026-01-01", "hours": "25"}
    assert (
        call("staff", "post", f"{BASE}/workplan/tasks/{task.uuid}/effort", too_many).status_code
        == 422
    )
    backwards = {"revision": 0, "ends_on": "2025-01-01"}
    response = call("staff", "patch", f"{BASE}/funding/grants/{own.uuid}", backwards)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "ends_on"]
    no_strategy = {"revision": 0, "funds": "strategy"}
    assert (
        call("staff", "patch", f"{BASE}/funding/grants/{own.uuid}", no_strategy).status_code == 422
    )
    foreign = {"name": "X", "organisation": "no-such"}
    assert call("staff", "post", f"{BASE}/funding/funders", foreign).status_code == 422
    assert BackboneTask.objects.count() == 1
