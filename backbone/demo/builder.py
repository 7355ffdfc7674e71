"""Build the demo initiative from scratch, with a sign-in for every role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from backbone.accounts.models import Person
from backbone.activities.demo import activities_demo
from backbone.advocacy.demo import advocacy_demo
from backbone.agenda import services as agenda
from backbone.agenda.models import Agenda, AgreedAction, Endorsement, Goal, Strategy
from backbone.assessments.demo import assessments_demo
from backbone.communication.demo import communication_demo
from backbone.decisions.demo import decisions_demo
from backbone.frameworks.loader import load_all as load_frameworks
from backbone.frameworks.models import Framework
from backbone.frameworks.selectors import framework_phases
from backbone.health.demo import health_demo
from backbone.initiatives import services
from backbone.initiatives.models import Initiative, Organisation, Partner
from backbone.initiatives.roles import Role
from backbone.learning.demo import learning_demo
from backbone.measurement.completeness.demo import completeness_demo
from backbone.network.demo import network_demo
from backbone.phases.demo import phases_demo
from backbone.powermap.demo import powermap_demo
from backbone.reports.demo import reports_demo
from backbone.updates.demo import updates_demo
from backbone.workplan.demo import workplan_demo

from . import content
from .measurement import LAUNCH, measurement_build

PASSWORD = "riverton-demo-2026"
DOMAIN = "riverton.example"
FRAMEWORK = "collective-impact"


@dataclass(frozen=True)
class SignIn:
    role: str
    name: str
    email: str
    note: str = ""


def _at(years_after_launch: int, m: int, d: int) -> datetime:
    """10 am on a day of the demo's history, given by the year counted from the launch."""
    return timezone.make_aware(datetime(LAUNCH.year + years_after_launch, m, d, 10, 0))


def _person(email: str, name: str, **extra) -> Person:
    return Person.objects.create_user(email=email, password=PASSWORD, name=name, **extra)


def demo_prerequisites() -> list[Framework]:
    """Load the shipped frameworks when the demo's own is missing, as on a fresh database:
    the demo's initiative works by it and its questionnaires are checked against it (the
    questionnaires themselves are loaded by assessments_demo). Returns what was loaded."""
    if Framework.objects.filter(slug=FRAMEWORK).exists():
        return []
    return load_frameworks()


def demo_remove() -> None:
    """Remove an earlier demo: its initiative, its organisations and its people."""
    Initiative.objects.filter(slug=content.INITIATIVE["slug"]).delete()
    Person.objects.filter(email__iendswith="@" + DOMAIN).delete()
    Organisation.objects.filter(
        name__in=[o[0] for o in content.ORGANISATIONS], partnerships__isnull=True
    ).delete()


def _add_goal(initiative: Initiative, position: int, goal_spec, strategies: slice) -> Goal:
    title, description, strategy_specs = goal_spec
    goal = Goal.objects.create(
        initiative=initiative, title=title, description=f"<p>{description}</p>", position=position
    )
    for s_pos, (s_title, actions) in enumerate(strategy_specs[strategies]):
        _add_strategy(initiative, goal, s_pos, s_title, actions)
    return goal


def _add_strategy(initiative, goal, position, title, actions) -> Strategy:
    strategy = Strategy.objects.create(
        initiative=initiative, goal=goal, title=title, position=position
    )
    for a_pos, (a_title, status) in enumerate(actions):
        AgreedAction.objects.create(
            initiative=initiative, strategy=strategy, title=a_title, status=status, position=a_pos
        )
    return strategy


def _endorse(version, partners: list[Partner], stewards: dict[int, Person], day: datetime):
    for n, partner in enumerate(partners):
        endorsement = agenda.endorsement_create(
            version=version, partner=partner, by=stewards[partner.organisation_id]
        )
        Endorsement.objects.filter(pk=endorsement.pk).update(
            endorsed_at=day + timedelta(days=2 + n % 12, hours=n % 7)
        )


@transaction.atomic
def demo_build() -> tuple[Initiative, list[SignIn]]:
    demo_remove()
    framework = Framework.objects.filter(slug=FRAMEWORK).first() or (
        Framework.objects.order_by("name").first()
    )
    phases = [phase["key"] for phase in framework_phases(framework)]
    initiative = Initiative.objects.create(
        **content.INITIATIVE,
        start_date=LAUNCH,
        framework=framework,
        phase=phases[1] if len(phases) > 1 else "",
    )

    admin = _person(f"admin@{DOMAIN}", "Alex Morgan", is_staff=True, is_superuser=True)
    staff = _person(f"maya.okafor@{DOMAIN}", "Maya Okafor")
    data_lead = _person(f"luis.ortega@{DOMAIN}", "Luis Ortega")
    for person in (staff, data_lead):
        services.membership_grant(initiative=initiative, person=person, role=Role.BACKBONE_STAFF)

    partners: list[Partner] = []
    stewards: dict[int, Person] = {}
    for n, (name, sector, size, website, profile) in enumerate(content.ORGANISATIONS):
        org = Organisation.objects.filter(name=name).first() or services.organisation_create(
            name=name, sector=sector, size=size, website=website, profile=profile
        )
        status = (
            "paused"
            if name in content.PAUSED
            else "withdrawn"
            if name in content.WITHDRAWN
            else "active"
        )
        partner = services.partner_add(
            initiative=initiative,
            organisation=org,
            joined_on=LAUNCH + timedelta(days=30 * (n % 14)),
            status=status,
        )
        partners.append(partner)
        steward_name = content.STEWARD_NAMES[n]
        steward = _person(f"{slugify(steward_name).replace('-', '.')}@{DOMAIN}", steward_name)
        stewards[org.pk] = steward
        services.membership_grant(
            initiative=initiative, person=steward, role=Role.PARTNER_STEWARD, organisation=org
        )
    by_name = {p.organisation.name: p for p in partners}
    library = by_name["Riverton Public Library"]
    schools = by_name["Riverton Public Schools"]

    # Named people for the demo sign-ins.
    priya = stewards[library.organisation_id]
    daniel = stewards[schools.organisation_id]
    tomas = _person(f"tomas.silva@{DOMAIN}", "Tomás Silva")
    services.membership_grant(
        initiative=initiative,
        person=tomas,
        role=Role.PARTNER_MEMBER,
        organisation=library.organisation,
    )
    rosa = _person(f"rosa.delgado@{DOMAIN}", "Rosa Delgado")
    jordan = _person(f"jordan.reyes@{DOMAIN}", "Jordan Reyes")
    for person in (rosa, jordan):
        services.membership_grant(initiative=initiative, person=person, role=Role.COMMUNITY_MEMBER)
    helen = _person(f"helen.park@{DOMAIN}", "Helen Park")
    services.membership_grant(
        initiative=initiative,
        person=helen,
        role=Role.FUNDER,
        organisation=by_name["United Way of Riverton County"].organisation,
    )
    samuel = _person(f"samuel.adeyemi@{DOMAIN}", "Samuel Adeyemi")
    services.membership_grant(initiative=initiative, person=samuel, role=Role.EVALUATOR)

    # Version 1: three goals, first strategies, adopted at the launch.
    Agenda.objects.create(
        initiative=initiative,
        problem_statement=content.PROBLEM_V1,
        vision=content.VISION_V1,
        community_aspirations=content.ASPIRATIONS,
    )
    goals = [
        _add_goal(initiative, pos, spec, slice(0, 1)) for pos, spec in enumerate(content.GOALS[:3])
    ]
    Strategy.objects.filter(
        goal=goals[1], title="Reduce chronic absence in the early grades"
    ).update(title="Improve attendance in the early grades")
    v1 = agenda.version_publish(
        initiative=initiative,
        by=staff,
        note="Agenda adopted at the partnership launch",
        at=_at(0, 3, 15),
    )
    active = [p for p in partners if p.status == "active"]
    _endorse(v1, active[:16], stewards, _at(0, 3, 15))

    # Version 2: the post-secondary goal and the second strategies.
    goals.append(_add_goal(initiative, 3, content.GOALS[3], slice(0, 2)))
    for goal, spec in zip(goals[:3], content.GOALS[:3], strict=True):
        for pos, (title, actions) in enumerate(spec[2][1:], start=1):
            _add_strategy(initiative, goal, pos, title, actions)
    v2 = agenda.version_publish(
        initiative=initiative,
        by=staff,
        note="Added the post-secondary goal after 31 community listening sessions",
        at=_at(0, 10, 2),
    )
    _endorse(v2, active[:10], stewards, _at(0, 10, 2))

    # Version 3 (current): an equity lens in the problem and vision, a strategy renamed.
    Agenda.objects.filter(initiative=initiative).update(
        problem_statement=content.PROBLEM_V3, vision=content.VISION_V3
    )
    Strategy.objects.filter(goal=goals[1], title="Improve attendance in the early grades").update(
        title="Reduce chronic absence in the early grades"
    )
    v3 = agenda.version_publish(
        initiative=initiative,
        by=data_lead,
        note=f"Equity lens after the {LAUNCH.year + 1} data walk; attendance strategy renamed",
        at=_at(1, 4, 18),
    )
    not_yet = {
        "Riverton Public Library",
        "Northside Family Resource Center",
        "Eastgate Tenants' Union",
        "YouthWorks Riverton",
    }
    _endorse(v3, [p for p in active if p.organisation.name not in not_yet], stewards, _at(1, 4, 18))

    authors = {"Cam Resident": rosa, "Jordan Reyes": jordan}
    for goal_index, author, body in content.COMMENTS:
        agenda.comment_create(
            initiative=initiative, by=authors.get(author, rosa), body=body, goal=goals[goal_index]
        )

    sign_ins = [
        SignIn("Platform administrator", admin.name, admin.email, "Django admin at /admin/"),
        SignIn("Backbone staff", staff.name, staff.email, "edits the agenda, invites people"),
        SignIn(
            "Partner steward",
            priya.name,
            priya.email,
            "Riverton Public Library; has not endorsed version 3 yet",
        ),
        SignIn("Partner steward", daniel.name, daniel.email, "Riverton Public Schools"),
        SignIn("Partner member", tomas.name, tomas.email, "Riverton Public Library"),
        SignIn("Community member", rosa.name, rosa.email, "comments on goals"),
        SignIn("Funder", helen.name, helen.email, "United Way of Riverton County"),
        SignIn("Evaluator", samuel.name, samuel.email, "reads everything"),
        SignIn("Public", "Anyone", "(no sign-in)", "the initiative's pages are public"),
    ]
    measurement_build(
        initiative=initiative, staff=staff, data_lead=data_lead, partners=by_name, stewards=stewards
    )
    completeness_demo(initiative=initiative, by=staff)
    activities_demo(initiative=initiative)
    communication_demo(initiative=initiative)
    updates_demo(initiative=initiative, author=staff)
    workplan_demo(initiative=initiative)
    advocacy_demo(initiative=initiative)
    assessments_demo(initiative=initiative)
    learning_demo(initiative=initiative)
    network_demo(initiative=initiative)
    decisions_demo(initiative=initiative)
    phases_demo(initiative=initiative)
    powermap_demo(initiative=initiative)
    health_demo(initiative=initiative)
    reports_demo(initiative=initiative)
    return initiative, sign_ins
