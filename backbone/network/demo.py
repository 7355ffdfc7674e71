"""The demo's partner network: two survey waves a year apart.

The first wave asked all 25 partners (two have paused or left since); the second the 23
active ones. Between the two the network grew denser and trust rose a little, while the two
faith partners stayed at its edge: they name few partners and few name them. Every rating is
drawn from a seeded random generator, so the demo is the same each time it is built, and goes
through the same service as a partner's answer.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from backbone.initiatives.models import Initiative, Membership, Partner
from backbone.initiatives.roles import PartnerStatus, Role, Sector

from . import services
from .models import SCORE_ITEMS, TRUST_ITEMS, Contribution, Level, Wave

SEED = 11
#: Chance that a pair of partners has a tie, per wave: the network grows denser.
TIE_CHANCE = (0.31, 0.37)
#: Trust rises a little from the first wave to the second.
TRUST_SHIFT = (0.0, 0.2)
ISOLATED = Sector.FAITH
NOT_ANSWERING = (
    {"Eastgate Tenants' Union", "YouthWorks Riverton"},
    {"Riverton Housing Authority"},
)
CONTRIBUTIONS = {
    Sector.GOVERNMENT: ["data", "funding", "advocacy", "facilitation"],
    Sector.NONPROFIT: ["staff", "expertise", "community_connections", "volunteers"],
    Sector.BUSINESS: ["in_kind", "funding", "volunteers"],
    Sector.PHILANTHROPY: ["funding", "facilitation", "advocacy"],
    Sector.EDUCATION: ["data", "expertise", "staff", "in_kind"],
    Sector.HEALTH: ["expertise", "data", "staff"],
    Sector.FAITH: ["volunteers", "community_connections", "in_kind"],
    Sector.COMMUNITY_GROUP: ["community_connections", "volunteers", "advocacy"],
    Sector.RESIDENT_ASSOCIATION: ["community_connections", "advocacy"],
}


def _chance(a: Partner, b: Partner, wave: int) -> float:
    sa, sb = a.organisation.sector, b.organisation.sector
    chance = TIE_CHANCE[wave]
    if ISOLATED in (sa, sb) and sa != sb:
        return chance * 0.45
    return chance * (1.35 if sa == sb else 1.0)


def _level(u: float, chance: float) -> int:
    if u >= chance:
        return Level.AWARENESS if u < chance + 0.22 else Level.NONE
    share = u / chance
    return (
        Level.COLLABORATION
        if share < 0.3
        else Level.COORDINATION
        if share < 0.65
        else Level.COOPERATION
    )


def network_demo(*, initiative: Initiative) -> list[Wave]:
    """Build (again) the demo's two waves with their answers; returns them, oldest first."""
    Wave.objects.filter(initiative=initiative).delete()
    rng = random.Random(SEED)
    today = timezone.localdate()
    everyone = list(
        Partner.objects.filter(initiative=initiative)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    if len(everyone) < 2:
        return []
    stewards = {
        m.organisation_id: m.person
        for m in Membership.objects.filter(
            initiative=initiative, role=Role.PARTNER_STEWARD
        ).select_related("person")
    }
    staff = Membership.objects.filter(initiative=initiative, role=Role.BACKBONE_STAFF).first()
    # What stays the same across waves: how close each pair is, each direction's own view,
    # each partner's standing (trust, value) in the others' eyes, what it contributes.
    closeness = {}
    for i, a in enumerate(everyone):
        for b in everyone[i + 1 :]:
            closeness[a.pk, b.pk] = closeness[b.pk, a.pk] = rng.random()
    view = {(a.pk, b.pk): rng.random() for a in everyone for b in everyone if a.pk != b.pk}
    standing = {p.pk: (2.3 + 1.2 * rng.random(), 2.2 + 1.3 * rng.random()) for p in everyone}

    waves = []
    starts = [today - timedelta(days=400), today - timedelta(days=35)]
    for w, opens_on in enumerate(starts):
        partners = everyone if w == 0 else [p for p in everyone if p.status == PartnerStatus.ACTIVE]
        wave = services.wave_open(
            initiative=initiative,
            name=f"Network survey {opens_on:%B %Y}",
            opens_on=opens_on,
            closes_on=opens_on + timedelta(days=27),
            by=staff.person if staff else None,
            partners=partners,
        )
        waves.append(wave)
        for n, rater in enumerate(partners):
            if rater.organisation.name in NOT_ANSWERING[w]:
                continue
            ratings = {}
            for rated in partners:
                if rated.pk == rater.pk:
                    continue
                u = 0.6 * closeness[rater.pk, rated.pk] + 0.25 * view[rater.pk, rated.pk]
                u += 0.15 * rng.random()
                level = _level(u, _chance(rater, rated, w))
                rating = {"level": level}
                if level > Level.NONE:
                    trust, value = standing[rated.pk]
                    for item in SCORE_ITEMS:
                        base = trust + TRUST_SHIFT[w] if item in TRUST_ITEMS else value
                        score = base + 0.2 * (level - 2) + rng.gauss(0, 0.45)
                        rating[item] = min(4, max(1, round(score)))
                ratings[rated.pk] = rating
            kinds = CONTRIBUTIONS.get(rater.organisation.sector, [Contribution.OTHER])
            kinds = kinds[: 2 + (n + w) % 2]
            services.answer_submit(
                wave=wave,
                partner=rater,
                by=stewards.get(rater.organisation_id),
                ratings=ratings,
                contributions=kinds,
                main_contribution=kinds[0],
                other_contribution="Meeting space" if Contribution.OTHER in kinds else "",
                at=timezone.make_aware(
                    datetime.combine(opens_on + timedelta(days=1 + n % 20), time(10 + n % 7, 15))
                ),
            )
    return waves
