"""Values reported through the intake, for the API and DHIS2 tests."""

from backbone.measurement.approval import submission_approve
from backbone.measurement.intake import Intake, Reported

RACES = ("black", "latino", "white")
INCOMES = ("low", "other")


def report(cast, partner, rows, *, by=None, approve=False):
    """One submission of `rows` (Reported) for `partner`; approved by the backbone if asked."""
    submission = Intake(
        initiative=cast.initiative, by=by or cast.staff, channel="web", partner=partner
    ).submit(rows)
    if approve:
        submission_approve(submission=submission, by=cast.staff)
    return submission


def full_report(period="2024-01", scale=1):
    """A full set of values for one period: every indicator of the `measured` fixture, with
    every cell and the totals."""
    rows = [
        Reported("children-enrolled", period, {"place": "north"}, value=10 * scale),
        Reported("children-enrolled", period, {"place": "south"}, value=15 * scale),
        Reported("children-enrolled", period, {}, value=25 * scale),
        Reported("reading-score", period, {}, value="250.5", weight=40 * scale),
        Reported("open-cases", period, {}, value=7 * scale),
        Reported("families-served", period, {}, value=31 * scale),
    ]
    num_total = den_total = 0
    for i, race in enumerate(RACES):
        for j, income in enumerate(INCOMES):
            num, den = (i + 1) * 3 * scale, (i + j + 2) * 4 * scale
            num_total += num
            den_total += den
            rows.append(
                Reported(
                    "kindergarten-readiness",
                    period,
                    {"race": race, "income": income},
                    numerator=num,
                    denominator=den,
                )
            )
    rows.append(
        Reported("kindergarten-readiness", period, {}, numerator=num_total, denominator=den_total)
    )
    return rows
