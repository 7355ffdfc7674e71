"""The set-based intake takes a CSV file or an Excel sheet exactly as the row-by-row intake
does.

Random files — canonical machine exports, files with numbers written the way people write
them, files with one defect of some kind, over values already there — are imported twice in
the same state of the database: by the set-based path where it takes the file, and by the
row path alone. Both must refuse with the same problems, or store the same values, history,
roll-ups and submission."""

from __future__ import annotations

import csv
import io
import random
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from openpyxl import Workbook

from backbone.measurement.files.reading import importing
from backbone.measurement.models import DataValue, Rollup, Submission, ValueChange
from backbone.measurement.models.rollups import SUMS
from backbone.measurement.problems import IntakeRefused
from tests.measurement.conftest import make_indicator, make_period

RACES = ("black", "latino", "white")
INCOMES = ("low", "other")
REASONS = ("not collected", "Suppressed at the source", "not_applicable")
HEADER = [
    "partner",
    "indicator",
    "period",
    "race",
    "income",
    "place",
    "value",
    "numerator",
    "denominator",
    "n",
    "missing",
]


@pytest.fixture
def world(cast, measured):
    """The measured set-up, with fifteen months to give partners a history, a rate per
    thousand, a bounded score and an inactive partner."""
    i = cast.initiative
    months = [make_period(i, "month", date(2023, m, 1)).code for m in range(1, 13)]
    months += ["2024-01", "2024-02", "2024-03"]
    per_thousand = make_indicator(i, "incidents", "rate", unit="rate", rate_per=1000)
    bounded = make_indicator(
        i, "wellbeing", "sum", unit="score", minimum=Decimal("-5"), maximum=Decimal("5.5")
    )
    return {
        "months": months,
        "years": [p for p in measured.periods if p.startswith("SY")],
        "closed": [p for p, period in measured.periods.items() if period.status == "closed"],
        "partners": [cast.partner_a.organisation.slug, cast.partner_b.organisation.slug],
        "indicators": measured,
        "extra": (per_thousand.code, bounded.code),
    }


def number(rng: random.Random, value, *, human: bool) -> str:
    """A number as a machine writes it, or now and then as a person does."""
    text = str(value)
    if human and rng.random() < 0.15:
        trailing = f"{text}0" if "." in text else f"{text}.0"
        text = rng.choice([f" {text} ", f"{text}%", f"+{text}", f"{Decimal(text):,}", trailing])
    return text


def bundle(rng, world, partner, period, *, human: bool) -> list[dict]:
    """One partner's rows for one period: a rate by race × income with its total, a count
    by place with its total, a weighted average, plain counts, blanks with a reason."""
    m = world["indicators"]
    rows = []
    nums, dens = 0, 0
    cells = [(r, i) for r in RACES for i in INCOMES]
    for race, income in rng.sample(cells, rng.choice([len(cells), len(cells), 4])):
        den = rng.randrange(1, 400)
        num = rng.randrange(0, den + 1)
        nums, dens = nums + num, dens + den
        row = {"race": race, "income": income, "numerator": num, "denominator": den}
        if rng.random() < 0.3:  # the percentage beside them, rounded as people round
            row["value"] = f"{num / den * 100:.1f}"
        rows.append(row | {"indicator": m.readiness.code})
    if rng.random() < 0.8:
        rows.append({"indicator": m.readiness.code, "numerator": nums, "denominator": dens})
    places = [rng.randrange(0, 300) for _ in range(2)]
    for place, count in zip(("north", "south"), places, strict=True):
        rows.append({"indicator": m.enrolled.code, "place": place, "value": count})
    rows.append({"indicator": m.enrolled.code, "value": sum(places)})
    rows.append(
        {
            "indicator": m.score.code,
            "value": f"{rng.uniform(100, 300):.{rng.choice([0, 1, 6])}f}",
            "n": rng.randrange(1, 90),
        }
    )
    rows.append({"indicator": m.caseload.code, "value": rng.randrange(0, 5000)})
    # a rate per thousand, now and then of numbers whose arithmetic outgrows 64-bit integers:
    # PostgreSQL's sets take them in numeric; SQLite's leave them to the row reader
    large = rng.random() < 0.5 and (human or connection.vendor == "postgresql")
    numerator = rng.randrange(5_000, 10**9) if large else rng.randrange(0, 50)
    den = (
        f"{rng.randrange(1, 10**9)}.{rng.randrange(0, 10**6):06d}"
        if large
        else rng.randrange(1, 10_000)
    )
    rows.append({"indicator": world["extra"][0], "numerator": numerator, "denominator": den})
    rows.append({"indicator": world["extra"][1], "value": f"{rng.uniform(-5, 5.5):.2f}"})
    if rng.random() < 0.3:
        blank = rng.choice(rows)
        for key in ("value", "numerator", "denominator", "n"):
            blank.pop(key, None)
        if rng.random() < 0.2:
            blank["value"] = "[x]"
        else:
            blank["missing"] = rng.choice(REASONS)
    for row in rows:
        for key in ("value", "numerator", "denominator", "n"):
            if key in row:
                row[key] = number(rng, row[key], human=human)
        row["partner"], row["period"] = partner, period
    return rows


DEFECTS = (
    "unknown indicator",
    "unknown period",
    "closed period",
    "unknown group",
    "negative numerator",
    "numerator above denominator",
    "tiny denominator",
    "duplicate",
    "total too small",
    "value and reason",
    "out of range",
    "not a number",
    "too large",
    "formula",
    "code with spaces",
    "value disagrees",
)


def spoil(rng, world, rows: list[dict]) -> str:
    """One defect, of a kind chosen at random, somewhere in the file."""
    defect = rng.choice(DEFECTS)
    m = world["indicators"]
    row = rng.choice(rows)
    rates = [r for r in rows if r["indicator"] == m.readiness.code and r.get("numerator")]
    if defect == "unknown indicator":
        row["indicator"] = "no-such-indicator"
    elif defect == "unknown period":
        row["period"] = "2031-13"
    elif defect == "closed period":
        row["period"] = world["closed"][0]
    elif defect == "unknown group":
        row["race"] = "martian"
    elif defect == "negative numerator" and rates:
        rates[0]["numerator"] = "-1"
    elif defect == "numerator above denominator" and rates:
        rates[0]["numerator"], rates[0]["denominator"] = "12", "11"
    elif defect == "tiny denominator" and rates:
        rates[0]["denominator"] = "0.0000004"
    elif defect == "duplicate":
        rows.append(dict(row))
    elif defect == "total too small":
        for r in rows:
            if r["indicator"] == m.enrolled.code and not r.get("place"):
                r["value"] = "0"
    elif defect == "value and reason":
        row["missing"] = "not collected"
        row.setdefault("value", "3")
    elif defect == "out of range":
        for r in rows:
            if r["indicator"] == world["extra"][1]:
                r["value"] = rng.choice(["5.500001", "-5.000001", "6"])
    elif defect == "not a number":
        row["value"] = rng.choice(["n/a", "12,5", "1.2.3", "--1", "1e400"])
    elif defect == "too large":
        row["value"] = rng.choice(["99999999999999", "100000000000000", "1234567890123.5"])
    elif defect == "formula":
        row["value"] = "=SUM(A1:A2)"
    elif defect == "code with spaces":
        row["indicator"] = f" {row['indicator']} "
    elif defect == "value disagrees" and rates:
        num, den = Decimal(rates[0]["numerator"].strip()), Decimal(rates[0]["denominator"])
        rates[0]["value"] = str(num / den * 100 + Decimal(rng.choice(["0.05", "0.051"])))
    return defect


def file_bytes(rng, rows: list[dict], *, many: bool) -> bytes:
    header = [h for h in HEADER if many or h != "partner"]
    rng.shuffle(header)
    buffer = io.StringIO()
    quoting = rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_MINIMAL, csv.QUOTE_ALL])
    writer = csv.writer(buffer, delimiter=rng.choice([",", ",", ";", "\t"]), quoting=quoting)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    if rng.random() < 0.2:
        writer.writerow([""] * len(header))  # a spreadsheet's empty row at the end
    return buffer.getvalue().encode(rng.choice(["utf-8", "utf-8-sig", "cp1252"]))


def sheet_bytes(rng, rows: list[dict], *, many: bool) -> bytes:
    """The rows as an Excel sheet: most numbers typed as numbers, as a person enters them in
    Excel, the rest as text; now and then an empty row at the end."""
    header = [h for h in HEADER if many or h != "partner"]
    rng.shuffle(header)
    book = Workbook()
    sheet = book.active
    sheet.title = "values"
    sheet.append(header)

    def cell(text: str):
        if rng.random() < 0.7:
            try:
                return int(text) if text.lstrip("-").isdigit() else float(text)
            except ValueError:
                pass
        return text or None

    for row in rows:
        sheet.append([cell(row.get(h, "")) for h in header])
    if rng.random() < 0.2:
        sheet.append([""] * len(header))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def snapshot(cast) -> dict:
    """Everything an import writes, without the ids the database hands out."""
    init = cast.initiative
    key = ("partner_id", "indicator_id", "period_id", "cell__key")
    latest = Submission.objects.filter(initiative=init).order_by("-id").first()
    return {
        "values": sorted(  # by repr: a blank's numbers are None
            DataValue.objects.filter(initiative=init).values_list(
                *key,
                "value",
                "numerator",
                "denominator",
                "weight",
                "missing",
                "is_outlier",
                "status",
                "comment",
                "followup",
                "stored_by",
            ),
            key=repr,
        ),
        "order": list(DataValue.objects.filter(initiative=init).order_by("id").values_list(*key)),
        "changes": list(
            ValueChange.objects.filter(initiative=init)
            .order_by("id")
            .values_list(
                *(f"data_value__{k}" for k in key),
                "old_value",
                "old_numerator",
                "old_denominator",
                "old_weight",
                "new_value",
                "new_numerator",
                "new_denominator",
                "new_weight",
                "reason",
                "previous_submission_id",
                "changed_by_id",
            )
        ),
        "rollups": sorted(
            Rollup.objects.with_exact_sums()
            .filter(initiative=init)
            .values_list(
                "indicator_id",
                "period_id",
                "cell__key",
                "provisional",
                "value_count",
                "partner_count",
                *(f"x_{name}" for name in SUMS),
            ),
            key=repr,
        ),
        "submission": latest
        and (
            latest.value_count,
            latest.outlier_count,
            latest.channel,
            latest.status,
            latest.partner_id,
            latest.file_name,
            latest.created_by_id,
        ),
    }


def import_as(cast, path, *, many: bool):
    """A backbone import of many partners' values, or partner A's own file."""
    return importing.import_file(
        initiative=cast.initiative,
        by=cast.staff if many else cast.steward_a,
        partner=None if many else cast.partner_a,
        many_partners=many,
        path=path,
    )


def outcome(cast, content: bytes, *, many: bool, tmp_path, row_path: bool, monkeypatch, kind="csv"):
    """What importing `content` does, then undone: the problems, or what it wrote."""
    path = tmp_path / f"values.{kind}"
    path.write_bytes(content)
    with monkeypatch.context() as patch:
        if row_path:
            patch.setattr(importing, "_staged", lambda *args, **kwargs: None)
        point = transaction.savepoint()
        try:
            import_as(cast, path, many=many)
            found = ("written", snapshot(cast))
        except IntakeRefused as refused:
            found = (
                "refused",
                refused.total,
                [(p.file, p.row, p.column, p.reason) for p in refused.problems],
            )
        finally:
            transaction.savepoint_rollback(point)
    return found


def same(found, expected) -> None:
    """Two outcomes alike, part by part (a failure then names the part)."""
    assert found[0] == expected[0]
    if found[0] == "written":
        for part in expected[1]:
            assert (part, found[1][part]) == (part, expected[1][part])
    assert found == expected


def make_file(rng, world, *, many: bool, human: bool, periods) -> tuple[bytes, list[dict]]:
    partners = world["partners"] if many else [None]
    rows = []
    for period in periods:
        for partner in partners:
            rows += bundle(rng, world, partner or "", period, human=human)
    return rows


@pytest.mark.parametrize(
    ("kind", "seed"), [("csv", seed) for seed in range(24)] + [("xlsx", s) for s in range(12)]
)
def test_the_set_based_path_takes_a_file_as_the_row_path_does(
    cast, world, kind, seed, tmp_path, monkeypatch
):
    rng = random.Random(seed)
    many = seed % 3 != 0
    if seed % 2:  # values already there: some are reported again, changed or not
        history = make_file(rng, world, many=many, human=False, periods=world["months"][:12])
        base = tmp_path / "history.csv"
        base.write_bytes(file_bytes(rng, history, many=many))
        import_as(cast, base, many=many)
    periods = rng.sample(world["months"][10:] + world["years"], 3)
    rows = make_file(rng, world, many=many, human=seed % 4 == 3, periods=periods)
    if seed % 5 == 4:
        spoil(rng, world, rows)
    content = (file_bytes if kind == "csv" else sheet_bytes)(rng, rows, many=many)
    staged = []
    writer = importing.write_staged
    monkeypatch.setattr(
        importing, "write_staged", lambda *a, **kw: staged.append(1) or writer(*a, **kw)
    )
    both, rows_only = (
        outcome(
            cast,
            content,
            many=many,
            tmp_path=tmp_path,
            row_path=row_path,
            monkeypatch=monkeypatch,
            kind=kind,
        )
        for row_path in (False, True)
    )
    same(both, rows_only)
    if seed % 4 != 3 and seed % 5 != 4:  # a clean machine-written file: the sets take it
        assert staged


def test_every_kind_of_defect_is_refused_alike(cast, world, tmp_path, monkeypatch):
    """Each defect, in a file otherwise clean, gets the row path's problems word for word."""
    seen = set()
    for seed in range(60):
        rng = random.Random(1000 + seed)
        rows = make_file(rng, world, many=True, human=False, periods=rng.sample(world["months"], 2))
        seen.add(spoil(rng, world, rows))
        content = file_bytes(rng, rows, many=True)
        both = outcome(
            cast, content, many=True, tmp_path=tmp_path, row_path=False, monkeypatch=monkeypatch
        )
        rows_only = outcome(
            cast, content, many=True, tmp_path=tmp_path, row_path=True, monkeypatch=monkeypatch
        )
        same(both, rows_only)
    assert seen == set(DEFECTS)
