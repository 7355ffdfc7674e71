"""The one way values come in. Web forms, CSV and Excel files, the REST API and DHIS2
payloads all turn what they read into `Reported` rows and hand them to an `Intake`, which
checks every row and the rows together, then writes them all in one transaction — or, if
anything is wrong, writes nothing and says what, where and why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from math import prod

from django.db import connection, transaction
from django.db.models import Avg, Count, F
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy

from backbone import audit
from backbone.audit.models import Action
from backbone.initiatives.models import Initiative, Partner
from backbone.initiatives.roles import PartnerStatus

from . import missing
from .models import Aggregation, Cell, DataValue, Group, Indicator, Period, Submission, ValueChange
from .numbers import as_text, parse_number, stored
from .problems import IntakeRefused, Problem
from .versions import report_unchanged_since, values_changed, values_lock

#: The numbers of a row as messages name them (the columns of a file keep the English).
NUMBER_NAMES = {
    "value": pgettext_lazy("the number reported", "value"),
    "numerator": pgettext_lazy("the number reported", "numerator"),
    "denominator": pgettext_lazy("the number reported", "denominator"),
    "n": pgettext_lazy("the number reported", "n"),
}


def _named(name: str) -> str:
    return str(NUMBER_NAMES.get(name, name))


MAX_PROBLEMS_KEPT = 500
AUDITED_VALUES = 100  # values of a correction of closed periods the audit event lists
SIX_PLACES = Decimal("0.000001")
OUTLIER_SDS = 3
OUTLIER_MIN_HISTORY = 4


@dataclass(slots=True)
class Reported:
    """One value as it arrived, before any check. Text stays text until checked."""

    indicator: str
    period: str
    groups: Mapping[str, str] = field(default_factory=dict)  # dimension key → group key
    value: object = None
    numerator: object = None
    denominator: object = None
    weight: object = None
    missing: object = None  # why the value is blank: a `Missing` code or label
    partner: str | None = None  # organisation slug, for backbone imports of many partners
    row: int | None = None
    columns: Mapping[str, str] | None = None  # field name → the file's column, for messages
    # kept beside the value as DHIS2 keeps them: a note, a follow-up mark, who keyed it
    comment: str = ""
    followup: bool = False
    stored_by: str = ""


@dataclass(frozen=True, slots=True)
class IndicatorRules:
    id: int
    code: str
    aggregation: str
    unit: str
    rate_per: int
    minimum: Decimal | None
    maximum: Decimal | None
    dimensions: tuple[str, ...]
    all_cells_required: bool
    is_proportion: bool


# A checked row: (partner_id, indicator_id, period_id, cell_key, value, numerator,
# denominator, weight, row) with numbers as exact text. Tuples keep a million rows small.
Checked = tuple[int, int, int, str, str | None, str | None, str | None, str | None, int | None]


class Catalogue:
    """What an initiative's values may refer to, loaded once per intake."""

    def __init__(self, initiative: Initiative):
        self.initiative = initiative
        self.indicators: dict[str, IndicatorRules] = {}
        dims: dict[int, list[str]] = defaultdict(list)
        for ind_id, key in (
            Indicator.dimensions.through.objects.filter(initiative=initiative)
            .order_by("position")
            .values_list("indicator_id", "dimension__key")
        ):
            dims[ind_id].append(key)
        for ind in Indicator.objects.filter(initiative=initiative):
            self.indicators[ind.code] = IndicatorRules(
                id=ind.id,
                code=ind.code,
                aggregation=ind.aggregation,
                unit=ind.unit,
                rate_per=ind.rate_per,
                minimum=ind.minimum,
                maximum=ind.maximum,
                dimensions=tuple(dims.get(ind.id, ())),
                all_cells_required=ind.all_cells_required,
                is_proportion=ind.is_proportion,
            )
        self.periods: dict[str, tuple[int, str]] = {
            code: (pk, status)
            for pk, code, status in Period.objects.filter(initiative=initiative).values_list(
                "id", "code", "status"
            )
        }
        self.groups: dict[tuple[str, str], int] = {}
        self.leaf_counts: dict[str, int] = defaultdict(int)
        parents = set(
            Group.objects.filter(initiative=initiative, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        for pk, dim_key, key in Group.objects.filter(initiative=initiative).values_list(
            "id", "dimension__key", "key"
        ):
            self.groups[(dim_key, key)] = pk
            if pk not in parents:
                self.leaf_counts[dim_key] += 1
        self.cells: dict[str, int] = dict(
            Cell.objects.filter(initiative=initiative).values_list("key", "id")
        )
        self.partners: dict[str, tuple[int, str]] = {
            slug: (pk, status)
            for pk, slug, status in Partner.objects.filter(initiative=initiative).values_list(
                "id", "organisation__slug", "status"
            )
        }


class Intake:
    """Check and write one batch of reported values.

    `partner` is who reports; backbone staff importing for many partners pass
    `many_partners=True` and each row names its partner. A `correction_reason` (backbone
    staff only, checked by the caller) lets values into closed periods, logged as such.
    """

    def __init__(
        self,
        *,
        initiative: Initiative,
        by,
        channel: str,
        partner: Partner | None = None,
        many_partners: bool = False,
        file_name: str = "",
        correction_reason: str = "",
        catalogue: Catalogue | None = None,
    ):
        if partner is None and not many_partners:
            raise ValueError("Name the reporting partner, or import for many partners.")
        self.initiative = initiative
        self.by = by
        self.channel = channel
        self.partner = partner
        self.many_partners = many_partners
        self.file_name = file_name
        self.correction_reason = correction_reason.strip()
        self.catalogue = catalogue or Catalogue(initiative)
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.outliers: set[tuple[int, int, int, str]] = set()
        # rows blank with a reason, by (partner, indicator, period, cell key): their reason
        self.blanks: dict[tuple[int, int, int, str], str] = {}
        # (comment, followup, stored_by) of the rows that have any, by the same key
        self.notes: dict[tuple[int, int, int, str], tuple[str, bool, str]] = {}
        self._cells_seen: dict[tuple, str] = {}

    # --- checking ------------------------------------------------------------------------

    def _problem(self, reason: str, row: int | None = None, column: str | None = None) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(Problem(reason, self.file_name, row, column))

    def check(self, rows: Iterable[Reported]) -> list[Checked]:
        """Check each row and the rows together; return the clean rows. Problems collect in
        `self.problems`; the caller refuses the batch if there are any."""
        cat = self.catalogue
        checked: list[Checked] = []
        seen: dict[tuple, int | None] = {}
        default_partner = self.partner.pk if self.partner else None
        any_row = False
        for r in rows:
            any_row = True
            col = r.columns or {}
            problems_before = self.problem_count

            partner_id = default_partner
            if r.partner not in (None, ""):
                found = cat.partners.get(str(r.partner).strip())
                if found is None:
                    self._problem(
                        gettext("unknown partner %(partner)s") % {"partner": repr(r.partner)},
                        r.row,
                        col.get("partner", "partner"),
                    )
                elif not self.many_partners and found[0] != default_partner:
                    self._problem(
                        gettext("you may report only for your own organisation"),
                        r.row,
                        col.get("partner", "partner"),
                    )
                elif found[1] != PartnerStatus.ACTIVE and not self.correction_reason:
                    self._problem(
                        gettext("partner %(partner)s is not active") % {"partner": repr(r.partner)},
                        r.row,
                        col.get("partner", "partner"),
                    )
                else:
                    partner_id = found[0]
            elif partner_id is None:
                self._problem(gettext("name the partner"), r.row, col.get("partner", "partner"))

            rules = cat.indicators.get(str(r.indicator).strip()) if r.indicator else None
            if rules is None:
                self._problem(
                    gettext("unknown indicator %(indicator)s") % {"indicator": repr(r.indicator)}
                    if r.indicator
                    else gettext("indicator is missing"),
                    r.row,
                    col.get("indicator", "indicator"),
                )
            period = cat.periods.get(str(r.period).strip()) if r.period else None
            if period is None:
                self._problem(
                    gettext("unknown period %(period)s") % {"period": repr(r.period)}
                    if r.period
                    else gettext("period is missing"),
                    r.row,
                    col.get("period", "period"),
                )
            elif period[1] != Period.Status.OPEN and not self.correction_reason:
                self._problem(
                    gettext("period %(period)s is closed; only the backbone can correct it")
                    % {"period": r.period},
                    r.row,
                    col.get("period", "period"),
                )
            if rules is None or period is None:
                continue

            cell_key = self._cell_key(rules, r, col)
            reason = self._reason(r, col)
            if reason is None:
                numbers = None
            elif reason:
                numbers = self._blank(r, col)
            else:
                numbers = self._numbers(rules, r, col)
            if cell_key is None or numbers is None or self.problem_count > problems_before:
                continue
            key = (partner_id, rules.id, period[0], cell_key)
            if key in seen:
                self._problem(
                    gettext("duplicate of row %(row)s: same indicator, period and groups")
                    % {"row": seen[key]},
                    r.row,
                )
                continue
            seen[key] = r.row
            checked.append((partner_id, rules.id, period[0], cell_key, *numbers, r.row))
            if reason:
                self.blanks[key] = reason
            if r.comment or r.followup or r.stored_by:
                self.notes[key] = (r.comment, r.followup, r.stored_by)
        if not any_row:
            self._problem(gettext("no values: the file has no data rows"))
        if not self.problem_count:
            self._check_totals(checked)
        if not self.problem_count:
            self._flag_outliers(checked)
        return checked

    def _cell_key(self, rules: IndicatorRules, r: Reported, col) -> str | None:
        """The cell of a row's groups; the few distinct answers are remembered."""
        memo = (rules.id, tuple(r.groups.items()) if r.groups else ())
        found = self._cells_seen.get(memo)
        if found is None:
            found = self._resolve_cell_key(rules, r, col)
            if found is not None:
                self._cells_seen[memo] = found
        return found

    def _resolve_cell_key(self, rules: IndicatorRules, r: Reported, col) -> str | None:
        ids = []
        for dim_key, group_key in (r.groups or {}).items():
            group_key = "" if group_key is None else str(group_key).strip()
            if not group_key:
                continue
            column = col.get(dim_key, dim_key)
            if dim_key not in rules.dimensions:
                self._problem(
                    gettext("indicator %(indicator)s is not reported by %(dimension)s")
                    % {"indicator": rules.code, "dimension": dim_key},
                    r.row,
                    column,
                )
                return None
            group = self.catalogue.groups.get((dim_key, group_key))
            if group is None:
                self._problem(
                    gettext("unknown group %(group)s of %(dimension)s")
                    % {"group": repr(group_key), "dimension": dim_key},
                    r.row,
                    column,
                )
                return None
            ids.append(group)
        return Cell.key_for(ids)

    def _reason(self, r: Reported, col) -> str | None:
        """The code of the reason a row gives for a blank value, "" for none, None (after a
        problem) for a reason not known."""
        if missing.is_blank(r.missing):
            return ""
        code = missing.reason_code(r.missing)
        if code is None:
            self._problem(missing.unknown_reason(r.missing), r.row, col.get("missing", "missing"))
        return code

    def _blank(self, r: Reported, col):
        """A blank with a reason carries no number: the reason would contradict it."""
        given = (r.value, r.numerator, r.denominator, r.weight)
        if not all(missing.is_blank(raw) for raw in given):
            self._problem(
                gettext("a value and a reason for its absence; give one"),
                r.row,
                col.get("missing", "missing"),
            )
            return None
        return None, None, None, None

    def _numbers(self, rules: IndicatorRules, r: Reported, col):
        """(value, numerator, denominator, weight) as exact text, or None after a problem.
        Every number is checked as it will be stored, rounded to six decimal places."""

        def number(name: str, raw: object) -> Decimal | None:
            try:
                return parse_number(raw)
            except ValueError as exc:
                self._problem(str(exc), r.row, col.get(name, name))
                return None

        def required(name: str, value: Decimal | None, raw: object) -> bool:
            if value is None and (raw is None or str(raw).strip() == ""):
                self._problem(
                    gettext("%(name)s is missing") % {"name": _named(name)},
                    r.row,
                    col.get(name, name),
                )
                return False
            return value is not None

        value = number("value", r.value)
        if rules.aggregation == Aggregation.RATE:
            num = number("numerator", r.numerator)
            den = number("denominator", r.denominator)
            ok = required("numerator", num, r.numerator) & required(
                "denominator", den, r.denominator
            )
            if not ok:
                return None
            if num < 0:
                self._problem(
                    gettext("numerator cannot be negative"),
                    r.row,
                    col.get("numerator", "numerator"),
                )
                return None
            if den <= 0:
                self._problem(
                    _above_zero("denominator", den, r.denominator),
                    r.row,
                    col.get("denominator", "denominator"),
                )
                return None
            if rules.is_proportion and num > den:
                self._problem(
                    gettext("numerator %(numerator)s is larger than denominator %(denominator)s")
                    % {"numerator": as_text(num), "denominator": as_text(den)},
                    r.row,
                    col.get("numerator", "numerator"),
                )
                return None
            try:
                derived = stored(num / den * rules.rate_per)
            except ValueError:
                self._problem(
                    gettext("numerator / denominator × %(per)s is too large")
                    % {"per": rules.rate_per},
                    r.row,
                    col.get("numerator", "numerator"),
                )
                return None
            if value is not None and abs(value - derived) > Decimal("0.05"):
                self._problem(
                    gettext("value %(value)s disagrees with numerator / denominator (%(derived)s)")
                    % {"value": as_text(value), "derived": as_text(derived)},
                    r.row,
                    col.get("value", "value"),
                )
                return None
            if not self._in_range(rules, derived, r, col):
                return None
            return as_text(derived), as_text(num), as_text(den), None
        if not required("value", value, r.value):
            return None
        if not self._in_range(rules, value, r, col):
            return None
        weight = None
        if rules.aggregation == Aggregation.WEIGHTED:
            weight = number("n", r.weight)
            if not required("n", weight, r.weight):
                return None
            if weight <= 0:
                self._problem(_above_zero("n", weight, r.weight), r.row, col.get("n", "n"))
                return None
        return as_text(value), None, None, as_text(weight)

    def _in_range(self, rules: IndicatorRules, value: Decimal, r: Reported, col) -> bool:
        low, high = rules.minimum, rules.maximum
        if low is None and rules.unit in {"count", "percent", "rate", "currency"}:
            low = Decimal(0)
        if high is None and rules.unit == "percent":
            high = Decimal(100)
        column = col.get("value", "value")
        if low is not None and value < low:
            self._problem(
                gettext("%(value)s is below the minimum %(minimum)s")
                % {"value": as_text(value), "minimum": as_text(low)},
                r.row,
                column,
            )
            return False
        if high is not None and value > high:
            self._problem(
                gettext("%(value)s is above the maximum %(maximum)s")
                % {"value": as_text(value), "maximum": as_text(high)},
                r.row,
                column,
            )
            return False
        return True

    def _check_totals(self, checked: list[Checked]) -> None:
        """A total must agree with its cells; every cell must be there where required. A cell
        blank with a reason is there (the partner answered for it) but adds nothing, so a
        total is compared only with the cells that have numbers, and a blank total with
        none."""
        by_id = {rules.id: rules for rules in self.catalogue.indicators.values()}
        totals: dict[tuple, Checked] = {}
        parts: dict[tuple, list[Checked]] = defaultdict(list)
        for c in checked:
            rules = by_id[c[1]]
            if not rules.dimensions:
                continue
            n_groups = len(c[3].split(".")) if c[3] else 0
            if n_groups == 0:
                totals[c[:3]] = c
            elif n_groups == len(rules.dimensions):
                parts[c[:3]].append(c)
        for key in set(totals) | set(parts):
            rules = by_id[key[1]]
            given = parts.get(key, [])
            cells = [c for c in given if c[:4] not in self.blanks]
            expected = prod(self.catalogue.leaf_counts[d] for d in rules.dimensions)
            complete = len(cells) >= expected
            total = totals.get(key)
            if rules.all_cells_required and len(given) < expected:
                self._problem(
                    ngettext(
                        "%(indicator)s: %(given)s of %(expected)s combination of groups given; "
                        "every one is required",
                        "%(indicator)s: %(given)s of %(expected)s combinations of groups given; "
                        "every one is required",
                        expected,
                    )
                    % {"indicator": rules.code, "given": len(given), "expected": expected},
                    (total or given[0])[8],
                )
                continue
            if total is None or total[:4] in self.blanks or not cells:
                continue
            self._compare_total(rules, total, cells, complete)

    def _compare_total(self, rules, total: Checked, cells: list[Checked], complete: bool):
        agg = rules.aggregation
        if agg == Aggregation.RATE:
            pairs = [("numerator", 5), ("denominator", 6)]
        elif agg == Aggregation.WEIGHTED:
            pairs = [("n", 7)]
        else:
            pairs = [("value", 4)]
        for name, i in pairs:
            whole = Decimal(total[i])
            summed = sum(Decimal(c[i]) for c in cells)
            if (complete and summed != whole) or (not complete and summed > whole):
                shown = {
                    "indicator": rules.code,
                    "name": _named(name),
                    "total": as_text(whole),
                    "sum": as_text(summed),
                }
                self._problem(
                    (
                        gettext(
                            "%(indicator)s: total %(name)s %(total)s disagrees with its parts "
                            "(the sum of the groups is %(sum)s)"
                        )
                        if complete
                        else gettext(
                            "%(indicator)s: total %(name)s %(total)s disagrees with its parts "
                            "(more than the total: the sum of the groups is %(sum)s)"
                        )
                    )
                    % shown,
                    total[8],
                    name,
                )
                return
        if agg == Aggregation.WEIGHTED and complete:
            n = sum(Decimal(c[7]) for c in cells)
            mean = sum(Decimal(c[4]) * Decimal(c[7]) for c in cells) / n
            if abs(mean - Decimal(total[4])) > Decimal("0.05"):
                self._problem(
                    gettext(
                        "%(indicator)s: total %(total)s disagrees with the n-weighted mean of "
                        "its parts (%(mean)s)"
                    )
                    % {
                        "indicator": rules.code,
                        "total": as_text(Decimal(total[4])),
                        "mean": as_text(mean.quantize(SIX_PLACES)),
                    },
                    total[8],
                    "value",
                )

    def _flag_outliers(self, checked: list[Checked]) -> None:
        """Values far from the partner's own history are flagged, never refused."""
        if not checked:
            return
        partners = {c[0] for c in checked}
        indicators = {c[1] for c in checked}
        periods = {c[2] for c in checked}
        stats = (
            DataValue.objects.filter(
                initiative=self.initiative, partner_id__in=partners, indicator_id__in=indicators
            )
            .exclude(period_id__in=periods)
            .exclude(value__isnull=True)
            .values("partner_id", "indicator_id", "cell__key")
            .annotate(n=Count("id"), mean=Avg("value"), mean_sq=Avg(F("value") * F("value")))
            .filter(n__gte=OUTLIER_MIN_HISTORY)
        )
        history = {
            (s["partner_id"], s["indicator_id"], s["cell__key"]): (
                float(s["mean"]),
                max(float(s["mean_sq"]) - float(s["mean"]) ** 2, 0.0),
            )
            for s in stats
        }
        if not history:
            return
        for c in checked:
            found = history.get((c[0], c[1], c[3]))
            if found and c[4] is not None:
                mean, variance = found
                spread = max(variance**0.5, abs(mean) * 0.05, 1e-9)
                if abs(float(c[4]) - mean) > OUTLIER_SDS * spread:
                    self.outliers.add(c[:4])

    # --- writing ---------------------------------------------------------------------------

    def submit(
        self,
        rows: Iterable[Reported],
        *,
        status: str = Submission.Status.SUBMITTED,
        narrative: str = "",
        read_revision: int | None = None,
    ) -> Submission:
        """Check, then write everything or nothing. Raises IntakeRefused with the problems.

        `read_revision`: the version of the partner's report (one indicator and period) the
        web form was read at (versions.report_revision); written since, by any channel, the
        rows are refused with EditConflict. None checks nothing, as files and the API."""
        checked = self.check(rows)
        if self.problem_count:
            raise IntakeRefused(self.problems, self.problem_count)
        return self.record(checked, status=status, narrative=narrative, read_revision=read_revision)

    @transaction.atomic
    def record(
        self,
        checked: list[Checked],
        *,
        status: str,
        narrative: str = "",
        read_revision: int | None = None,
    ) -> Submission:
        now = timezone.now()
        self._hold(checked)
        # Another submission of the same cells waits here until this one is written, then
        # reads what it wrote: the value it takes over, and whose it was, for the history.
        pairs = {(c[1], c[2]) for c in checked}
        values_lock(self.initiative.pk, pairs)
        if read_revision is not None:
            ((indicator_id, period_id),) = pairs  # a form's report: one indicator and period
            report_unchanged_since(
                read_revision,
                partner_id=self.partner.pk,
                indicator_id=indicator_id,
                period_id=period_id,
            )
        partner = self.partner or Partner.objects.get(pk=checked[0][0])
        submission = Submission.objects.create(
            initiative=self.initiative,
            partner=partner,
            channel=Submission.Channel.CORRECTION if self.correction_reason else self.channel,
            file_name=self.file_name,
            status=status,
            narrative=narrative,
            value_count=len(checked),
            outlier_count=len(self.outliers),
            created_by=self.by,
            submitted_at=now if status != Submission.Status.DRAFT else None,
            review_comment=self.correction_reason,
        )
        cell_ids = self._ensure_cells({c[3] for c in checked})
        existing = self._existing(checked, cell_ids)
        inserts, changes, updates = [], [], []
        init_id, sub_id = self.initiative.pk, submission.pk
        for c in checked:
            cell_id = cell_ids[c[3]]
            outlier = c[:4] in self.outliers
            reason = self.blanks.get(c[:4], "")
            notes = self.notes.get(c[:4], NO_NOTES)
            old = existing.get((c[0], c[1], c[2], cell_id))
            if old is None:
                inserts.append(
                    (
                        init_id,
                        c[1],
                        c[0],
                        c[2],
                        cell_id,
                        c[4],
                        c[5],
                        c[6],
                        c[7],
                        status,
                        outlier,
                        sub_id,
                        now,
                        reason,
                        *notes,
                    )
                )
            else:
                updates.append((old[0], c[4], c[5], c[6], c[7], outlier, reason, *notes))
                # a blank's reason is part of the value: a new reason is a change too
                if _changed(old[1:5], c[4:8]) or old[6] != reason:
                    changes.append(
                        ValueChange(
                            initiative_id=init_id,
                            data_value_id=old[0],
                            submission_id=sub_id,
                            previous_submission_id=old[5],
                            changed_by=self.by,
                            changed_at=now,
                            old_value=old[1],
                            old_numerator=old[2],
                            old_denominator=old[3],
                            old_weight=old[4],
                            new_value=c[4],
                            new_numerator=c[5],
                            new_denominator=c[6],
                            new_weight=c[7],
                            reason=missing.change_reason(self.correction_reason, old[6], reason),
                        )
                    )
        _insert_values(inserts)
        _update_values(updates, status=status, submission_id=sub_id, now=now)
        ValueChange.objects.bulk_create(changes, batch_size=2000)
        if self.correction_reason:
            self._audit_closed(checked, existing, cell_ids, partner, submission)
        # New values that are not approved change no approved figure: only the provisional
        # roll-ups need recomputing. A value written over may have been approved.
        values_changed(
            self.initiative.pk,
            {(c[1], c[2]) for c in checked},
            provisional_only=status != Submission.Status.APPROVED and not updates,
        )
        return submission

    def _audit_closed(self, checked, existing, cell_ids, partner, submission) -> None:
        """One audit event for the values this correction wrote into closed periods: each
        value as it was and as it is now (the first AUDITED_VALUES of them; the count says
        how many in all)."""
        cat = self.catalogue
        closed = {pk for pk, status in cat.periods.values() if status != Period.Status.OPEN}
        indicators = {rules.id: code for code, rules in cat.indicators.items()}
        periods = {pk: code for code, (pk, _) in cat.periods.items()}
        partners = {pk: slug for slug, (pk, _) in cat.partners.items()}
        groups = {pk: f"{dim}:{key}" for (dim, key), pk in cat.groups.items()}
        before, after = [], []
        for c in checked:
            if c[2] not in closed:
                continue
            old = existing.get((c[0], c[1], c[2], cell_ids[c[3]]))
            reason = self.blanks.get(c[:4], "")
            if old is not None and not _changed(old[1:5], c[4:8]) and old[6] == reason:
                continue
            where = {
                "partner": partners.get(c[0]),
                "indicator": indicators.get(c[1]),
                "period": periods.get(c[2]),
                "groups": [groups.get(int(g)) for g in c[3].split(".") if g],
            }
            before.append(where | _numbers(old[1:5], old[6]) if old else where | {"value": None})
            after.append(where | _numbers(c[4:8], reason))
        if not after:
            return
        audit.record(
            initiative=self.initiative,
            by=self.by,
            action=Action.VALUES_CORRECTED,
            organisation=None if self.many_partners else partner.organisation,
            subject=self.correction_reason,
            before={"values": before[:AUDITED_VALUES], "count": len(before)},
            after={
                "values": after[:AUDITED_VALUES],
                "count": len(after),
                "submission": str(submission.uuid),
                "reason": self.correction_reason,
            },
        )

    def _hold(self, checked: list[Checked]) -> None:
        """Lock what the values point to until the transaction ends, as a foreign key check
        would, but once per import rather than once per value: partners and indicators
        against deletion, periods against deletion and closing. A period closed since the
        rows were checked refuses them."""
        partners = sorted({c[0] for c in checked})
        indicators = sorted({c[1] for c in checked})
        periods = sorted({c[2] for c in checked})
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model, ids, mode in (
                    (Partner, partners, "KEY SHARE"),
                    (Indicator, indicators, "KEY SHARE"),
                    (Period, periods, "SHARE"),
                ):
                    table = model._meta.db_table
                    cursor.execute(f"SELECT id FROM {table} WHERE id = ANY(%s) FOR {mode}", [ids])
        found = {
            (model, pk)
            for model, rows in (
                (Partner, Partner.objects.filter(pk__in=partners)),
                (Indicator, Indicator.objects.filter(pk__in=indicators)),
            )
            for pk in rows.values_list("pk", flat=True)
        }
        gone = [pk for pk in partners if (Partner, pk) not in found] + [
            pk for pk in indicators if (Indicator, pk) not in found
        ]
        status = dict(Period.objects.filter(pk__in=periods).values_list("pk", "status"))
        closed = [
            code
            for code, (pk, was) in self.catalogue.periods.items()
            if pk in status
            and status[pk] == Period.Status.CLOSED != was
            and not self.correction_reason
        ]
        if gone or len(status) < len(periods) or closed:
            reason = (
                gettext("period %(period)s was closed while these values were being checked")
                % {"period": closed[0]}
                if closed
                else gettext(
                    "an indicator, partner or period was deleted while these values were "
                    "being checked"
                )
            )
            raise IntakeRefused([Problem(reason, self.file_name)])

    def _ensure_cells(self, keys: set[str]) -> dict[str, int]:
        known = self.catalogue.cells
        missing = [k for k in keys if k not in known]
        if missing:
            Cell.objects.bulk_create(
                [Cell(initiative=self.initiative, key=k) for k in missing], ignore_conflicts=True
            )
            created = dict(
                Cell.objects.filter(initiative=self.initiative, key__in=missing).values_list(
                    "key", "id"
                )
            )
            links = [
                Cell.groups.through(initiative=self.initiative, cell_id=created[k], group_id=int(g))
                for k in missing
                for g in k.split(".")
                if k
            ]
            Cell.groups.through.objects.bulk_create(links, ignore_conflicts=True)
            known.update(created)
        return {k: known[k] for k in keys}

    def _existing(self, checked: list[Checked], cell_ids: dict[str, int]) -> dict:
        partners = {c[0] for c in checked}
        indicators = {c[1] for c in checked}
        periods = {c[2] for c in checked}
        rows = DataValue.objects.filter(
            initiative=self.initiative,
            partner_id__in=partners,
            indicator_id__in=indicators,
            period_id__in=periods,
        ).values_list(
            "partner_id",
            "indicator_id",
            "period_id",
            "cell_id",
            "id",
            "value",
            "numerator",
            "denominator",
            "weight",
            "submission_id",
            "missing",
        )
        return {r[:4]: r[4:] for r in rows}


def _above_zero(name: str, number: Decimal, raw: object) -> str:
    """Why a denominator or n is refused, saying so when it is a small number that rounds to
    zero at the six decimal places kept."""
    written = repr(raw) if isinstance(raw, float) else str(raw).strip()
    if number == 0 and not _is_zero(written):
        return gettext("%(name)s must be above zero: %(written)s is 0 to six decimal places") % {
            "name": _named(name),
            "written": written,
        }
    return gettext("%(name)s must be above zero") % {"name": _named(name)}


def _is_zero(written: str) -> bool:
    try:
        return Decimal(written.replace(",", "").rstrip("%")) == 0
    except ArithmeticError:
        return False


def _numbers(numbers, missing_reason: str) -> dict:
    """A value's numbers as exact text, for the audit trail; a blank's reason when blank."""
    names = ("value", "numerator", "denominator", "n")
    found = {
        name: as_text(Decimal(n)) for name, n in zip(names, numbers, strict=True) if n is not None
    }
    return found or {"value": None, "missing": missing_reason}


def _changed(old, new) -> bool:
    return any(
        (o is None) != (n is None) or (o is not None and Decimal(o) != Decimal(n))
        for o, n in zip(old, new, strict=True)
    )


VALUE_COLUMNS = (
    "initiative_id",
    "indicator_id",
    "partner_id",
    "period_id",
    "cell_id",
    "value",
    "numerator",
    "denominator",
    "weight",
    "status",
    "is_outlier",
    "submission_id",
    "updated_at",
    "missing",
    "comment",
    "followup",
    "stored_by",
)
NO_NOTES = ("", False, "")


def _insert_values(rows: list[tuple]) -> None:
    """New values: PostgreSQL's COPY where we have it, batched inserts elsewhere."""
    if not rows:
        return
    table = DataValue._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(
                f"COPY {table} ({', '.join(VALUE_COLUMNS)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        return
    # Elsewhere one prepared INSERT for every row: the rows are checked already, so building
    # a model instance for each would only cost time. The timestamp is adapted as Django would.
    at = VALUE_COLUMNS.index("updated_at")
    marks = ", ".join(["%s"] * len(VALUE_COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(VALUE_COLUMNS)}) VALUES ({marks})"
    adapt = connection.ops.adapt_datetimefield_value
    stamps: dict = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            batch = []
            for row in rows[start : start + 5000]:
                when = row[at]
                if when not in stamps:
                    stamps[when] = adapt(when)
                batch.append((*row[:at], stamps[when], *row[at + 1 :]))
            cursor.executemany(sql, batch)


UPDATED_COLUMNS = (
    "value",
    "numerator",
    "denominator",
    "weight",
    "is_outlier",
    "missing",
    "comment",
    "followup",
    "stored_by",
)


def _update_values(updates: list[tuple], *, status: str, submission_id: int, now) -> None:
    """Values reported again: one prepared UPDATE by key for every row, sent in batches
    (psycopg pipelines them). Django's bulk_update builds a CASE per column and row, which
    took seconds per thousand rows."""
    if not updates:
        return
    table = DataValue._meta.db_table
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(c)} = %s" for c in (*UPDATED_COLUMNS, "status"))
    sql = (
        f"UPDATE {quote(table)} SET {assignments}, {quote('submission_id')} = %s, "
        f"{quote('updated_at')} = %s WHERE {quote('id')} = %s"
    )
    at = connection.ops.adapt_datetimefield_value(now)
    rows = [
        (value, num, den, weight, outlier, reason, comment, followup, stored_by)
        + (status, submission_id, at, pk)
        for pk, value, num, den, weight, outlier, reason, comment, followup, stored_by in updates
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])
