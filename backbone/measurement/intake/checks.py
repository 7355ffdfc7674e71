"""Checking a batch: each row (codes, cells, numbers, ranges, blanks with their reason), then
the rows together (duplicates, totals against their parts, required cells), then outliers
against the partner's own history, flagged and never refused."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from math import prod

from django.db.models import Avg, Count, F
from django.utils.translation import gettext, ngettext

from backbone.initiatives.roles import PartnerStatus

from .. import missing
from ..models import Aggregation, Cell, DataValue, Period
from ..numbers import as_text, parse_number, stored
from ..problems import Problem
from .rows import (
    MAX_PROBLEMS_KEPT,
    OUTLIER_MIN_HISTORY,
    OUTLIER_SDS,
    SIX_PLACES,
    Checked,
    IndicatorRules,
    Reported,
    _named,
    accepted_range,
)


class Checks:
    """The checking half of `Intake` (backbone.measurement.intake)."""

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
        low, high = accepted_range(rules)
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
        history = outlier_history(
            self.initiative,
            partners={c[0] for c in checked},
            indicators={c[1] for c in checked},
            periods={c[2] for c in checked},
        )
        for c in checked:
            found = history.get((c[0], c[1], c[3]))
            if found and c[4] is not None:
                mean, spread = found
                if abs(float(c[4]) - mean) > OUTLIER_SDS * spread:
                    self.outliers.add(c[:4])


def outlier_history(initiative, *, partners, indicators, periods) -> dict:
    """(mean, spread) of each partner's values of each indicator and cell in other periods,
    by (partner id, indicator id, cell key), where there are enough of them to judge by: a
    value more than OUTLIER_SDS spreads from the mean is an outlier. The spread is the
    standard deviation, but at least 5% of the mean, so that a steady series does not flag
    every small change."""
    stats = (
        DataValue.objects.filter(
            initiative=initiative, partner_id__in=partners, indicator_id__in=indicators
        )
        .exclude(period_id__in=periods)
        .exclude(value__isnull=True)
        .values("partner_id", "indicator_id", "cell__key")
        .annotate(n=Count("id"), mean=Avg("value"), mean_sq=Avg(F("value") * F("value")))
        .filter(n__gte=OUTLIER_MIN_HISTORY)
    )
    history = {}
    for s in stats:
        mean = float(s["mean"])
        variance = max(float(s["mean_sq"]) - mean**2, 0.0)
        spread = max(variance**0.5, abs(mean) * 0.05, 1e-9)
        history[(s["partner_id"], s["indicator_id"], s["cell__key"])] = (mean, spread)
    return history


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
