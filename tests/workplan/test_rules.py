"""Effort by role by month, the starved role, pro rata and secured against needed, each
recomputed independently with pandas."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest

from backbone.workplan import selectors
from backbone.workplan.models import BackboneTask, BudgetYear, EffortEntry, Funder, Grant

pytestmark = pytest.mark.django_db
TODAY = date(2025, 5, 20)


def _task(cast, role, title="Task"):
    return BackboneTask.objects.create(
        initiative=cast.initiative, title=title, owner=cast.staff, role=role
    )


def test_effort_by_role_matches_pandas(cast, roles):
    rng = random.Random(7)
    tasks = {role: _task(cast, role) for role in roles[:-1]}  # the last role gets nothing
    rows = []
    for _ in range(300):
        role = rng.choice(list(tasks))
        day = TODAY - timedelta(days=rng.randint(0, 500))
        hours = Decimal(rng.randint(1, 80)) / 10
        EffortEntry.objects.create(task=tasks[role], person=cast.staff, worked_on=day, hours=hours)
        rows.append({"role": role, "day": pd.Timestamp(day), "hours": float(hours)})
    df = pd.DataFrame(rows)
    found = selectors.effort_by_role(initiative=cast.initiative, today=TODAY)

    first = pd.Timestamp(found.months[0])
    kept = df[(df.day >= first) & (df.day <= pd.Timestamp(TODAY))]
    expected = kept.groupby(["role", kept.day.dt.to_period("M")]).hours.sum()
    for row in found.rows:
        for month, hours in zip(found.months, row.hours, strict=True):
            want = expected.get((row.role["key"], pd.Period(month, "M")), 0.0)
            assert float(hours) == pytest.approx(want)
    recent = df[(df.day >= pd.Timestamp(found.months[-6])) & (df.day <= pd.Timestamp(TODAY))]
    shares = recent.groupby("role").hours.sum().reindex(roles, fill_value=0.0)
    assert [r.role["key"] for r in found.rows] == roles
    assert [r["key"] for r in found.without_effort] == [roles[-1]]
    assert [r["key"] for r in found.starved] == list(shares[shares == shares.min()].index)


def test_starved_role_is_the_smallest_share_when_all_have_effort(cast, roles):
    for n, role in enumerate(roles):
        task = _task(cast, role)
        EffortEntry.objects.create(
            task=task, person=cast.staff, worked_on=TODAY, hours=Decimal(n + 2)
        )
    EffortEntry.objects.create(  # older than six months: not counted in the share
        task=BackboneTask.objects.get(role=roles[0]),
        person=cast.staff,
        worked_on=date(2024, 10, 1),
        hours=Decimal(50),
    )
    found = selectors.effort_by_role(initiative=cast.initiative, today=TODAY)
    assert [r["key"] for r in found.starved] == [roles[0]]
    assert found.without_effort == []
    assert found.months[0] == date(2024, 6, 1) and found.months[-1] == date(2025, 5, 1)


def test_pro_rata_splits_by_days_in_each_year():
    split = selectors.pro_rata(Decimal("1000"), date(2024, 7, 1), date(2025, 6, 30))
    assert split[2024] == Decimal(1000) * 184 / 365
    assert sum(split.values()) == pytest.approx(Decimal(1000))


def test_secured_against_needed_matches_pandas(cast, roles):
    rng = random.Random(3)
    funder = Funder.objects.create(initiative=cast.initiative, name="Hale Foundation")
    rows = []
    for n in range(40):
        start = date(2023, 1, 1) + timedelta(days=rng.randint(0, 900))
        end = start + timedelta(days=rng.randint(0, 800))
        amount = Decimal(rng.randint(0, 10_000_000)) / 100
        currency = rng.choice(["USD", "EUR"])
        status = rng.choice(Grant.Status.values)
        Grant.objects.create(
            initiative=cast.initiative,
            funder=funder,
            title=f"Grant {n}",
            amount=amount,
            currency=currency,
            starts_on=start,
            ends_on=end,
            status=status,
        )
        if status in ("committed", "received"):
            days = pd.date_range(start, end, freq="D")
            per_day = float(amount) / len(days)
            for year, count in pd.Series(days.year).value_counts().items():
                rows.append({"year": year, "currency": currency, "amount": per_day * count})
    BudgetYear.objects.create(
        initiative=cast.initiative, year=2024, amount_needed=Decimal(500000), currency="USD"
    )
    expected = pd.DataFrame(rows).groupby(["year", "currency"]).amount.sum()
    found = selectors.secured_against_needed(initiative=cast.initiative)
    for y in found:
        assert float(y.secured) == pytest.approx(expected.get((y.year, y.currency), 0), abs=0.01)
    assert {(y.year, y.currency) for y in found if y.secured} == set(expected[expected > 0].index)
    usd_2024 = next(y for y in found if (y.year, y.currency) == (2024, "USD"))
    assert usd_2024.needed == Decimal(500000)
    assert usd_2024.gap == Decimal(500000) - usd_2024.secured


def test_pipeline_counts_and_sums_per_currency(cast, roles):
    funder = Funder.objects.create(initiative=cast.initiative, name="Hale Foundation")
    for amount, currency, status in [
        (100, "USD", "asked"),
        (50, "USD", "asked"),
        (70, "EUR", "asked"),
        (10, "USD", "received"),
    ]:
        Grant.objects.create(
            initiative=cast.initiative,
            funder=funder,
            title="G",
            amount=Decimal(amount),
            currency=currency,
            starts_on=date(2025, 1, 1),
            ends_on=date(2025, 12, 31),
            status=status,
        )
    rows = {r.status: r for r in selectors.pipeline(initiative=cast.initiative)}
    assert list(rows) == Grant.Status.values
    assert rows["asked"].count == 3
    assert rows["asked"].sums == [("EUR", Decimal(70)), ("USD", Decimal(150))]
    assert rows["prospect"].count == 0 and rows["prospect"].sums == []
