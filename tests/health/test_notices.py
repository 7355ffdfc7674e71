"""The alerts reach backbone staff on their home page and in their digest, and nobody else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backbone.updates.digests import digest_build, digests_send
from tests.conftest import ROLES

from .conftest import add_partner, ago, commitment, indicator, meeting, monthly_period, report

pytestmark = pytest.mark.integration

HEADING = "Partners going quiet"


@pytest.fixture
def quiet_library(cast):
    commitment(cast.partner_a, starts_on=ago(300), updates=[ago(120)])
    return cast


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_home_page_shows_alerts_to_backbone_staff_only(as_role, quiet_library, role):
    html = as_role(role).get("/").text
    assert (HEADING in html) == (role in {"staff", "other_staff"})
    assert ("Riverton Public Library" in html and "stopped updating commitments" in html) == (
        role == "staff"
    )


def test_home_page_of_staff_says_when_nobody_is_quiet(as_role, cast):
    html = as_role("staff").get("/").text
    assert "No partner of Riverton Cradle to Career has gone quiet." in html


def test_home_page_costs_the_same_queries_for_one_or_many_alerts(as_role, quiet_library):
    client = as_role("staff")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    commitment(quiet_library.partner_b, starts_on=ago(300), updates=[ago(150)])
    with CaptureQueriesContext(connection) as two:
        client.get("/")
    assert len(two.captured_queries) == len(one.captured_queries)


def test_digest_tells_staff_of_quiet_partners(quiet_library):
    now = timezone.now()
    digest = digest_build(
        person=quiet_library.staff, frequency="weekly", since=now - timedelta(days=7), now=now
    )
    (section,) = digest.sections
    assert [a.partner for a in section.engagement_alerts] == [quiet_library.partner_a]
    steward = digest_build(
        person=quiet_library.steward_a, frequency="weekly", since=now - timedelta(days=7), now=now
    )
    assert steward.sections == []  # nothing else new, and no alerts for a steward

    digests_send(now=now)
    (message,) = [m for m in mail.outbox if "staff@example.org" in m.to]
    assert "Partners going quiet:" in message.body
    assert "- Riverton Public Library stopped updating commitments (since" in message.body
    assert "/i/riverton/health/" in message.body
    assert not [m for m in mail.outbox if "steward.a@example.org" in m.to]


def test_health_page_costs_the_same_queries_for_one_or_many_partners(as_role, framed):
    cast = framed
    ind = indicator(cast.initiative)
    period = monthly_period(cast.initiative, 4)
    meeting(cast, ago(20), came=[cast.steward_b])
    meeting(cast, ago(50), came=[cast.steward_b])
    commitment(cast.partner_a, starts_on=ago(300), updates=[ago(120)])
    client = as_role("staff")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/i/riverton/health/").status_code == 200
    for n in range(3):
        p = add_partner(cast, f"Partner {n}", joined_on=ago(400))
        commitment(p, starts_on=ago(300), updates=[ago(150)])
        report(cast, p, ind, period, on=ago(100))
    with CaptureQueriesContext(connection) as many:
        html = client.get("/i/riverton/health/").text
    assert html.count("Updating commitments") == 4
    assert len(many.captured_queries) == len(one.captured_queries)


def test_one_digest_run_works_out_an_initiatives_alerts_once_for_all_its_staff(
    quiet_library, monkeypatch
):
    from backbone.initiatives import services
    from backbone.initiatives.roles import Role
    from backbone.updates import digests
    from tests.conftest import make_person

    second = make_person("second.staff@example.org", "Sol Second")
    services.membership_grant(
        initiative=quiet_library.initiative, person=second, role=Role.BACKBONE_STAFF
    )
    asked = []
    real = digests.engagement_alerts

    def counted(*, initiative, today):
        asked.append(initiative.pk)
        return real(initiative=initiative, today=today)

    monkeypatch.setattr(digests, "engagement_alerts", counted)
    digests_send(now=timezone.now())
    told = [m for m in mail.outbox if "Partners going quiet:" in m.body]
    assert sorted(m.to[0] for m in told) == ["second.staff@example.org", "staff@example.org"]
    assert asked.count(quiet_library.initiative.pk) == 1
