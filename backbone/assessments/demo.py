"""The demo's assessments for Riverton: two rounds of the conditions questionnaire about a
year apart, and a backbone-effectiveness round open now.

Between the two conditions rounds shared measurement got stronger (the data walks and the
scorecard) and continuous communication weaker (the steering group met less often), and in
both community members rate the common agenda far lower than organisations do. The rounds
ask the stewards and members of every active partner and the community members; a few
dozen staff of partners and residents are added without a password (they never sign in), so
the largest sectors and the community have enough respondents to be shown on their own
under the initiative's small-number threshold, and the smallest sectors are not. Every draw
comes from one seeded random generator, so the demo is the same on every build.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.text import slugify

from backbone.accounts.models import Person
from backbone.initiatives import services as initiatives
from backbone.initiatives.models import Initiative, Partner
from backbone.initiatives.roles import PartnerStatus, Role

from . import services
from .loader import load_all
from .models import Questionnaire, Respondent, Round
from .scoring import items_of

SEED = 2026
DOMAIN = "riverton.example"

#: Extra staff per partner, so that the largest sectors reach the small-number threshold.
EXTRA_MEMBERS = {
    "Riverton Public Schools": 5,
    "Riverton Community College": 3,
    "Eastbank State University": 2,
    "Riverton Public Library": 1,
    "Little Steps Early Learning Network": 2,
    "Head Start of Riverton County": 2,
    "Boys & Girls Club of Riverton": 2,
    "Riverton Reads": 2,
    "YouthWorks Riverton": 2,
    "City of Riverton, Office of the Mayor": 4,
    "Riverton Workforce Board": 4,
    "Riverton Housing Authority": 4,
    "Riverton County Health Department": 4,
    "Riverside Community Health Center": 4,
    "United Way of Riverton County": 1,
    "Riverton Community Foundation": 1,
    "Riverton Chamber of Commerce": 1,
    "Greater Hope Baptist Church": 1,
    "St. Anne's Parish": 1,
    "Northside Family Resource Center": 1,
    "Latino Family Alliance": 1,
    "Southside Neighbors Association": 1,
    "Eastgate Tenants' Union": 1,
}
EXTRA_RESIDENTS = 13
FIRST = [
    "Amara", "Ben", "Chloe", "Dev", "Elena", "Femi", "Gabriel", "Hye-jin", "Isaac", "Jasmine",
    "Kofi", "Lena", "Mateo", "Nia", "Omar", "Paula", "Quinn", "Rafael", "Sana", "Theo",
    "Uma", "Wes", "Ximena", "Yusuf", "Zara",
]  # fmt: skip
LAST = [
    "Abbott", "Banerjee", "Castillo", "Dubois", "Eze", "Fischer", "Garza", "Hughes", "Ito",
    "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Osei", "Pereira", "Quintero",
    "Reyes-Lam", "Sato", "Tembo", "Usman", "Vasquez", "Whitfield", "Yilmaz", "Zhou",
]  # fmt: skip

# Element means the answers are drawn around, per round; community members and
# organisations differ on the common agenda in both.
CONDITIONS_TARGETS = [
    {
        "common_agenda": 3.7,
        "shared_measurement": 2.7,
        "mutually_reinforcing_activities": 3.2,
        "continuous_communication": 4.0,
        "backbone_support": 3.6,
    },
    {
        "common_agenda": 3.8,
        "shared_measurement": 3.8,
        "mutually_reinforcing_activities": 3.4,
        "continuous_communication": 2.8,
        "backbone_support": 4.2,
    },
]
COMMUNITY_SHIFT = {"common_agenda": -1.2}
ORGANISATION_SHIFT = {"common_agenda": 0.35}
SECTOR_SHIFT = {
    ("education", "shared_measurement"): 0.3,
    ("government", "mutually_reinforcing_activities"): -0.4,
    ("nonprofit", "backbone_support"): 0.3,
}
BACKBONE_TARGETS = {
    "guide_vision_and_strategy": 3.9,
    "support_aligned_activities": 4.1,
    "establish_shared_measurement_practices": 3.8,
    "build_public_will": 3.2,
    "advance_policy": 2.7,
    "mobilise_funding": 3.4,
}
COMMENTS = {
    "activities_gaps": [
        "Nobody is working with families before their child turns three.",
        "Summer learning for middle schoolers falls between every programme.",
        "Transport to after-school sites in Eastgate.",
        "Help for parents who work night shifts.",
        "Mental health support for teenagers, especially after school.",
        "Someone should connect the college's advisers with the high schools earlier.",
        "Outreach to families who do not speak English or Spanish.",
    ],
    "backbone_improve": [
        "Send the meeting notes within a week, not a month.",
        "Come to the neighbourhoods instead of asking us to come downtown.",
        "Explain the scorecard in plain words at the start of each meeting.",
        "Fewer meetings, but ones where decisions are made.",
        "Tell us what happened to the ideas we gave at the listening sessions.",
        "Share the data with partners before it goes to the funders.",
    ],
    "aligned_one_change": [
        "Give small organisations more notice before deadlines.",
        "Hold some meetings in the evening so residents can come.",
        "Help us find partners for the reading programme.",
    ],
}


def _partner_people(initiative: Initiative) -> list[Person]:
    """Extra staff for the partners, and extra residents, once per demo build."""
    by_name = {
        p.organisation.name: p
        for p in Partner.objects.filter(initiative=initiative).select_related("organisation")
    }
    names = [f"{first} {last}" for last in LAST for first in FIRST]
    random.Random(SEED).shuffle(names)
    names_iter = iter(names)
    made = []

    def person() -> Person:
        while True:
            name = next(names_iter)
            email = f"{slugify(name).replace('-', '.')}@{DOMAIN}"
            if not Person.objects.filter(email=email).exists():
                made.append(Person.objects.create_user(email=email, name=name))
                return made[-1]

    for org_name, count in EXTRA_MEMBERS.items():
        partner = by_name.get(org_name)
        if partner is None or partner.status != PartnerStatus.ACTIVE:
            continue
        for _ in range(count):
            initiatives.membership_grant(
                initiative=initiative,
                person=person(),
                role=Role.PARTNER_MEMBER,
                organisation=partner.organisation,
            )
    for _ in range(EXTRA_RESIDENTS):
        initiatives.membership_grant(
            initiative=initiative, person=person(), role=Role.COMMUNITY_MEMBER
        )
    return made


def _at(day, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(8, 0))) + timedelta(
        minutes=rng.randrange(0, 13 * 60)
    )


def _answers(items, targets: dict[str, float], shift: dict[str, float], rng) -> dict:
    answers = {}
    for item in items:
        element = item.element.split(".", 1)[1]
        if item.type == "scale":
            centre = targets[element] + shift.get(element, 0.0)
            value = round(rng.gauss(centre, 0.85))
            answers[item.key] = min(item.scale.high, max(item.scale.low, value))
        elif item.type == "single_choice":
            answers[item.key] = rng.choice([key for key, _ in item.options[:3]])
        elif item.type == "multiple_choice":
            answers[item.key] = [key for key, _ in item.options if rng.random() < 0.4]
        elif item.key in COMMENTS and rng.random() < 0.35:
            answers[item.key] = rng.choice(COMMENTS[item.key])
    return answers


def _shift(respondent: Respondent) -> dict[str, float]:
    if respondent.role == Role.COMMUNITY_MEMBER:
        return dict(COMMUNITY_SHIFT)
    sector = respondent.organisation.sector if respondent.organisation else ""
    shift = dict(ORGANISATION_SHIFT)
    for (s, element), value in SECTOR_SHIFT.items():
        if s == sector:
            shift[element] = shift.get(element, 0.0) + value
    return shift


def _run_round(
    *,
    initiative,
    questionnaire,
    opens_on,
    closes_on,
    title,
    rate,
    targets,
    rng,
    today,
    roles,
    skip=(),
):
    found = services.round_open(
        initiative=initiative,
        questionnaire=questionnaire,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        roles=roles,
        anonymous=True,
        results_shared=closes_on < today,
        today=opens_on,
    )
    items = items_of(found.questionnaire_data)
    asked = list(
        Respondent.objects.filter(round=found)
        .select_related("person", "organisation")
        .order_by("person__email")
    )
    groups: dict[str, list[Respondent]] = {}
    for respondent in asked:
        key = "community" if respondent.organisation is None else respondent.organisation.sector
        groups.setdefault(key, []).append(respondent)
    last_day = min(closes_on, today)
    for members in groups.values():
        candidates = [r for r in members if r.person.email not in skip]
        rng.shuffle(candidates)
        for respondent in candidates[: round(rate * len(members))]:
            day = opens_on + timedelta(days=rng.randrange(0, (last_day - opens_on).days + 1))
            now = _at(day, rng)
            if day == today:
                now = min(now, timezone.now())
            services.response_submit(
                round=found,
                person=respondent.person,
                answers=_answers(items, targets, _shift(respondent), rng),
                now=now,
            )
    return found


def assessments_demo(*, initiative: Initiative) -> list[Round]:
    load_all()
    rng = random.Random(SEED)
    today = timezone.localdate()
    _partner_people(initiative)
    conditions = Questionnaire.objects.get(slug="conditions")
    backbone = Questionnaire.objects.get(slug="backbone-effectiveness")
    roles = [Role.PARTNER_STEWARD, Role.PARTNER_MEMBER, Role.COMMUNITY_MEMBER]
    rounds = []
    for number, (opens_ago, closes_ago, rate) in enumerate([(400, 379, 0.7), (35, 14, 0.8)]):
        opens_on = today - timedelta(days=opens_ago)
        rounds.append(
            _run_round(
                initiative=initiative,
                questionnaire=conditions,
                opens_on=opens_on,
                closes_on=today - timedelta(days=closes_ago),
                title=f"Strength of the five conditions, {opens_on:%B %Y}",
                rate=rate,
                targets=CONDITIONS_TARGETS[number],
                rng=rng,
                today=today,
                roles=roles,
            )
        )
    rounds.append(
        _run_round(
            initiative=initiative,
            questionnaire=backbone,
            opens_on=today - timedelta(days=6),
            closes_on=today + timedelta(days=15),
            title=f"How the backbone is doing, {today:%B %Y}",
            rate=0.45,
            targets=BACKBONE_TARGETS,
            rng=rng,
            today=today,
            roles=[Role.PARTNER_STEWARD, Role.PARTNER_MEMBER],
            skip={f"priya.natarajan@{DOMAIN}", f"tomas.silva@{DOMAIN}"},
        )
    )
    return rounds
