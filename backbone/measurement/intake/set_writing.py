"""Writing checked staged rows (`intake.sets`) in the caller's transaction, by statements
over the whole set: the history of the values reported again (INSERT … SELECT), those
values (UPDATE … FROM), the new ones (INSERT … SELECT), then the roll-ups of the (indicator,
period) pairs touched — what `Writing.record` writes, without a row passing through Python."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from backbone.initiatives.models import Partner

from .. import missing
from ..models import DataValue, Submission, ValueChange
from ..versions import values_changed, values_lock
from .checks import outlier_history
from .rows import OUTLIER_SDS
from .sets import MICRO, ROWS, execute
from .staging import drop

HISTORY = "intake_history"
#: The numbers each row stores, in millionths: a rate keeps the value its numerator and
#: denominator give; a blank with a reason keeps none.
STORED = {
    "value": "CASE WHEN r.missing <> '' THEN NULL WHEN r.agg = 'rate' THEN r.derived_m "
    "ELSE r.v_m END",
    "numerator": "CASE WHEN r.missing = '' AND r.agg = 'rate' THEN r.num_m END",
    "denominator": "CASE WHEN r.missing = '' AND r.agg = 'rate' THEN r.den_m END",
    "weight": "CASE WHEN r.missing = '' AND r.agg = 'weighted' THEN r.w_m END",
}
SAME_CELL = (
    "d.indicator_id = r.indicator_id AND d.partner_id = r.partner_id "
    "AND d.period_id = r.period_id AND d.cell_id = r.cell_id AND d.initiative_id = {initiative}"
)


def source() -> str:
    """The checked rows with the numbers each stores (`STORED`), worked out once a row."""
    stored = ", ".join(f"{expr} AS stored_{name}" for name, expr in STORED.items())
    apart = "OFFSET 0" if connection.vendor == "postgresql" else "LIMIT -1 OFFSET 0"
    return f"(SELECT r.*, {stored} FROM {ROWS} r {apart})"


def number(millionths: str) -> str:
    """A number in millionths as the column keeps it. SQLite is given the exact decimal
    text the row intake gives it ("12.5", "-0.25"), so that it stores the same number."""
    if connection.vendor == "postgresql":
        return f"(({millionths}) * 0.000001)"
    m = f"({millionths})"
    # the remainder without %, which a statement with parameters would take for one
    rest = f"(abs({m}) - abs({m}) / {MICRO} * {MICRO})"
    fraction = f"rtrim(substr('00000' || {rest}, -6), '0')"
    return (
        f"CASE WHEN {m} IS NULL THEN NULL ELSE (CASE WHEN {m} < 0 THEN '-' ELSE '' END) "
        f"|| (abs({m}) / {MICRO}) || CASE WHEN {rest} = 0 THEN '' "
        f"ELSE '.' || {fraction} END END"
    )


def as_float(millionths: str) -> str:
    if connection.vendor == "postgresql":
        return f"(({millionths}) * 0.000001)::float8"
    return f"(({millionths}) / 1000000.0)"


def write_staged(intake, *, status: str, narrative: str) -> Submission:
    """Write the rows `intake.sets.check_staged` left checked in ROWS; one submission."""
    init = intake.initiative.pk
    now = timezone.now()
    partners = [p for (p,) in execute(f"SELECT DISTINCT partner_id FROM {ROWS}")]
    pairs = execute(f"SELECT DISTINCT indicator_id, period_id FROM {ROWS}")
    intake.hold_ids(partners, {i for i, _ in pairs}, {p for _, p in pairs})
    values_lock(init, pairs)
    outlier, joins = _outliers(intake, partners, pairs)
    (count, outliers) = execute(
        f"SELECT count(*), COALESCE(sum(CASE WHEN {outlier} THEN 1 ELSE 0 END), 0) "
        f"FROM {source()} r {joins}"
    )[0]
    partner = intake.partner or Partner.objects.get(pk=partners[0])
    submission = Submission.objects.create(
        initiative=intake.initiative,
        partner=partner,
        channel=intake.channel,
        file_name=intake.file_name,
        status=status,
        narrative=narrative,
        value_count=count,
        outlier_count=outliers,
        created_by=intake.by,
        submitted_at=now if status != Submission.Status.DRAFT else None,
    )
    values = DataValue._meta.db_table
    same = SAME_CELL.format(initiative=int(init))
    at = connection.ops.adapt_datetimefield_value(now)
    new = {name: number(f"r.stored_{name}") for name in STORED}
    (existing,) = execute(f"SELECT count(*) FROM {ROWS} r JOIN {values} d ON {same}")[0]
    if existing:
        _keep_history(intake, submission, at, new, same)
        execute(
            f"UPDATE {values} AS d SET value = {new['value']}, numerator = {new['numerator']}, "
            f"denominator = {new['denominator']}, weight = {new['weight']}, "
            f"is_outlier = {outlier}, missing = r.missing, comment = '', followup = %s, "
            f"stored_by = '', status = %s, submission_id = %s, updated_at = %s "
            f"FROM {source()} r {joins} WHERE {same}",
            [False, status, submission.pk, at],
        )
    columns = (
        "initiative_id, indicator_id, partner_id, period_id, cell_id, value, numerator, "
        "denominator, weight, status, is_outlier, submission_id, updated_at, missing"
    )
    only_new = f"WHERE NOT EXISTS (SELECT 1 FROM {values} d WHERE {same})" if existing else ""
    execute(
        f"INSERT INTO {values} ({columns}) SELECT %s, r.indicator_id, r.partner_id, "
        f"r.period_id, r.cell_id, {new['value']}, {new['numerator']}, {new['denominator']}, "
        f"{new['weight']}, %s, {outlier}, %s, %s, r.missing FROM {source()} r {joins} {only_new} "
        "ORDER BY r.row_no",
        [init, status, submission.pk, at],
    )
    values_changed(
        init,
        pairs,
        provisional_only=status != Submission.Status.APPROVED and not existing,
        added=count - existing,
    )
    drop(ROWS, HISTORY)
    return submission


def _outliers(intake, partners, pairs) -> tuple[str, str]:
    """(the SQL that flags a row as an outlier, the join it needs), from the partners' own
    history as the row intake judges it (`outlier_history`)."""
    drop(HISTORY)
    history = outlier_history(
        intake.initiative,
        partners=set(partners),
        indicators={i for i, _ in pairs},
        periods={p for _, p in pairs},
    )
    cells = intake.catalogue.cells
    rows = [
        (partner, indicator, cells[key], mean, spread)
        for (partner, indicator, key), (mean, spread) in history.items()
        if key in cells
    ]
    # the same statements with a history or without: a batch's queries do not depend on
    # what it holds
    execute(
        f"CREATE TEMP TABLE {HISTORY} (partner_id bigint, indicator_id bigint, "
        "cell_id bigint, mean double precision, spread double precision)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {HISTORY} VALUES (%s, %s, %s, %s, %s)", rows)
    value = "r.stored_value"
    flag = (
        f"(h.mean IS NOT NULL AND ({value}) IS NOT NULL "
        f"AND abs({as_float(value)} - h.mean) > {OUTLIER_SDS} * h.spread)"
    )
    join = (
        f"LEFT JOIN {HISTORY} h ON h.partner_id = r.partner_id "
        "AND h.indicator_id = r.indicator_id AND h.cell_id = r.cell_id"
    )
    return flag, join


def _keep_history(intake, submission, at, new: dict[str, str], same: str) -> None:
    """One change for every value reported again with other figures or another reason for
    its absence, as `Writing.record` keeps it."""
    codes = ["", *(code for code, _ in DataValue.Missing.choices)]
    cases, params = [], []
    for old in codes:
        for now in codes:
            cases.append("WHEN d.missing = %s AND r.missing = %s THEN %s")
            params += [old, now, missing.change_reason("", old, now)]
    reason = f"CASE {' '.join(cases)} ELSE '' END"
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    changed = " OR ".join(
        [f"d.{name} {differs} {expr}" for name, expr in new.items()] + ["d.missing <> r.missing"]
    )
    by = getattr(intake.by, "pk", None)
    execute(
        f"INSERT INTO {ValueChange._meta.db_table} (initiative_id, data_value_id, "
        "submission_id, previous_submission_id, changed_by_id, changed_at, old_value, "
        "old_numerator, old_denominator, old_weight, new_value, new_numerator, "
        "new_denominator, new_weight, reason) "
        f"SELECT d.initiative_id, d.id, %s, d.submission_id, %s, %s, d.value, d.numerator, "
        f"d.denominator, d.weight, {new['value']}, {new['numerator']}, {new['denominator']}, "
        f"{new['weight']}, {reason} FROM {source()} r JOIN {DataValue._meta.db_table} d "
        f"ON {same} WHERE {changed} ORDER BY r.row_no",
        [submission.pk, by, at, *params],
    )
