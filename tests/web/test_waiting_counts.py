"""The navigation counts what waits for the reader beside the page that deals with it, and
its counts are those of the home page's to-do list, initiative by initiative."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backbone.agenda.selectors import pending_endorsements
from backbone.assessments.selectors import waiting_for as surveys_waiting
from backbone.communication.models import ActionItem, Meeting
from backbone.communication.selectors import my_open_actions
from backbone.decisions.selectors import due_for_review, waiting_for_vote
from backbone.initiatives.models import Membership
from backbone.measurement.waiting import waiting_for
from backbone.web.waiting import waiting_counts
from tests.budgets import NAVIGATION_QUERIES
from tests.measurement.reporting.conftest import enrolled_rows, send

pytestmark = pytest.mark.integration

COUNT = re.compile(
    r'<a href="(?P<href>[^"]+)"[^>]*>(?P<label>[^<]+)<span class="count" aria-hidden="true">'
    r'(?P<n>\d+)</span><span class="visually-hidden">, (?P=n) waiting for you</span></a>'
)


def counted(html: str) -> dict[str, int]:
    """Label of each navigation link → the count it shows."""
    return {m["label"]: int(m["n"]) for m in COUNT.finditer(html)}


def action_for(person, initiative, text="Send the draft") -> ActionItem:
    now = timezone.now()
    meeting = Meeting.objects.create(
        initiative=initiative,
        title="All partners",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        time_zone="America/Chicago",
    )
    return ActionItem.objects.create(
        initiative=initiative, meeting=meeting, text=text, owner=person
    )


def test_staff_see_the_submissions_waiting_in_results_and_on_submissions(cast, reporting, as_role):
    client = as_role("staff")
    assert counted(client.get("/i/riverton/scorecard/").content.decode()) == {}
    send(cast, enrolled_rows(period="2024-01"))
    send(cast, enrolled_rows(period="2024-02"), partner="b")
    home = sum(
        w.count for w in waiting_for(cast.staff, [cast.initiative]) if w.section == "submissions"
    )
    assert home == 2
    found = counted(client.get("/i/riverton/scorecard/").content.decode())
    assert found["Results"] == 2 and found["Submissions"] == 2
    assert "Reporting" not in found  # staff report for no organisation


def test_a_steward_sees_her_own_reports_due_and_not_another_partners(cast, reporting, as_role):
    own = sum(w.count for w in waiting_for(cast.steward_a, [cast.initiative]))
    assert own > 0, "the fixture leaves partner A's reports late or due"
    found = counted(as_role("steward_a").get("/i/riverton/measurement/").content.decode())
    assert found["Reporting"] == own
    assert found["Results"] == own
    other = sum(w.count for w in waiting_for(cast.steward_b, [cast.initiative]))
    found_b = counted(as_role("steward_b").get("/i/riverton/measurement/").content.decode())
    assert found_b.get("Reporting", 0) == other
    send(cast, enrolled_rows(period="2024-01"))  # one of A's reports arrives
    after = counted(as_role("steward_a").get("/i/riverton/measurement/").content.decode())
    assert after.get("Reporting", 0) == own - 1


def test_action_items_count_in_working_together_of_their_own_initiative_only(cast, as_role):
    action_for(cast.member_a, cast.initiative)
    action_for(cast.member_a, cast.initiative, "Book the room")
    done = action_for(cast.member_a, cast.initiative, "Done already")
    done.status = ActionItem.Status.DONE
    done.save()
    client = as_role("member_a")
    found = counted(client.get("/i/riverton/").content.decode())
    assert found["Working together"] == 2
    on_groups = counted(client.get("/i/riverton/groups/").content.decode())
    assert on_groups["Working groups"] == 2
    assert "Working together" not in counted(
        as_role("steward_a").get("/i/riverton/").content.decode()
    )


@pytest.mark.parametrize("role", ["anonymous", "public", "community", "funder"])
def test_readers_with_nothing_to_do_see_no_count(cast, reporting, as_role, role):
    send(cast, enrolled_rows(period="2024-01"))
    assert counted(as_role(role).get("/i/riverton/").content.decode()) == {}


def test_every_demo_members_counts_are_their_home_pages_items_in_that_initiative(demo):
    """Recounted another way: the home page's person-wide lists, filtered to the initiative."""

    def mine(items, initiative_of=lambda x: x.initiative_id) -> int:
        return sum(initiative_of(x) == demo.pk for x in items)

    seen: dict[str, int] = {}
    people = {m.person for m in Membership.objects.filter(initiative=demo).select_related("person")}
    for person in people:
        expected = {
            "agenda": mine(pending_endorsements(person), lambda w: w["initiative"].pk),
            "decisions": mine(waiting_for_vote(person)) + mine(due_for_review(person)),
            "groups": mine(my_open_actions(person)),
            "assessments": mine(surveys_waiting(person)),
        }
        for w in waiting_for(person, [demo]):
            expected[w.section] = expected.get(w.section, 0) + w.count
        with CaptureQueriesContext(connection) as queries:
            found = waiting_counts(person, demo)
        assert len(queries) <= NAVIGATION_QUERIES
        assert found == {k: n for k, n in expected.items() if n}, person.email
        for section in found:
            seen[section] = seen.get(section, 0) + 1
    # The demo gives someone something to do in every section that counts.
    assert set(seen) >= {"agenda", "decisions", "groups", "assessments", "submissions"}
