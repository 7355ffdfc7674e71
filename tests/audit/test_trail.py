"""The audit trail: every change to who may do what leaves exactly one event, with who made
it and the state before and after; the trail is append-only and its page is the backbone's."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backbone.archive import graph
from backbone.audit.models import Action, AuditEvent
from backbone.initiatives import members, services
from backbone.initiatives.models import Membership
from backbone.initiatives.roles import Role
from backbone.measurement import services_setup
from backbone.measurement.intake import Intake, Reported
from backbone.measurement.tokens import token_create, token_revoke
from backbone.web.navigation import navigation
from tests.conftest import client_as
from tests.measurement.conftest import make_indicator, make_period

pytestmark = pytest.mark.integration

AUDIT = "/i/riverton/audit/"


def only_event(action: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, [e.action for e in AuditEvent.objects.all()]
    return events[0]


def member_row(cast) -> Membership:
    return Membership.objects.get(initiative=cast.initiative, person=cast.member_a)


# --- roles ---------------------------------------------------------------------------------


def test_a_role_change_leaves_one_event_with_before_and_after(cast):
    members.membership_change(
        membership=member_row(cast),
        by=cast.steward_a,
        role="partner_steward",
        organisation=cast.org_a,
    )
    event = only_event(Action.ROLE_CHANGED)
    assert (event.initiative, event.actor, event.person) == (
        cast.initiative,
        cast.steward_a,
        cast.member_a,
    )
    assert event.before == {"role": "partner_member", "organisation": cast.org_a.slug}
    assert event.after == {"role": "partner_steward", "organisation": cast.org_a.slug}
    assert AuditEvent.objects.count() == 1


def test_an_organisation_change_leaves_one_event(cast):
    members.membership_change(
        membership=member_row(cast), by=cast.staff, role="partner_member", organisation=cast.org_b
    )
    event = only_event(Action.ORGANISATION_CHANGED)
    assert event.before["organisation"] == cast.org_a.slug
    assert event.after == {"role": "partner_member", "organisation": cast.org_b.slug}
    assert event.organisation == cast.org_b
    assert AuditEvent.objects.count() == 1


def test_no_change_and_a_refused_change_leave_no_event(cast):
    row = member_row(cast)
    members.membership_change(membership=row, by=cast.staff, role=row.role, organisation=cast.org_a)
    staff = Membership.objects.get(initiative=cast.initiative, person=cast.staff)
    with pytest.raises(Exception):  # noqa: B017 (the last staff member: a ValidationError)
        members.membership_remove(membership=staff, by=cast.staff)
    assert AuditEvent.objects.count() == 0


def test_a_removal_leaves_one_event_and_one_per_token_it_stops(cast):
    token, _ = token_create(partner=cast.partner_a, name="sync", by=cast.steward_a)
    steward = Membership.objects.get(initiative=cast.initiative, person=cast.steward_a)
    members.membership_remove(membership=steward, by=cast.staff)
    removed = only_event(Action.MEMBER_REMOVED)
    assert (removed.actor, removed.person, removed.organisation) == (
        cast.staff,
        cast.steward_a,
        cast.org_a,
    )
    assert removed.before == {"role": "partner_steward", "organisation": cast.org_a.slug}
    assert removed.after is None
    revoked = only_event(Action.TOKEN_REVOKED)
    assert revoked.actor == cast.staff and revoked.subject == str(token)
    assert revoked.after["reason"] == "its maker no longer stewards the organisation"


# --- invitations ---------------------------------------------------------------------------


def _invite(cast):
    return services.invitation_create(
        initiative=cast.initiative,
        by=cast.steward_a,
        email="New.Person@example.org",
        role=Role.PARTNER_MEMBER,
        organisation=cast.org_a,
    )


def test_an_invitation_sent_leaves_one_event(cast):
    invitation, _ = _invite(cast)
    event = only_event(Action.INVITATION_SENT)
    assert (event.actor, event.organisation, event.subject) == (
        cast.steward_a,
        cast.org_a,
        "new.person@example.org",
    )
    assert event.before is None
    assert event.after == {
        "email": "new.person@example.org",
        "role": "partner_member",
        "organisation": cast.org_a.slug,
        "expires_at": invitation.expires_at.isoformat(timespec="seconds"),
    }


def test_an_invitation_resent_withdrawn_or_accepted_leaves_one_event_each(cast):
    invitation, _ = _invite(cast)
    old_expiry = invitation.expires_at.isoformat(timespec="seconds")
    resent, token = services.invitation_resend(invitation=invitation, by=cast.staff)
    event = only_event(Action.INVITATION_RESENT)
    assert event.before == {"expires_at": old_expiry}
    assert event.after == {"expires_at": resent.expires_at.isoformat(timespec="seconds")}

    person = services.invitation_accept(token=token, name="Nia New", password="long enough 42")
    accepted = only_event(Action.INVITATION_ACCEPTED)
    assert (accepted.actor, accepted.person) == (person, person)
    assert accepted.after == {"role": "partner_member", "organisation": cast.org_a.slug}

    other, _ = services.invitation_create(
        initiative=cast.initiative, by=cast.staff, email="x@example.org", role=Role.FUNDER
    )
    services.invitation_revoke(invitation=other, by=cast.staff)
    services.invitation_revoke(invitation=other, by=cast.staff)  # twice: no second event
    withdrawn = only_event(Action.INVITATION_WITHDRAWN)
    assert withdrawn.before == {"role": "funder", "organisation": None}
    assert withdrawn.subject == "x@example.org"


def test_withdrawing_on_the_page_records_who_did(cast):
    invitation, _ = _invite(cast)
    url = reverse("initiatives:invitation_revoke", args=["riverton", invitation.uuid])
    assert client_as(cast.steward_a).post(url).status_code == 302
    assert only_event(Action.INVITATION_WITHDRAWN).actor == cast.steward_a


# --- tokens and periods --------------------------------------------------------------------


def test_a_token_made_and_revoked_leaves_one_event_each(cast):
    token, _ = token_create(partner=cast.partner_a, name="Library sync", by=cast.steward_a)
    made = only_event(Action.TOKEN_CREATED)
    assert (made.actor, made.organisation) == (cast.steward_a, cast.partner_a.organisation)
    assert made.after == {"name": "Library sync", "prefix": token.prefix}
    url = reverse("measurement:tokens", args=["riverton"])
    client_as(cast.steward_a).post(url, {"revoke": str(token.uuid)})
    token_revoke(token=token, by=cast.staff)  # revoked already: nothing more
    revoked = only_event(Action.TOKEN_REVOKED)
    assert revoked.actor == cast.steward_a
    assert revoked.before == {"name": "Library sync", "prefix": token.prefix}
    assert "revoked_at" in revoked.after


def test_closing_and_opening_a_period_leave_one_event_each(cast):
    period = make_period(cast.initiative, "year", date(2024, 1, 1))
    services_setup.period_close(period=period, by=cast.staff)
    services_setup.period_close(period=period, by=cast.staff)  # closed already: no event
    closed = only_event(Action.PERIOD_CLOSED)
    assert (closed.actor, closed.subject) == (cast.staff, "2024")
    assert (closed.before, closed.after) == ({"status": "open"}, {"status": "closed"})
    services_setup.period_open(period=period, by=cast.staff)
    opened = only_event(Action.PERIOD_OPENED)
    assert (opened.before, opened.after) == ({"status": "closed"}, {"status": "open"})


# --- corrections of closed periods ---------------------------------------------------------


def test_a_correction_of_a_closed_period_leaves_one_event_with_old_and_new_values(cast):
    make_indicator(cast.initiative, "families-served", "cumulative", unit="count")
    period = make_period(cast.initiative, "year", date(2024, 1, 1))
    make_period(cast.initiative, "year", date(2025, 1, 1))
    Intake(
        initiative=cast.initiative, by=cast.member_a, channel="web", partner=cast.partner_a
    ).submit([Reported(indicator="families-served", period="2024", value="12")])
    services_setup.period_close(period=period, by=cast.staff)
    assert not AuditEvent.objects.filter(action=Action.VALUES_CORRECTED).exists()

    Intake(
        initiative=cast.initiative,
        by=cast.staff,
        channel="web",
        partner=cast.partner_a,
        correction_reason="The library counted one family twice",
    ).submit(
        [
            Reported(indicator="families-served", period="2024", value="11"),
            Reported(indicator="families-served", period="2025", value="3"),  # open: not audited
        ]
    )
    event = only_event(Action.VALUES_CORRECTED)
    where = {
        "partner": cast.org_a.slug,
        "indicator": "families-served",
        "period": "2024",
        "groups": [],
    }
    assert (event.actor, event.organisation) == (cast.staff, cast.org_a)
    assert event.subject == "The library counted one family twice"
    assert event.before == {"values": [where | {"value": "12"}], "count": 1}
    assert event.after["values"] == [where | {"value": "11"}]
    assert event.after["count"] == 1
    assert event.after["reason"] == "The library counted one family twice"


def test_a_correction_of_open_periods_only_is_not_audited(cast):
    make_indicator(cast.initiative, "families-served", "cumulative", unit="count")
    make_period(cast.initiative, "year", date(2025, 1, 1))
    Intake(
        initiative=cast.initiative,
        by=cast.staff,
        channel="web",
        partner=cast.partner_a,
        correction_reason="late",
    ).submit([Reported(indicator="families-served", period="2025", value="3")])
    assert not AuditEvent.objects.exists()


# --- append-only ---------------------------------------------------------------------------


def test_events_are_never_changed_or_deleted(cast):
    _invite(cast)
    event = AuditEvent.objects.get()
    event.subject = "someone else"
    for attempt in (
        event.save,
        event.delete,
        lambda: AuditEvent.objects.update(subject="x"),
        lambda: AuditEvent.objects.all().delete(),
    ):
        with pytest.raises(TypeError):
            attempt()
    assert AuditEvent.objects.get().subject == "new.person@example.org"


def test_an_initiative_deleted_takes_its_events_with_it(cast):
    _invite(cast)
    cast.initiative.delete()
    assert not AuditEvent.objects.exists()


def test_the_archive_exports_the_trail():
    assert "audit.AuditEvent" in {owned.label for owned in graph.exported()}


# --- the page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("public", 404),
        ("other_staff", 404),
        ("community", 403),
        ("member_a", 403),
        ("steward_a", 403),
        ("funder", 403),
        ("evaluator", 403),
        ("staff", 200),
    ],
)
def test_the_audit_page_is_for_backbone_staff(cast, as_role, role, status):
    assert as_role(role).get(AUDIT).status_code == status


def test_the_backbone_area_links_the_audit_page_for_staff_only(cast):
    def links(person):
        nav = navigation(person, cast.initiative, "backbone")
        return {link.label for link in nav.pages}

    assert "Audit trail" in links(cast.staff)
    assert "Audit trail" not in links(cast.evaluator)


def test_the_page_lists_newest_first_and_filters_by_action(cast, as_role):
    _invite(cast)
    token_create(partner=cast.partner_a, name="Library sync", by=cast.steward_a)
    page = as_role("staff").get(AUDIT).content.decode()
    rows = page[page.index("<tbody>") :]
    assert rows.index("API token made") < rows.index("Invitation sent")
    assert "Ada Steward" in page and "Library sync" in page
    only = as_role("staff").get(AUDIT, {"action": Action.INVITATION_SENT}).content.decode()
    assert "new.person@example.org" in only and "Library sync" not in only
    assert as_role("staff").get(AUDIT, {"action": "nonsense"}).status_code == 200


def test_the_page_is_paginated(cast, as_role, monkeypatch):
    monkeypatch.setattr("backbone.audit.views.PAGE_SIZE", 2)
    for n in range(3):
        services.invitation_create(
            initiative=cast.initiative, by=cast.staff, email=f"p{n}@example.org", role="funder"
        )
    first = as_role("staff").get(AUDIT).content.decode()
    second = as_role("staff").get(AUDIT, {"page": 2}).content.decode()
    assert "p2@example.org" in first and "p0@example.org" not in first
    assert "p0@example.org" in second and "Newer events" in second


def test_the_page_makes_as_many_queries_for_three_events_as_for_one(cast):
    client = Client()
    client.force_login(cast.staff)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(AUDIT).status_code == 200
        return len(ctx.captured_queries)

    _invite(cast)
    one = queries()
    token, _ = token_create(partner=cast.partner_a, name="sync", by=cast.steward_a)
    token_revoke(token=token, by=cast.staff)
    assert queries() == one
