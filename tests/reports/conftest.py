"""A quarter of an initiative's life, for reports of April–June 2026 (Q2): an agenda with two
goals, three quarterly indicators (one by area with a small cell, one for members only, one
needle-moving), activities with an overlap and a gap, backbone effort inside and outside the
quarter, grants with a private note, policy events and public-will items on both sides of
the quarter, and three reports shared three ways.

Values go in through the real intake and approval; periods are closed afterwards, as the
backbone closes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from backbone.activities.models import Activity
from backbone.advocacy import services as advocacy
from backbone.advocacy.models import Policy, PublicWillItem
from backbone.agenda import services as agenda
from backbone.agenda.models import Agenda, Goal, Strategy
from backbone.frameworks.models import Framework
from backbone.links import keyed
from backbone.measurement.approval import submission_approve
from backbone.measurement.intake import Intake, Reported
from backbone.measurement.models import Indicator, Period
from backbone.measurement.services_setup import period_close, target_set
from backbone.reports.models import Report
from backbone.workplan.models import BackboneTask, BudgetYear, EffortEntry, Funder, Grant
from tests.browser import ARTIFACTS
from tests.measurement.conftest import make_dimension, make_indicator, make_period

START, END = date(2026, 4, 1), date(2026, 6, 30)
SMALL_RATE = "42.9%"  # south's readiness in Q2: 3 of 7 children, too few to show funders
PRIVATE_NOTE = "Programme officer hinted at a smaller renewal."


@dataclass
class Quarter:
    cast: object
    goals: list[Goal]
    strategies: list[Strategy]
    quarters: dict[str, Period]  # "2026Q1" …
    readiness: Indicator  # rate by area, members and funders, with a small cell in Q2
    visits: Indicator  # count, members only
    absence: Indicator  # rate, public, lower is better, needle-moving
    shared_with_funders: Report
    shared_with_members: Report
    unshared: Report

    @property
    def initiative(self):
        return self.cast.initiative


def _values(cast, quarter: Period, rows: list[Reported]) -> None:
    submission = Intake(
        initiative=cast.initiative, by=cast.staff, channel="csv", many_partners=True
    ).submit(rows, status="submitted")
    submission_approve(submission=submission, by=cast.staff)


def _rate(ind, period, partner, num, den, area=None):
    return Reported(
        indicator=ind.code,
        period=period.code,
        groups={"area": area} if area else {},
        partner=partner.organisation.slug,
        numerator=num,
        denominator=den,
    )


def _measurement(cast, goals, strategies):
    i = cast.initiative
    area = make_dimension(
        i,
        "area",
        "Area",
        [("city", "Riverton"), ("north", "North", "city"), ("south", "South", "city")],
        is_geography=True,
    )
    quarters = {}
    for month in (1, 4, 7, 10):
        p = make_period(i, "quarter", date(2026, month, 1))
        quarters[p.code] = p
    q = "quarter"
    readiness = make_indicator(
        i, "readiness", "rate", (area,), unit="percent", visibility="funders", frequency=q
    )
    readiness.name, readiness.goal = "Kindergarten readiness", goals[0]
    readiness.save()
    visits = make_indicator(i, "visits", "sum", unit="count", visibility="members", frequency=q)
    visits.name, visits.strategy = "Home visits to families", strategies[0]
    visits.save()
    absence = make_indicator(
        i, "absence", "rate", unit="percent", direction="down", visibility="public", frequency=q
    )
    absence.name, absence.goal = "Chronic absence", goals[1]
    absence.save()
    a, b = cast.partner_a, cast.partner_b
    plan = {
        # readiness: (partner, numerator, denominator, area) per quarter
        "2026Q1": [(a, 30, 50, "north"), (b, 20, 40, "north"), (a, 5, 20, "south")],
        "2026Q2": [(a, 36, 50, "north"), (b, 28, 40, "north"), (a, 3, 7, "south")],
        "2026Q3": [(a, 45, 50, "north"), (b, 36, 40, "north"), (a, 12, 20, "south")],
    }
    visit_counts = {"2026Q1": (70, 50), "2026Q2": (81, 66), "2026Q3": (90, 95)}
    absence_rates = {"2026Q1": (40, 200), "2026Q2": (29, 190), "2026Q3": (25, 180)}
    for code, cells in plan.items():
        period = quarters[code]
        rows = [_rate(readiness, period, p, n, d, area) for p, n, d, area in cells]
        rows += [
            Reported(
                indicator=visits.code,
                period=code,
                partner=p.organisation.slug,
                value=v,
            )
            for p, v in zip((a, b), visit_counts[code], strict=True)
        ]
        rows.append(_rate(absence, period, a, *absence_rates[code]))
        _values(cast, period, rows)
    # a submitted (not approved) value never counts
    Intake(initiative=i, by=cast.staff, channel="csv", many_partners=True).submit(
        [_rate(readiness, quarters["2026Q2"], b, 1, 30, "south")], status="submitted"
    )
    for code in ("2026Q1", "2026Q2", "2026Q3"):
        period_close(period=quarters[code], by=cast.staff)
    staff = cast.staff
    target_set(indicator=readiness, by=staff, kind="baseline", period=quarters["2026Q1"], value=60)
    target_set(indicator=readiness, by=staff, kind="target", period=quarters["2026Q3"], value=80)
    target_set(indicator=absence, by=staff, kind="baseline", period=quarters["2026Q1"], value=20)
    target_set(indicator=absence, by=staff, kind="target", period=quarters["2026Q2"], value=17)
    return quarters, readiness, visits, absence


def _agenda(cast):
    i = cast.initiative
    Agenda.objects.create(
        initiative=i, vision="<p>Every child in Riverton thrives from cradle to career.</p>"
    )
    g1 = Goal.objects.create(initiative=i, title="Children enter school ready", position=0)
    g2 = Goal.objects.create(initiative=i, title="Students attend every day", position=1)
    strategies = [
        Strategy.objects.create(initiative=i, goal=g1, title="Home visiting", position=0),
        Strategy.objects.create(initiative=i, goal=g1, title="Pre-K places", position=1),
        Strategy.objects.create(initiative=i, goal=g2, title="Attendance mentors", position=0),
    ]
    version = agenda.version_publish(initiative=i, by=cast.staff, note="Adopted")
    agenda.endorsement_create(version=version, partner=cast.partner_a, by=cast.steward_a)
    return [g1, g2], strategies


def _activities(cast, strategies):
    i = cast.initiative
    made = []
    for partner, name, strategy, status, start, end in [
        (cast.partner_a, "Books for babies", 0, "active", date(2026, 1, 1), None),
        (
            cast.partner_b,
            "Family reading nights",
            0,
            "active",
            date(2026, 3, 1),
            date(2026, 12, 31),
        ),
        (cast.partner_a, "Pre-K outreach", 1, "planned", date(2026, 5, 1), None),
        (cast.partner_b, "Attendance buddies", 2, "active", date(2026, 2, 1), None),
        (cast.partner_b, "Old tutoring scheme", 2, "done", date(2024, 1, 1), date(2025, 6, 30)),
    ]:
        activity = Activity.objects.create(
            initiative=i, partner=partner, name=name, status=status, starts_on=start, ends_on=end
        )
        activity.strategies.set([strategies[strategy]], through_defaults=keyed(activity))
        made.append(activity)
    return made


def _effort(cast):
    call_command("load_frameworks", verbosity=0)
    cast.initiative.framework = Framework.objects.get(slug="collective-impact")
    cast.initiative.save()
    entries = {
        "guide_vision_and_strategy": [
            (date(2026, 4, 10), "5.5"),
            (date(2026, 5, 2), "3"),
            (date(2026, 3, 31), "4"),
        ],
        "support_aligned_activities": [
            (date(2026, 6, 30), "2.5"),
            (date(2026, 4, 1), "12"),
            (date(2026, 7, 1), "8"),
        ],
        "mobilise_funding": [(date(2026, 4, 1), "1.5"), (date(2026, 6, 15), "0.5")],
        "build_public_will": [(date(2026, 9, 1), "6")],
    }
    for role, rows in entries.items():
        task = BackboneTask.objects.create(
            initiative=cast.initiative, title=f"Work on {role}", owner=cast.staff, role=role
        )
        for day, hours in rows:
            EffortEntry.objects.create(
                task=task, person=cast.staff, worked_on=day, hours=Decimal(hours)
            )


def _funding(cast):
    i = cast.initiative
    hale = Funder.objects.create(initiative=i, name="Hale Family Foundation")
    bank = Funder.objects.create(initiative=i, name="First River Bank")
    for funder, title, amount, status, start, end, note in [
        (
            hale,
            "Operating support",
            "120000",
            "committed",
            "2026-01-01",
            "2026-12-31",
            PRIVATE_NOTE,
        ),
        (bank, "Data system", "48250.50", "received", "2025-09-01", "2027-02-28", ""),
        (bank, "Summer learning", "30000", "prospect", "2026-06-01", "2026-08-31", ""),
        (hale, "Parent ambassadors", "10000", "declined", "2026-01-01", "2026-06-30", ""),
        (hale, "Next year's support", "130000", "committed", "2027-01-01", "2027-12-31", ""),
    ]:
        Grant.objects.create(
            initiative=i,
            funder=funder,
            title=title,
            amount=Decimal(amount),
            currency="USD",
            starts_on=date.fromisoformat(start),
            ends_on=date.fromisoformat(end),
            status=status,
            private_note=note,
        )
    BudgetYear.objects.create(initiative=i, year=2026, amount_needed=Decimal(250000))


def _advocacy(cast):
    i = cast.initiative
    prek = Policy.objects.create(
        initiative=i,
        title="Universal pre-K",
        level="regional",
        body="County Board",
        position="support",
        status="introduced",
    )
    jobs = Policy.objects.create(
        initiative=i, title="Youth jobs fund", level="local", body="City Council", position="amend"
    )
    reporting = Policy.objects.create(
        initiative=i,
        title="Absence reporting by school",
        level="local",
        body="School Board",
        position="support",
        status="introduced",
    )
    advocacy.policy_event_add(
        policy=prek,
        happened_on=date(2026, 5, 12),
        description="Adopted in the county budget",
        status_after="adopted",
    )
    advocacy.policy_event_add(
        policy=jobs,
        happened_on=date(2026, 4, 20),
        description="Introduced at council",
        status_after="introduced",
    )
    advocacy.policy_event_add(
        policy=reporting,
        happened_on=date(2026, 8, 1),
        description="Adopted by the board",
        status_after="adopted",
    )
    for kind, title, day, reach in [
        ("campaign", "Ready by Five", date(2026, 4, 5), 1200),
        ("media", "Radio interview", date(2026, 6, 10), 350),
        ("event", "Back to school fair", date(2026, 7, 15), 999),
        ("event", "Library open day", date(2026, 5, 20), None),
    ]:
        PublicWillItem.objects.create(
            initiative=i, kind=kind, title=title, starts_on=day, reach=reach
        )


def _reports(cast):
    def report(title, funders, members):
        return Report.objects.create(
            initiative=cast.initiative,
            title=title,
            period_start=START,
            period_end=END,
            shared_with_funders=funders,
            shared_with_members=members,
            created_by=cast.staff,
        )

    return (
        report("Progress report to funders, Q2 2026", True, False),
        report("Partners' report, Q2 2026", False, True),
        report("Backbone's own notes, Q2 2026", False, False),
    )


@pytest.fixture
def quarter(cast) -> Quarter:
    goals, strategies = _agenda(cast)
    quarters, readiness, visits, absence = _measurement(cast, goals, strategies)
    _activities(cast, strategies)
    _effort(cast)
    _funding(cast)
    _advocacy(cast)
    funders, members, unshared = _reports(cast)
    return Quarter(
        cast=cast,
        goals=goals,
        strategies=strategies,
        quarters=quarters,
        readiness=readiness,
        visits=visits,
        absence=absence,
        shared_with_funders=funders,
        shared_with_members=members,
        unshared=unshared,
    )


def report_url(report, suffix: str = "") -> str:
    return f"/i/{report.initiative.slug}/reports/{report.uuid}/{suffix}"


def pdf_text(content: bytes) -> str:
    """The PDF's text, page after page, with runs of white space made one space."""
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_pages_as_pictures(content: bytes, name: str) -> list[Path]:
    """The PDF's pages as PNG files (PDFium, 60 dpi) in test-artifacts/, to look at."""
    import pypdfium2

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(content)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    document = pypdfium2.PdfDocument(content)
    pictures = []
    for number, page in enumerate(document, start=1):
        picture = ARTIFACTS / f"{name}-{number:02d}.png"
        page.render(scale=60 / 72).to_pil().save(picture)
        pictures.append(picture)
    document.close()
    return pictures


def at(y, m, d) -> datetime:
    return timezone.make_aware(datetime(y, m, d, 12, 0))
