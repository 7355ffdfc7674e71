"""Run inside Django against the demo database (`python prepare.py PLAN.json [--big-csv F]`):
write what the simulated people need — who signs in, in which role; the reports each partner
steward may send (an indicator and an open period whose total the intake takes); the pages to
read — and open one proposal to all partners, one vote a person, for them to vote on.

With --big-csv F, also write two files (F.a.csv, F.b.csv) of many partners' values for every
period (what a backbone data lead imports), for the fault run's interrupted upload.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backbone.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.utils import timezone  # noqa: E402
from totals import total_fields  # noqa: E402

from backbone.decisions import services as decisions  # noqa: E402
from backbone.decisions.models import Method, Unit  # noqa: E402
from backbone.initiatives.models import Initiative, Membership, Partner  # noqa: E402
from backbone.initiatives.roles import Role  # noqa: E402
from backbone.measurement import reporting  # noqa: E402
from backbone.measurement.files.templates import fields_for, values_template  # noqa: E402
from backbone.measurement.intake import Intake, Reported  # noqa: E402
from backbone.measurement.models import Indicator, Period, Submission  # noqa: E402
from backbone.updates.models import Update  # noqa: E402

SLUG = "riverton-cradle-to-career"
PASSWORD = "riverton-demo-2026"
STAFF = "maya.okafor@riverton.example"
ROLES = {
    "staff": Role.BACKBONE_STAFF,
    "steward": Role.PARTNER_STEWARD,
    "member": Role.PARTNER_MEMBER,
    "community": Role.COMMUNITY_MEMBER,
    "funder": Role.FUNDER,
    "evaluator": Role.EVALUATOR,
}


def people(initiative: Initiative) -> dict[str, list[str]]:
    """Sign-ins by role; partner people only of active partners (the others may not report
    or vote). The demo gives its named people the demo password and the others none: here
    everyone gets it (one hash for all, to be quick), so that each simulated person is a
    different one."""
    from backbone.accounts.models import Person

    Person.objects.filter(memberships__initiative=initiative, password__startswith="!").update(
        password=make_password(PASSWORD)
    )
    active = set(
        Partner.objects.filter(initiative=initiative, status="active").values_list(
            "organisation_id", flat=True
        )
    )
    found: dict[str, list[str]] = {}
    for name, role in ROLES.items():
        rows = Membership.objects.filter(initiative=initiative, role=role).select_related("person")
        found[name] = sorted(
            m.person.email
            for m in rows
            if role not in (Role.PARTNER_STEWARD, Role.PARTNER_MEMBER)
            or m.organisation_id in active
        )
    return found


def takes(initiative: Initiative, steward, partner: Partner, indicator, period) -> bool:
    """Whether the intake takes a total-only report of this indicator and period, as the
    simulated steward will send it."""
    rng = random.Random(1)
    for _ in range(3):
        fields = total_fields(indicator.aggregation, rng)
        row = Reported(
            indicator=indicator.code,
            period=period.code,
            value=fields.get("value"),
            numerator=fields.get("numerator"),
            denominator=fields.get("denominator"),
            weight=fields.get("n"),
        )
        intake = Intake(
            initiative=initiative, by=steward, channel=Submission.Channel.WEB, partner=partner
        )
        intake.check([row])
        if intake.problem_count:
            return False
    return True


def reports(initiative: Initiative) -> dict[str, list[dict]]:
    """For each steward of an active partner: the (indicator, open period) reports it owes
    whose total the intake takes."""
    found: dict[str, list[dict]] = {}
    stewards = Membership.objects.filter(
        initiative=initiative, role=Role.PARTNER_STEWARD, organisation__isnull=False
    ).select_related("person", "organisation")
    for m in stewards:
        partner = Partner.objects.filter(
            initiative=initiative, organisation=m.organisation, status="active"
        ).first()
        if partner is None:
            continue
        owed = []
        for period, expected in reporting.partner_reports(initiative=initiative, partner=partner):
            if not period.is_open:
                continue
            for report in expected:
                if takes(initiative, m.person, partner, report.indicator, period):
                    owed.append(
                        {
                            "indicator": report.indicator.code,
                            "period": period.code,
                            "aggregation": report.indicator.aggregation,
                        }
                    )
        found[m.person.email] = owed
    return found


def open_proposal(initiative: Initiative) -> str:
    """A consensus proposal to all partners, one vote a person, open for a month."""
    from backbone.accounts.models import Person

    now = timezone.now()
    proposal = decisions.proposal_create(
        initiative=initiative,
        proposer=Person.objects.get(email=STAFF),
        title="Publish the partnership's data walk calendar",
        text="Every partner publishes the four data walks of the year on its own site.",
        group=None,
        method=Method.CONSENSUS,
        unit=Unit.PERSON,
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(days=30),
        now=now - timedelta(minutes=5),
    )
    return str(proposal.uuid)


def big_csv(initiative: Initiative, path: Path, partners: list[Partner]) -> int:
    """Values of these partners for every period, cell by cell (no totals), with a partner
    column: a backbone import of many partners, correcting closed periods too. Returns the
    number of rows."""
    rng = random.Random(7)
    periods = list(Period.objects.filter(initiative=initiative).order_by("start", "kind"))
    rows = 0
    with path.open("w", newline="") as out:
        writer = None
        for partner in partners:
            built = values_template(
                initiative=initiative,
                partner=partner,
                periods=periods,
                indicators=list(Indicator.objects.filter(initiative=initiative)),
                match_frequency=True,
            )
            keys = [d.key for d in built.dimensions]
            if writer is None:
                header = ["partner", "indicator", "period", "race", "income", "school", "place"]
                header += ["value", "numerator", "denominator", "n"]
                writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
                writer.writeheader()
            for line in built.lines:
                if not line.groups:
                    continue  # totals: left to the engine, so no total can disagree
                row = {
                    "partner": partner.organisation.slug,
                    "indicator": line.indicator.code,
                    "period": line.period.code,
                    **{k: line.groups.get(k, "") for k in keys},
                    **total_fields(line.indicator.aggregation, rng),
                }
                assert set(fields_for(line.indicator)) <= set(row)
                writer.writerow(row)
                rows += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("plan", type=Path)
    parser.add_argument("--big-csv", type=Path)
    parser.add_argument("--big-partners", type=int, default=10)
    args = parser.parse_args()
    initiative = Initiative.objects.get(slug=SLUG)
    plan = {
        "slug": SLUG,
        "password": PASSWORD,
        "people": people(initiative),
        "reports": reports(initiative),
        "proposal": open_proposal(initiative),
        "updates": [
            str(u)
            for u in Update.objects.filter(initiative=initiative)
            .order_by("-created_at")
            .values_list("uuid", flat=True)[:20]
        ],
    }
    if args.big_csv:
        active = list(
            Partner.objects.filter(initiative=initiative, status="active")
            .select_related("organisation")
            .order_by("organisation__name")
        )
        n = args.big_partners
        plan["big_csv"] = {
            "a": str(args.big_csv.with_suffix(".a.csv")),
            "b": str(args.big_csv.with_suffix(".b.csv")),
        }
        plan["big_csv_rows"] = [
            big_csv(initiative, Path(plan["big_csv"]["a"]), active[:n]),
            big_csv(initiative, Path(plan["big_csv"]["b"]), active[n : 2 * n]),
        ]
    args.plan.write_text(json.dumps(plan, indent=1))


if __name__ == "__main__":
    main()
