"""Counting votes and naming the outcome: plain functions of plain answers, no database.

The rules, one per method (every method needs at least one vote to adopt anything: a
proposal nobody answered is not adopted):

consent     adopted when nobody objects; one objection stops it (not adopted, so the
            proposal is reworked with the objection in mind).
consensus   any block blocks it. Otherwise adopted when more agree than disagree: a simple
            majority of those who took a side; abstentions count for neither.
gradient    the five-point gradient of agreement (5 wholehearted endorsement … 1 veto). Any
            veto blocks it; otherwise adopted when the mean level is at least the midpoint, 3
            ("I can live with it"). Five points rather than the eight-point scale because
            every level is a degree of agreement, so the mean means something; the eight-point
            scale mixes in "abstain" and "more discussion needed", which are not.
poll        the option with the most votes is chosen; when several share the most, a tie,
            with the tied options named.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import CHOICES_OF, GRADIENT, Choice, Method, Result

GRADIENT_MIDPOINT = 3
VETO = 1


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Tally:
    method: str
    result: str
    reason: str
    rows: list[Row]
    total: int
    mean: float | None = None
    winners: list[str] = field(default_factory=list)

    def count(self, key) -> int:
        return next((r.count for r in self.rows if r.key == str(key)), 0)

    @property
    def result_label(self) -> str:
        return str(Result(self.result).label)  # the label is translated lazily

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Tally:
        rows = [Row(**r) for r in data.get("rows", [])]
        return cls(**{**data, "rows": rows})


def _rows(counts: Counter, keys: Sequence, labels: dict) -> list[Row]:
    return [Row(str(k), str(labels[k]), counts.get(k, 0)) for k in keys]  # lazy labels: text


def consent(choices: Iterable[str]) -> Tally:
    counts = Counter(choices)
    unknown = set(counts) - set(CHOICES_OF[Method.CONSENT])
    if unknown:
        raise ValueError(f"Not an answer to a consent proposal: {sorted(unknown)}")
    total = sum(counts.values())
    objections = counts[Choice.OBJECTION]
    if total == 0:
        result, reason = Result.NOT_ADOPTED, _("Nobody responded.")
    elif objections:
        result = Result.NOT_ADOPTED
        reason = ngettext("%(count)s objection.", "%(count)s objections.", objections) % {
            "count": objections
        }
    else:
        result = Result.ADOPTED
        reason = ngettext(
            "No objection among %(count)s response.",
            "No objection among %(count)s responses.",
            total,
        ) % {"count": total}
    keys = CHOICES_OF[Method.CONSENT]
    return Tally(
        Method.CONSENT,
        result,
        reason,
        _rows(counts, keys, {k: Choice(k).label for k in keys}),
        total,
    )


def consensus(choices: Iterable[str]) -> Tally:
    counts = Counter(choices)
    unknown = set(counts) - set(CHOICES_OF[Method.CONSENSUS])
    if unknown:
        raise ValueError(f"Not an answer to a consensus proposal: {sorted(unknown)}")
    total = sum(counts.values())
    agree, disagree, blocks = counts[Choice.AGREE], counts[Choice.DISAGREE], counts[Choice.BLOCK]
    if blocks:
        result = Result.BLOCKED
        reason = ngettext("%(count)s block.", "%(count)s blocks.", blocks) % {"count": blocks}
    elif agree > disagree:
        result = Result.ADOPTED
        reason = _("%(agree)s agree, %(disagree)s disagree: more agree than disagree.") % {
            "agree": agree,
            "disagree": disagree,
        }
    elif total == 0:
        result, reason = Result.NOT_ADOPTED, _("Nobody responded.")
    else:
        result = Result.NOT_ADOPTED
        reason = _("%(agree)s agree, %(disagree)s disagree: not more agree than disagree.") % {
            "agree": agree,
            "disagree": disagree,
        }
    keys = CHOICES_OF[Method.CONSENSUS]
    return Tally(
        Method.CONSENSUS,
        result,
        reason,
        _rows(counts, keys, {k: Choice(k).label for k in keys}),
        total,
    )


def gradient(levels: Iterable[int]) -> Tally:
    levels = [int(level) for level in levels]
    if any(level not in GRADIENT for level in levels):
        raise ValueError("A level of agreement runs from 1 (veto) to 5.")
    counts = Counter(levels)
    total = len(levels)
    mean = round(sum(levels) / total, 2) if total else None
    vetoes = counts[VETO]
    if total == 0:
        result, reason = Result.NOT_ADOPTED, _("Nobody responded.")
    elif vetoes:
        result = Result.BLOCKED
        reason = ngettext("%(count)s veto.", "%(count)s vetoes.", vetoes) % {"count": vetoes}
    elif sum(levels) >= GRADIENT_MIDPOINT * total:  # mean ≥ midpoint, without rounding
        result = Result.ADOPTED
        reason = _("No veto; mean %(mean)s, at least the midpoint %(midpoint)s.") % {
            "mean": number_format(mean, 2),
            "midpoint": GRADIENT_MIDPOINT,
        }
    else:
        result = Result.NOT_ADOPTED
        reason = _("No veto, but mean %(mean)s is below the midpoint %(midpoint)s.") % {
            "mean": number_format(mean, 2),
            "midpoint": GRADIENT_MIDPOINT,
        }
    keys = sorted(GRADIENT, reverse=True)
    labels = {k: f"{k} — {GRADIENT[k]}" for k in keys}
    return Tally(Method.GRADIENT, result, reason, _rows(counts, keys, labels), total, mean)


def poll(picks: Iterable[str], options: Sequence[str]) -> Tally:
    """`picks` are option labels; every pick must be one of `options`."""
    counts = Counter(picks)
    unknown = set(counts) - set(options)
    if unknown:
        raise ValueError(f"Not an option of this poll: {sorted(unknown)}")
    total = sum(counts.values())
    most = max(counts.values(), default=0)
    winners = [o for o in options if most and counts.get(o, 0) == most]
    if total == 0:
        result, reason = Result.NOT_ADOPTED, _("Nobody voted.")
    elif len(winners) == 1:
        result = Result.CHOSEN
        reason = ngettext(
            "“%(option)s” with %(count)s vote of %(total)s.",
            "“%(option)s” with %(count)s votes of %(total)s.",
            most,
        ) % {"option": winners[0], "count": most, "total": total}
    else:
        result = Result.TIE
        names = ", ".join(f"“{w}”" for w in winners)
        reason = ngettext(
            "Tie between %(options)s, %(count)s vote each.",
            "Tie between %(options)s, %(count)s votes each.",
            most,
        ) % {"options": names, "count": most}
    rows = [Row(o, o, counts.get(o, 0)) for o in options]
    return Tally(Method.POLL, result, reason, rows, total, winners=winners)


def tally(method: str, answers: Iterable, options: Sequence[str] = ()) -> Tally:
    """Answers are choices (consent, consensus), levels (gradient) or option labels (poll)."""
    if method == Method.CONSENT:
        return consent(answers)
    if method == Method.CONSENSUS:
        return consensus(answers)
    if method == Method.GRADIENT:
        return gradient(answers)
    if method == Method.POLL:
        return poll(answers, options)
    raise ValueError(f"Unknown decision method {method!r}")
