"""From signals to a score per condition of the framework, beside the assessment's score.

The mapping, written down:

- Each condition of the five-conditions framework is scored from the signals in
  `CONDITION_SIGNALS`, on a 0–100 scale: the mean of their shares (each capped at 1, so
  funding beyond the budget does not make up for a gap elsewhere) times 100. Signals with
  nothing to measure are left out; a condition none of whose signals can be measured has no
  score. A condition key the mapping does not know (another framework's) has none either.
- The assessment gives a mean on the 1–5 agreement scale. The two are compared on one scale:
  a 1–5 mean `m` is `(m − 1) / 4 × 100` points, and a behaviour score `b` is `1 + b / 25` on
  the 1–5 scale. The bands are the collaboration inventories' (PRODUCT §9): 4.0 and above a
  strength (75 points and above), 3.0–3.9 worth discussing (50–74), below 3.0 a concern.
- What people say and what they do **disagree** when the two differ by more than
  `DISAGREEMENT_MARGIN` points: 25, one whole step of the 1–5 scale.
- A figure resting on fewer reports, activities or meetings than
  `signals.ENOUGH_RECORDS` is shown but not scored, so a new initiative reads "not enough
  data yet" rather than a concern.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backbone.frameworks.selectors import framework_elements
from backbone.initiatives.models import Initiative

from . import sources
from .signals import Signal, all_signals

DISAGREEMENT_MARGIN = 25.0

CONDITION_SIGNALS: dict[str, tuple[str, ...]] = {
    "common_agenda": ("agenda_endorsement",),
    "shared_measurement": ("reporting_completeness", "reporting_timeliness"),
    "mutually_reinforcing_activities": ("strategy_coverage", "activity_overlap_free"),
    "continuous_communication": (
        "meeting_regularity",
        "partner_attendance",
        "sector_reach",
        "community_presence",
        "network_density",
        "network_trust",
    ),
    "backbone_support": ("effort_spread", "funding_secured"),
}

STRENGTH, DISCUSS, CONCERN = "strength", "discuss", "concern"
BAND_LABELS = {STRENGTH: "A strength", DISCUSS: "Worth discussing", CONCERN: "A concern"}


def behaviour_score(signals: list[Signal]) -> float | None:
    """The mean of the shares of the signals with enough data, each capped at 1, times 100."""
    shares = [min(s.share, 1.0) for s in signals if s.share is not None and s.enough]
    return 100 * sum(shares) / len(shares) if shares else None


def points_from_scale(mean: float) -> float:
    """A 1–5 mean as points on the 0–100 scale."""
    return (float(mean) - 1) / 4 * 100


def scale_from_points(points: float) -> float:
    """Points on the 0–100 scale as a mean on the 1–5 scale."""
    return 1 + points / 25


def band(on_scale: float | None) -> str | None:
    if on_scale is None:
        return None
    if on_scale >= 4.0:
        return STRENGTH
    return DISCUSS if on_scale >= 3.0 else CONCERN


def disagrees(behaviour: float | None, assessment: float | None) -> bool:
    """True when both exist and differ by more than the margin, in points."""
    if behaviour is None or assessment is None:
        return False
    return abs(behaviour - points_from_scale(assessment)) > DISAGREEMENT_MARGIN


@dataclass(frozen=True)
class ConditionHealth:
    key: str
    name: str
    summary: str
    signals: list[Signal]
    behaviour: float | None  # 0–100
    assessment: float | None  # 1–5

    @property
    def behaviour_rounded(self) -> int | None:
        return None if self.behaviour is None else round(self.behaviour)

    @property
    def behaviour_on_scale(self) -> float | None:
        return None if self.behaviour is None else scale_from_points(self.behaviour)

    @property
    def assessment_points(self) -> float | None:
        return None if self.assessment is None else points_from_scale(self.assessment)

    @property
    def behaviour_band(self) -> str | None:
        return band(self.behaviour_on_scale)

    @property
    def assessment_band(self) -> str | None:
        return band(self.assessment)

    @property
    def behaviour_band_label(self) -> str:
        return BAND_LABELS.get(self.behaviour_band or "", "")

    @property
    def assessment_band_label(self) -> str:
        return BAND_LABELS.get(self.assessment_band or "", "")

    @property
    def disagrees(self) -> bool:
        return disagrees(self.behaviour, self.assessment)

    @property
    def gap(self) -> float | None:
        """Behaviour minus assessment, in points: above zero, people do more than they say."""
        if self.behaviour is None or self.assessment is None:
            return None
        return self.behaviour - points_from_scale(self.assessment)

    @property
    def gap_size(self) -> int | None:
        """How far apart the two are, in whole points."""
        return None if self.gap is None else round(abs(self.gap))


@dataclass(frozen=True)
class Health:
    conditions: list[ConditionHealth]
    has_assessment: bool
    has_network: bool

    @property
    def disagreements(self) -> list[ConditionHealth]:
        return [c for c in self.conditions if c.disagrees]

    @property
    def has_enough_data(self) -> bool:
        """Whether any condition is scored from what the initiative does."""
        return any(c.behaviour is not None for c in self.conditions)


def condition_health(*, initiative: Initiative, today: date) -> Health:
    """Every condition of the initiative's framework, in the framework's order, with its
    behaviour score, the signals behind it and the assessment's score."""
    conditions = framework_elements(initiative.framework, "conditions")
    signals = all_signals(initiative=initiative, today=today) if conditions else {}
    assessed = sources.assessment_scores(initiative)
    found = []
    for element in conditions:
        key = element.get("key", "")
        chosen = [signals[k] for k in CONDITION_SIGNALS.get(key, ()) if k in signals]
        score = (assessed or {}).get(key)
        found.append(
            ConditionHealth(
                key=key,
                name=element.get("name", key),
                summary=element.get("summary", ""),
                signals=chosen,
                behaviour=behaviour_score(chosen),
                assessment=None if score is None else float(score),
            )
        )
    network = signals.get("network_density")
    return Health(
        conditions=found,
        has_assessment=bool(assessed) and any(v is not None for v in assessed.values()),
        has_network=network is not None and network.share is not None,
    )
