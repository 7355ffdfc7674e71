"""The demo's shared measurement: a cradle-to-career set of indicators for Riverton, five
school years of values from several partners, written through the one intake path and taken
through approval — some approved, some returned, some waiting, some reports missing.

The numbers are made up but plausible: kindergarten readiness rises from about 45% to 52%;
the gap between Black and white children narrows while the gap between Latino and white
children widens; a few groups are small enough (fewer than ten children) to be suppressed on
public pages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from backbone.accounts.models import Person
from backbone.agenda.models import Goal, Strategy
from backbone.initiatives.models import Initiative, Partner
from backbone.measurement import approval
from backbone.measurement import services_setup as setup
from backbone.measurement.intake import Catalogue, Reported
from backbone.measurement.intake.service import values_import
from backbone.measurement.models import (
    Cell,
    DataValue,
    Dimension,
    Group,
    Indicator,
    Period,
    Submission,
    Target,
    ValueChange,
)

SEED = 20201


def latest_school_year(today: date) -> int:
    """The August the newest school year of the demo starts in: the newest whose report is
    past due (90 days after July), so the demo always reads as of today."""
    return today.year - 1 if today >= date(today.year, 10, 30) else today.year - 2


LATEST = latest_school_year(date.today())
YEARS = list(range(LATEST - 4, LATEST + 1))  # school years start in August of these years
#: The partnership's launch, halfway through the second school year of data: the first is its
#: baseline. The rest of the demo's history is counted from it, so it moves with today.
LAUNCH = date(LATEST - 2, 1, 15)
#: The newest school year's last three months are still open for reporting.
OPEN_MONTHS = {f"{LATEST + 1}-05", f"{LATEST + 1}-06", f"{LATEST + 1}-07"}
LAST_MONTH = f"{LATEST + 1}-07"  # not reported yet by the pre-K partners: late
SLIP_MONTH = f"{LATEST + 1}-06"  # a running total that goes down, returned by the backbone
CORRECTED_MONTH = f"{YEARS[3]}-10"  # sent wrong, then corrected

RACE = [
    ("black", "Black"),
    ("latino", "Latino"),
    ("white", "White"),
    ("asian", "Asian"),
    ("multiracial", "Multiracial or other"),
    ("native", "Native American"),
]
# Share of children, share of them in low-income families.
RACE_SHARE = {
    "black": (0.29, 0.68),
    "latino": (0.27, 0.72),
    "white": (0.30, 0.28),
    "asian": (0.07, 0.35),
    "multiracial": (0.065, 0.50),
    "native": (0.005, 0.65),
}
INCOME = [("low", "Low income"), ("not-low", "Not low income")]
SCHOOLS = [
    ("riverside-es", "Riverside Elementary", "elementary", 560),
    ("northside-es", "Northside Elementary", "elementary", 480),
    ("eastgate-es", "Eastgate Elementary", "elementary", 430),
    ("lincoln-park-es", "Lincoln Park Elementary", "elementary", 610),
    ("carver-ms", "Carver Middle School", "middle", 720),
    ("southside-ms", "Southside Middle School", "middle", 650),
    ("central-hs", "Riverton Central High School", "high", 1480),
    ("eastgate-hs", "Eastgate High School", "high", 1120),
]
PLACES = [
    (
        "northside",
        "Northside",
        [
            ("millbrook", "Millbrook"),
            ("cedar-heights", "Cedar Heights"),
            ("foundry-row", "Foundry Row"),
        ],
    ),
    (
        "eastgate",
        "Eastgate",
        [("eastgate-estates", "Eastgate Estates"), ("harbor-view", "Harbor View")],
    ),
    (
        "southside",
        "Southside",
        [("southgate", "Southgate"), ("elm-park", "Elm Park"), ("kingsley", "Kingsley")],
    ),
    (
        "westfield",
        "Westfield",
        [("westfield-village", "Westfield Village"), ("oak-hollow", "Oak Hollow")],
    ),
]
NEIGHBOURHOODS = [key for _, _, hoods in PLACES for key, _ in hoods]
# How much of the need sits in each neighbourhood (pre-K and home visiting).
NEED = {
    "millbrook": 1.5,
    "cedar-heights": 1.2,
    "foundry-row": 1.4,
    "eastgate-estates": 1.6,
    "harbor-view": 0.9,
    "southgate": 1.0,
    "elm-park": 0.8,
    "kingsley": 0.6,
    "westfield-village": 0.35,
    "oak-hollow": 0.12,
}

RPS = "Riverton Public Schools"
HEAD_START = "Head Start of Riverton County"
LITTLE_STEPS = "Little Steps Early Learning Network"
HEALTH = "Riverton County Health Department"
NFRC = "Northside Family Resource Center"
LIBRARY = "Riverton Public Library"
READS = "Riverton Reads"
CLUB = "Boys & Girls Club of Riverton"
RCC = "Riverton Community College"
ESU = "Eastbank State University"


def sy_code(year: int) -> str:
    return f"SY{year}-{(year + 1) % 100:02d}"


def _months() -> list[date]:
    return [date(y + (m >= 12), m % 12 + 1, 1) for y in YEARS for m in range(7, 19)]


def _month_code(d: date) -> str:
    return f"{d.year}-{d.month:02d}"


@dataclass
class Spec:
    code: str
    name: str
    goal: int  # index of the demo agenda's goal
    strategy: str = ""  # title of a strategy under that goal
    dims: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


def _rate(numerator: str, denominator: str, **extra) -> dict:
    return {
        "unit": Indicator.Unit.PERCENT,
        "aggregation": "rate",
        "rate_per": 100,
        "numerator_definition": numerator,
        "denominator_definition": denominator,
        **extra,
    }


SPECS = [
    Spec(
        "kindergarten-readiness",
        "Kindergarten readiness",
        0,
        dims=("race", "income"),
        extra=_rate(
            "Kindergartners who meet the benchmark in all four domains of the fall entry "
            "assessment (language, literacy, mathematics, social-emotional).",
            "Kindergartners assessed in the first 45 days of school.",
            definition="Share of children entering kindergarten ready to learn, as measured by "
            "the fall kindergarten entry assessment.",
            kind="population",
            visibility="public",
            source="Riverton Public Schools, fall kindergarten entry assessment",
            frequency="school_year",
        ),
    ),
    Spec(
        "third-grade-reading",
        "Third-grade reading proficiency",
        1,
        dims=("race", "income"),
        extra=_rate(
            "Third graders scoring proficient or above on the state reading assessment.",
            "Third graders tested in reading.",
            definition="Share of third graders reading at grade level at the end of the year.",
            kind="population",
            visibility="public",
            source="State reading assessment, grade 3 (spring)",
            frequency="school_year",
        ),
    ),
    Spec(
        "chronic-absenteeism",
        "Chronic absenteeism",
        1,
        "Reduce chronic absence in the early grades",
        dims=("school",),
        extra=_rate(
            "Students absent for 10% or more of the days they were enrolled, for any reason.",
            "Students enrolled for at least 10 days.",
            definition="Share of students missing 10% or more of the school year.",
            kind="population",
            direction="down",
            visibility="funders",
            source="Riverton Public Schools, student information system",
            frequency="school_year",
        ),
    ),
    Spec(
        "average-attendance",
        "Average daily attendance",
        1,
        "Reduce chronic absence in the early grades",
        dims=("school",),
        extra={
            "unit": Indicator.Unit.PERCENT,
            "aggregation": "weighted",
            "definition": "Average share of enrolled students present each day, weighted by "
            "enrolment.",
            "kind": "how_well",
            "visibility": "members",
            "source": "Riverton Public Schools, student information system",
            "frequency": "school_year",
            "decimals": 1,
        },
    ),
    Spec(
        "ninth-grade-on-track",
        "Ninth graders on track",
        2,
        "Catch students who fall off track in ninth grade",
        dims=("school",),
        extra=_rate(
            "Ninth graders with enough credits to move to tenth grade and no more than one "
            "semester F in a core course.",
            "Ninth graders enrolled on the last day of school.",
            definition="Share of first-time ninth graders on track to graduate on time.",
            kind="better_off",
            visibility="funders",
            source="Riverton Public Schools, transcripts",
            frequency="school_year",
        ),
    ),
    Spec(
        "high-school-graduation",
        "High-school graduation",
        2,
        dims=("race", "income"),
        extra=_rate(
            "Students of the cohort who graduate with a regular diploma within four years.",
            "Students who entered ninth grade four years earlier, adjusted for transfers in "
            "and out.",
            definition="Four-year adjusted cohort graduation rate.",
            kind="population",
            visibility="public",
            source="Riverton Public Schools, state cohort file",
            frequency="school_year",
        ),
    ),
    Spec(
        "postsecondary-enrolment",
        "Post-secondary enrolment",
        3,
        dims=("income",),
        extra=_rate(
            "Graduates enrolled in a two- or four-year college or a certificate programme by "
            "the fall after graduation.",
            "High-school graduates of the year.",
            definition="Share of graduates enrolling in post-secondary education within a year.",
            kind="population",
            visibility="public",
            source="National Student Clearinghouse, through Riverton Public Schools",
            frequency="school_year",
        ),
    ),
    Spec(
        "postsecondary-completion",
        "Post-secondary completion",
        3,
        "Support first-generation students to complete college",
        dims=("income",),
        extra=_rate(
            "Students of the entering cohort who earned a certificate or degree within six years "
            "(150% of normal time).",
            "First-time students who entered six years earlier.",
            definition="Share of Riverton graduates entering local colleges who complete a "
            "credential within six years.",
            kind="population",
            visibility="funders",
            source="Riverton Community College and Eastbank State University, cohort files",
            frequency="school_year",
        ),
    ),
    Spec(
        "prek-enrolled",
        "Children enrolled in quality pre-K",
        0,
        "Expand access to high-quality early learning",
        dims=("place",),
        extra={
            "unit": Indicator.Unit.COUNT,
            "aggregation": "stock",
            "definition": "Three- and four-year-olds enrolled on the last day of the month in "
            "pre-K rated 4 or 5 stars by the state, by the neighbourhood they live in.",
            "kind": "how_much",
            "visibility": "funders",
            "source": "Enrolment records of Head Start and the Little Steps network",
            "frequency": "month",
            "decimals": 0,
        },
    ),
    Spec(
        "home-visiting-families",
        "Families served by home visiting",
        0,
        "Screen early and connect families to support",
        dims=("place",),
        extra={
            "unit": Indicator.Unit.COUNT,
            "aggregation": "cumulative",
            "definition": "Families with a child under three who received at least one home "
            "visit since the start of the school year (August), by neighbourhood. A running "
            "total: each month gives the total so far.",
            "kind": "how_much",
            "visibility": "members",
            "source": "Home-visiting case records",
            "frequency": "month",
            "decimals": 0,
        },
    ),
    Spec(
        "students-tutored",
        "Students tutored in reading",
        1,
        "Keep children reading through the summer",
        dims=("school",),
        extra={
            "unit": Indicator.Unit.COUNT,
            "aggregation": "sum",
            "definition": "K–3 students who attended at least eight reading-tutoring sessions "
            "in the school year or the summer after it, by school attended.",
            "kind": "how_much",
            "visibility": "funders",
            "source": "Attendance logs of the tutoring programmes",
            "frequency": "school_year",
            "decimals": 0,
        },
    ),
]

OWNERS = {
    "kindergarten-readiness": RPS,
    "third-grade-reading": RPS,
    "chronic-absenteeism": RPS,
    "average-attendance": RPS,
    "ninth-grade-on-track": RPS,
    "high-school-graduation": RPS,
    "postsecondary-enrolment": RPS,
    "postsecondary-completion": RCC,
    "prek-enrolled": HEAD_START,
    "home-visiting-families": HEALTH,
    "students-tutored": READS,
}


# --- the numbers --------------------------------------------------------------------------


def _lerp(a: float, b: float, year: int) -> float:
    return a + (b - a) * (year - YEARS[0]) / (YEARS[-1] - YEARS[0])


def _clamp(p: float) -> float:
    return min(max(p, 1.0), 99.0)


# Rates by race, first year → last year, and the income gap around them.
READINESS = {
    "black": (35.0, 50.0),  # the gap to white children narrows
    "latino": (43.0, 44.0),  # … while this one widens
    "white": (53.0, 57.5),
    "asian": (55.0, 59.0),
    "multiracial": (46.0, 53.0),
    "native": (38.0, 45.0),
}
READING = {
    "black": (24.0, 31.0),
    "latino": (29.0, 32.0),
    "white": (52.0, 55.0),
    "asian": (55.0, 58.0),
    "multiracial": (40.0, 44.0),
    "native": (28.0, 33.0),
}
GRADUATION = {
    "black": (72.0, 79.0),
    "latino": (74.0, 78.0),
    "white": (87.0, 89.0),
    "asian": (90.0, 92.0),
    "multiracial": (80.0, 84.0),
    "native": (70.0, 76.0),
}
INCOME_GAP = {  # points below (low income) and above (not low income) the group's rate
    "kindergarten-readiness": (-5.0, 6.0),
    "third-grade-reading": (-7.0, 9.0),
    "high-school-graduation": (-5.0, 4.0),
}
COHORT = {
    "kindergarten-readiness": 2180,
    "third-grade-reading": 2060,
    "high-school-graduation": 1720,
}


def _race_income_rows(code: str, by_race: dict, year: int, rng: random.Random) -> list[dict]:
    """Cells of race × income (numerator, denominator) and the total."""
    low_gap, high_gap = INCOME_GAP[code]
    cohort = COHORT[code] * (1 - 0.012 * (year - YEARS[0])) * rng.uniform(0.98, 1.02)
    rows = []
    for race, _ in RACE:
        share, low_share = RACE_SHARE[race]
        n_race = cohort * share
        rate = _lerp(*by_race[race], year)
        for income, _ in INCOME:
            n = n_race * (low_share if income == "low" else 1 - low_share)
            n = max(int(round(n * rng.uniform(0.95, 1.05))), 1)
            gap = low_gap if income == "low" else high_gap
            p = _clamp(rate + gap + rng.uniform(-1.2, 1.2)) / 100
            rows.append({"groups": {"race": race, "income": income}, "num": round(n * p), "den": n})
    rows.append(_total(rows))
    return rows


def _total(rows: list[dict]) -> dict:
    return {
        "groups": {},
        "num": sum(r["num"] for r in rows),
        "den": sum(r["den"] for r in rows),
    }


def _school_rates(year: int, rng: random.Random, first: dict, last: dict, schools) -> list[dict]:
    rows = []
    for key, _, _, size in schools:
        n = int(size * rng.uniform(0.96, 1.04))
        p = _clamp(_lerp(first[key], last[key], year) + rng.uniform(-1.0, 1.0)) / 100
        rows.append({"groups": {"school": key}, "num": round(n * p), "den": n})
    rows.append(_total(rows))
    return rows


ABSENCE_FIRST = {
    "riverside-es": 19, "northside-es": 31, "eastgate-es": 34, "lincoln-park-es": 15,
    "carver-ms": 24, "southside-ms": 21, "central-hs": 27, "eastgate-hs": 33,
}  # fmt: skip
ABSENCE_LAST = {
    "riverside-es": 15, "northside-es": 22, "eastgate-es": 25, "lincoln-park-es": 13,
    "carver-ms": 22, "southside-ms": 23, "central-hs": 25, "eastgate-hs": 36,
}  # fmt: skip
ON_TRACK_FIRST = {"central-hs": 71, "eastgate-hs": 63}
ON_TRACK_LAST = {"central-hs": 80, "eastgate-hs": 74}


def _attendance(year: int, rng: random.Random) -> list[dict]:
    rows = []
    for key, _, _, size in SCHOOLS:
        n = int(size * rng.uniform(0.96, 1.04))
        absent = _lerp(ABSENCE_FIRST[key], ABSENCE_LAST[key], year)
        value = round(97.5 - absent * 0.22 + rng.uniform(-0.3, 0.3), 1)
        rows.append({"groups": {"school": key}, "value": value, "weight": n})
    n = sum(r["weight"] for r in rows)
    mean = Decimal(sum(Decimal(str(r["value"])) * r["weight"] for r in rows)) / n
    rows.append({"groups": {}, "value": mean.quantize(Decimal("0.01"), ROUND_HALF_UP), "weight": n})
    return rows


def _by_income(year, rng, n_total, low_share, low, high) -> list[dict]:
    rows = []
    for income, _ in INCOME:
        n = int(
            n_total * (low_share if income == "low" else 1 - low_share) * rng.uniform(0.97, 1.03)
        )
        first, last = low if income == "low" else high
        p = _clamp(_lerp(first, last, year) + rng.uniform(-1.0, 1.0)) / 100
        rows.append({"groups": {"income": income}, "num": round(n * p), "den": n})
    rows.append(_total(rows))
    return rows


def _counts(groups: dict[str, int], dim: str) -> list[dict]:
    rows = [{"groups": {dim: key}, "value": value} for key, value in groups.items()]
    rows.append({"groups": {}, "value": sum(groups.values())})
    return rows


def _prek(partner: str, month: date, rng: random.Random) -> list[dict]:
    """Children enrolled on the last day of the month, by neighbourhood."""
    year = month.year if month.month >= 8 else month.year - 1
    summer = month.month in (6, 7, 8)
    if partner == HEAD_START:
        base = 820 + 12 * (year - YEARS[0])
        new_seats = (year, month.month) >= (LAUNCH.year, 9)  # in the north and east
        extra = 150 if new_seats else 0
        hoods = NEIGHBOURHOODS
    else:
        base = 330 + 25 * (year - YEARS[0])
        extra = 60 if (year, month.month) >= (LAUNCH.year, 9) else 0
        hoods = [h for h in NEIGHBOURHOODS if h != "harbor-view"]
    weight = sum(NEED[h] for h in hoods)
    counts = {}
    for h in hoods:
        n = base * NEED[h] / weight
        if h in {"millbrook", "foundry-row", "eastgate-estates"}:
            n += extra / 3
        if summer:
            n *= 0.45
        counts[h] = max(int(round(n * rng.uniform(0.93, 1.05))), 0)
    return _counts(counts, "place")


def _home_visits(partner: str, months: list[date], rng: random.Random):
    """Running totals since August, by neighbourhood: {month: rows}."""
    if partner == HEALTH:
        hoods, monthly = NEIGHBOURHOODS, 34
    else:
        hoods, monthly = ["millbrook", "cedar-heights", "foundry-row"], 7
    weight = sum(NEED[h] for h in hoods)
    out: dict[date, list[dict]] = {}
    running: dict[str, int] = {}
    for month in months:
        if month.month == 8:
            running = {h: 0 for h in hoods}
        year = month.year if month.month >= 8 else month.year - 1
        growth = 1 + 0.07 * (year - YEARS[0])
        for h in hoods:
            expected = monthly * growth * NEED[h] / weight
            running[h] += max(int(round(expected * rng.uniform(0.6, 1.4))), 0)
        out[month] = _counts(dict(running), "place")
    return out


TUTORING = {  # partner: (students at the first year, growth a year, schools it works in)
    READS: (160, 22, ["riverside-es", "northside-es", "eastgate-es", "lincoln-park-es"]),
    LIBRARY: (240, 30, ["riverside-es", "northside-es", "eastgate-es", "lincoln-park-es"]),
    CLUB: (130, 15, ["northside-es", "eastgate-es"]),
}


def _tutored(partner: str, year: int, rng: random.Random) -> list[dict]:
    first, growth, schools = TUTORING[partner]
    total = first + growth * (year - YEARS[0])
    weights = {s: rng.uniform(0.7, 1.3) for s in schools}
    scale = sum(weights.values())
    return _counts({s: int(round(total * w / scale)) for s, w in weights.items()}, "school")


# --- building ------------------------------------------------------------------------------


def _reported(code: str, period: str, rows: list[dict], partner: str | None = None):
    out = []
    for n, r in enumerate(rows, start=2):
        out.append(
            Reported(
                indicator=code,
                period=period,
                groups=r["groups"],
                value=r.get("value"),
                numerator=r.get("num"),
                denominator=r.get("den"),
                weight=r.get("weight"),
                partner=partner,
                row=n,
            )
        )
    return out


def _when(day: date, offset_days: int) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=offset_days), time(10, 30)))


class _Builder:
    def __init__(self, initiative, staff, data_lead, partners, stewards):
        self.initiative = initiative
        self.staff = staff
        self.data_lead = data_lead
        self.partners = partners
        self.stewards = stewards
        self.rng = random.Random(SEED)
        self.catalogue: Catalogue | None = None
        self.periods: dict[str, Period] = {}
        self.submitted: list[tuple[Submission, date]] = []

    def steward(self, name: str) -> Person:
        return self.stewards[self.partners[name].organisation_id]

    # set-up through the set-up services, as the backbone would on its pages

    def dimensions(self) -> None:
        i = self.initiative
        race = setup.dimension_create(initiative=i, key="race", name="Race/ethnicity")
        for key, name in RACE:
            setup.group_create(dimension=race, key=key, name=name)
        income = setup.dimension_create(initiative=i, key="income", name="Family income")
        for key, name in INCOME:
            setup.group_create(dimension=income, key=key, name=name)
        school = setup.dimension_create(initiative=i, key="school", name="School")
        for key, name, _, _ in SCHOOLS:
            setup.group_create(dimension=school, key=key, name=name)
        place = setup.dimension_create(initiative=i, key="place", name="Place", is_geography=True)
        city = setup.group_create(dimension=place, key="riverton", name="Riverton")
        for key, name, hoods in PLACES:
            district = setup.group_create(dimension=place, key=key, name=name, parent=city)
            for hood_key, hood_name in hoods:
                setup.group_create(dimension=place, key=hood_key, name=hood_name, parent=district)

    def indicators(self) -> dict[str, Indicator]:
        goals = list(Goal.objects.filter(initiative=self.initiative).order_by("position", "id"))
        dims = {d.key: d for d in Dimension.objects.filter(initiative=self.initiative)}
        made = {}
        for spec in SPECS:
            goal = goals[spec.goal]
            strategy = (
                Strategy.objects.filter(goal=goal, title=spec.strategy).first()
                if spec.strategy
                else None
            )
            made[spec.code] = setup.indicator_create(
                initiative=self.initiative,
                by=self.data_lead,
                dimensions=[dims[k] for k in spec.dims],
                code=spec.code,
                name=spec.name,
                goal=None if strategy else goal,
                strategy=strategy,
                owner=self.partners[OWNERS[spec.code]].organisation,
                **spec.extra,
            )
        return made

    def periods_(self) -> None:
        i = self.initiative
        setup.periods_generate(
            initiative=i,
            kind=Period.Kind.SCHOOL_YEAR,
            first=date(YEARS[0], 8, 1),
            last=date(LATEST + 1, 7, 31),
            start_month=8,
            due_days=90,
        )
        setup.periods_generate(
            initiative=i,
            kind=Period.Kind.MONTH,
            first=date(YEARS[0], 8, 1),
            last=date(LATEST + 1, 7, 31),
            due_days=15,
        )
        self.periods = {p.code: p for p in Period.objects.filter(initiative=i)}

    # values, through the intake

    def submit(
        self,
        partner: str,
        rows: list[Reported],
        *,
        channel: str,
        period_end: date,
        lag: int,
        file_name: str = "",
        narrative: str = "",
        backbone: bool = False,
    ) -> Submission:
        submission = values_import(
            rows,
            initiative=self.initiative,
            by=self.data_lead if backbone else self.steward(partner),
            channel=channel,
            partner=None if backbone else self.partners[partner],
            many_partners=backbone,
            file_name=file_name,
            catalogue=self.catalogue,
            narrative=narrative,
        )
        self.submitted.append((submission, period_end + timedelta(days=lag)))
        return submission

    def school_years(self) -> dict[tuple[str, str, int], Submission]:
        """Annual reports: {(partner, indicator, year): submission}."""
        rng = self.rng
        out: dict[tuple[str, str, int], Submission] = {}
        rps_slug = self.partners[RPS].organisation.slug
        history: list[Reported] = []
        for year in YEARS:
            sy, end = sy_code(year), date(year + 1, 7, 31)
            rps = {
                "kindergarten-readiness": _race_income_rows(
                    "kindergarten-readiness", READINESS, year, rng
                ),
                "third-grade-reading": _race_income_rows("third-grade-reading", READING, year, rng),
                "high-school-graduation": _race_income_rows(
                    "high-school-graduation", GRADUATION, year, rng
                ),
                "chronic-absenteeism": _school_rates(
                    year, rng, ABSENCE_FIRST, ABSENCE_LAST, SCHOOLS
                ),
                "average-attendance": _attendance(year, rng),
                "ninth-grade-on-track": _school_rates(
                    year, rng, ON_TRACK_FIRST, ON_TRACK_LAST, [s for s in SCHOOLS if s[2] == "high"]
                ),
                "postsecondary-enrolment": _by_income(
                    year, rng, 1340 + 12 * (year - YEARS[0]), 0.55, (47, 52), (69, 72)
                ),
            }
            if year <= YEARS[1]:
                # The district's first two years came in as one file the backbone imported.
                for code, rows in rps.items():
                    history.extend(_reported(code, sy, rows, partner=rps_slug))
                if year == YEARS[1]:
                    sub = self.submit(
                        RPS,
                        history,
                        channel=Submission.Channel.CSV,
                        period_end=end,
                        lag=75,
                        file_name=f"rps-results-{YEARS[0]}-{YEARS[2]}.csv",
                        narrative="Results of the two school years before the partnership's "
                        "launch, from the district's research office.",
                        backbone=True,
                    )
                    for code in rps:
                        out[(RPS, code, YEARS[0])] = out[(RPS, code, YEARS[1])] = sub
            else:
                for n, (code, rows) in enumerate(rps.items()):
                    if year == LATEST and code == "ninth-grade-on-track":
                        continue  # not reported yet: late
                    out[(RPS, code, year)] = self.submit(
                        RPS,
                        _reported(code, sy, rows),
                        channel=Submission.Channel.CSV,
                        period_end=end,
                        lag=30 + 6 * n,
                        file_name=f"rps-{code}-{year}-{(year + 1) % 100:02d}.csv",
                    )
            for partner, (n_total, low, high) in {
                RCC: (880, (21, 27), (37, 41)),
                ESU: (610, (39, 44), (57, 60)),
            }.items():
                if year == LATEST and partner == ESU:
                    continue  # late
                rows = _by_income(year, rng, n_total, 0.6 if partner == RCC else 0.4, low, high)
                out[(partner, "postsecondary-completion", year)] = self.submit(
                    partner,
                    _reported("postsecondary-completion", sy, rows),
                    channel=Submission.Channel.XLSX,
                    period_end=end,
                    lag=55,
                    file_name=f"completion-cohort-{year - 6}.xlsx",
                )
        for year in YEARS:
            for partner in TUTORING:
                rows = _tutored(partner, year, rng)
                out[(partner, "students-tutored", year)] = self.submit(
                    partner,
                    _reported("students-tutored", sy_code(year), rows),
                    channel=Submission.Channel.WEB,
                    period_end=date(year + 1, 7, 31),
                    lag=20,
                    narrative="Summer reading sessions at the branches doubled this year."
                    if partner == LIBRARY and year == LAUNCH.year
                    else "",
                )
        return out

    def months(self) -> dict[tuple[str, str], Submission]:
        """Monthly reports: {(partner, month code): submission}."""
        rng = self.rng
        months = _months()
        out: dict[tuple[str, str], Submission] = {}
        visits = {p: _home_visits(p, months, rng) for p in (HEALTH, NFRC)}
        for month in months:
            code = _month_code(month)
            end = date(month.year + (month.month == 12), month.month % 12 + 1, 1) - timedelta(1)
            for partner in (HEAD_START, LITTLE_STEPS):
                if code == LAST_MONTH:
                    continue  # not reported yet: late
                rows = _prek(partner, month, rng)
                if partner == HEAD_START and code == CORRECTED_MONTH:
                    # First sent with Harbor View counted in Eastgate Estates, then corrected.
                    wrong = {r["groups"].get("place"): r["value"] for r in rows if r["groups"]}
                    wrong["eastgate-estates"] += wrong.pop("harbor-view")
                    first = self.submit(
                        partner,
                        _reported("prek-enrolled", code, _counts(wrong, "place")),
                        channel=Submission.Channel.WEB,
                        period_end=end,
                        lag=6,
                    )
                    out[(partner, code + "-first")] = first
                out[(partner, code)] = self.submit(
                    partner,
                    _reported("prek-enrolled", code, rows),
                    channel=Submission.Channel.WEB
                    if partner == HEAD_START
                    else Submission.Channel.CSV,
                    period_end=end,
                    lag=(16 if code == CORRECTED_MONTH else 9) if partner == HEAD_START else 12,
                    file_name="" if partner == HEAD_START else f"little-steps-{code}.csv",
                )
            for partner in (HEALTH, NFRC):
                rows = visits[partner][month]
                if partner == HEALTH and code == SLIP_MONTH:
                    # A slip the backbone will catch: Kingsley's running total goes down.
                    rows = [dict(r) for r in rows]
                    for r in rows:
                        if r["groups"].get("place") in ("kingsley", None):
                            r["value"] -= 6
                out[(partner, code)] = self.submit(
                    partner,
                    _reported("home-visiting-families", code, rows),
                    channel=Submission.Channel.API if partner == HEALTH else Submission.Channel.WEB,
                    period_end=end,
                    lag=4 if partner == HEALTH else 11,
                )
        return out

    def targets(self, indicators: dict[str, Indicator]) -> None:
        """Baselines at the first school year (the reported totals) and targets after it."""
        first = self.periods[sy_code(YEARS[0])]
        goals = {
            "kindergarten-readiness": (48, 51, 55),
            "third-grade-reading": (40, 43, 46),
            "chronic-absenteeism": (23, 21, 19),
            "average-attendance": (92.5, 93, 93.5),
            "ninth-grade-on-track": (72, 75, 80),
            "high-school-graduation": (81, 83, 85),
            "postsecondary-enrolment": (60, 62, 64),
            "postsecondary-completion": (34, 36, 38),
            "prek-enrolled": (1250, 1400, 1550),
            "home-visiting-families": (540, 600, 660),
            "students-tutored": (640, 720, 800),
        }
        baselines = _baselines(self.initiative, first, indicators)
        for code, steps in goals.items():
            indicator = indicators[code]
            setup.target_set(
                indicator=indicator,
                by=self.data_lead,
                kind=Target.Kind.BASELINE,
                period=first,
                value=baselines[code],
                note=f"Reported for school year {YEARS[0]}–{(YEARS[0] + 1) % 100:02d}, before "
                "the partnership's launch",
            )
            for year, value in zip(YEARS[2:], steps, strict=True):
                setup.target_set(
                    indicator=indicator,
                    by=self.data_lead,
                    kind=Target.Kind.TARGET,
                    period=self.periods[sy_code(year)],
                    value=Decimal(str(value)),
                    note=f"Adopted by the leadership table, March {YEARS[2] + 1}"
                    if year == YEARS[2]
                    else "",
                )
        # Readiness by race: close the gaps, by group.
        readiness = indicators["kindergarten-readiness"]
        race_targets = {"black": 47, "latino": 48, "white": 61, "asian": 62, "multiracial": 53}
        groups = {
            g.key: g
            for g in Group.objects.filter(dimension__key="race", initiative=self.initiative)
        }
        by_race = _race_baselines(self.initiative, first, readiness)
        for key, value in race_targets.items():
            setup.target_set(
                indicator=readiness,
                by=self.data_lead,
                kind=Target.Kind.BASELINE,
                period=first,
                value=by_race[groups[key].pk],
                group=groups[key],
            )
            setup.target_set(
                indicator=readiness,
                by=self.data_lead,
                kind=Target.Kind.TARGET,
                period=self.periods[sy_code(LATEST)],
                value=Decimal(value),
                group=groups[key],
            )

    def review(
        self,
        annual: dict[tuple[str, str, int], Submission],
        monthly: dict[tuple[str, str], Submission],
    ) -> None:
        """Approve what the backbone has looked at; return a few; leave the newest waiting."""
        returned = {
            (RPS, "high-school-graduation", LATEST): (
                "The cohort is 29 students smaller than in the state's cohort file. Please check "
                "the transfers out and send the file again."
            ),
            (CLUB, "students-tutored", LATEST): (
                "The Eastgate Elementary count looks low for a full year at the new site; please "
                "check it against the summer sign-in sheets."
            ),
            (HEAD_START, CORRECTED_MONTH + "-first"): (
                "Harbor View has no children this month; were they counted under Eastgate "
                "Estates? Please split them by the neighbourhood the family lives in."
            ),
            (HEALTH, SLIP_MONTH): (
                "The running total for Kingsley went down from May. A running total can only "
                "grow within the school year; please correct it."
            ),
        }
        waiting = {
            (RPS, "third-grade-reading", LATEST),
            (RPS, "average-attendance", LATEST),
            (RPS, "postsecondary-enrolment", LATEST),
            (LIBRARY, "students-tutored", LATEST),
            (LITTLE_STEPS, SLIP_MONTH),
            (HEALTH, LAST_MONTH),
            (NFRC, LAST_MONTH),
        }
        reviewers = [self.staff, self.data_lead]
        done = set()
        for n, (key, submission) in enumerate([*annual.items(), *monthly.items()]):
            if submission.pk in done or key in waiting:
                continue
            done.add(submission.pk)
            if key in returned:
                approval.submission_return(
                    submission=submission, by=reviewers[n % 2], comment=returned[key]
                )
            else:
                approval.submission_approve(submission=submission, by=reviewers[n % 2])

    def backdate(self) -> None:
        """Submissions and values carry the dates they would have had."""
        for submission, day in self.submitted:
            at = _when(day, 0)
            reviewed = _when(day, 3 + submission.pk % 6) if submission.reviewed_at else None
            Submission.objects.filter(pk=submission.pk).update(
                created_at=at, submitted_at=at, reviewed_at=reviewed
            )
            DataValue.objects.filter(submission=submission).update(updated_at=at)
            ValueChange.objects.filter(submission=submission).update(changed_at=at)

    def close_periods(self) -> None:
        for code, period in self.periods.items():
            if code != sy_code(LATEST) and code not in OPEN_MONTHS:
                setup.period_close(period=period, by=self.data_lead)


def _baselines(initiative, period, indicators) -> dict[str, Decimal]:
    """Each indicator's total for the period across partners, as its aggregation says."""
    out = {}
    for code, indicator in indicators.items():
        values = DataValue.objects.filter(indicator=indicator, period=period, cell__key="")
        if indicator.aggregation == "rate":
            num = sum(v.numerator for v in values)
            den = sum(v.denominator for v in values)
            out[code] = (num / den * 100).quantize(Decimal("0.1"))
        elif indicator.aggregation == "weighted":
            n = sum(v.weight for v in values)
            out[code] = (sum(v.value * v.weight for v in values) / n).quantize(Decimal("0.1"))
        else:
            out[code] = _school_year_total(indicator, period)
    return out


def _school_year_total(indicator, period) -> Decimal:
    """Counts over a school year: summed, or for monthly stocks and running totals the value
    of its last month."""
    if indicator.frequency != "month":
        return sum(
            v.value
            for v in DataValue.objects.filter(indicator=indicator, period=period, cell__key="")
        )
    last_month = Period.objects.get(
        initiative=indicator.initiative_id, kind="month", start__lte=period.end, end=period.end
    )
    if indicator.aggregation == "stock":
        # A stock's school year: enrolment in October, when classes are full.
        last_month = Period.objects.get(
            initiative=indicator.initiative_id, kind="month", start=date(period.start.year, 10, 1)
        )
    return sum(
        v.value
        for v in DataValue.objects.filter(indicator=indicator, period=last_month, cell__key="")
    )


def _race_baselines(initiative, period, indicator) -> dict[int, Decimal]:
    """Readiness by race for the period: each race's income cells summed."""
    sums: dict[int, list[Decimal]] = {}
    race_ids = set(
        Group.objects.filter(initiative=initiative, dimension__key="race").values_list(
            "id", flat=True
        )
    )
    cells = Cell.objects.filter(initiative=initiative).prefetch_related("groups")
    members = {c.pk: [g.pk for g in c.groups.all()] for c in cells}
    for v in DataValue.objects.filter(indicator=indicator, period=period).exclude(cell__key=""):
        race = next((g for g in members[v.cell_id] if g in race_ids), None)
        if race is None:
            continue
        num, den = sums.setdefault(race, [Decimal(0), Decimal(0)])
        sums[race] = [num + v.numerator, den + v.denominator]
    return {race: (num / den * 100).quantize(Decimal("0.1")) for race, (num, den) in sums.items()}


def measurement_build(
    *,
    initiative: Initiative,
    staff: Person,
    data_lead: Person,
    partners: dict[str, Partner],
    stewards: dict[int, Person],
) -> None:
    """The demo's dimensions, indicators, periods, five years of values, their review, and
    baselines and targets. `partners` by organisation name, `stewards` by organisation id."""
    b = _Builder(initiative, staff, data_lead, partners, stewards)
    b.dimensions()
    indicators = b.indicators()
    b.periods_()
    b.catalogue = Catalogue(initiative)
    annual = b.school_years()
    monthly = b.months()
    b.review(annual, monthly)
    b.targets(indicators)
    b.backdate()
    b.close_periods()
