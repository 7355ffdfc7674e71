"""Collective impact health over the REST API: the health page's figures and engagement
alerts, and the one setting, under the page's rules (backbone.permissions `health.*`).

The backbone and evaluators read; other members get 403 and outsiders 404, even on a public
initiative (health is the initiative's own working record). Only backbone staff change when
a partner counts as quiet, sending the `revision` they read: a save since refuses it with 409
and the setting as it now stands; a figure out of range is refused with 422 by the service.
"""

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as Refused
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.responses import Status
from pydantic import StringConstraints

from backbone.api.auth import caller, initiative_of, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut
from backbone.permissions import can
from backbone.revisions import EditConflict

from . import alerts, scores, selectors, services
from .models import DEFAULT_QUIET_AFTER_DAYS
from .signals import ENOUGH_RECORDS

router = Router(tags=["health"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = READ


class HealthSignalOut(Schema):
    key: str
    label: str
    percent: int | None = Field(description="The share as a percentage; null: nothing to measure.")
    numerator: float | None
    denominator: float | None
    unit: str
    period: str
    source: str = Field(description="The page the figures come from.")
    link: str | None
    note: str
    basis: int | None = Field(description="How many records the share rests on.")
    basis_unit: str
    scored: bool = Field(description="Whether it counts in the score (enough records).")


class ConditionHealthOut(Schema):
    key: str
    name: str
    summary: str
    behaviour: int | None = Field(description="0–100 from what the initiative does.")
    behaviour_band: str | None
    assessment: float | None = Field(description="The latest assessment's mean, 1–5.")
    assessment_band: str | None
    disagrees: bool = Field(description="The two differ by more than `margin` points.")
    gap: int | None = Field(description="How far apart the two are, in whole points.")
    signals: list[HealthSignalOut]


class QuietSignalOut(Schema):
    signal: str
    label: str
    since: date | None = Field(description="The last time the partner did it; null: never.")
    detail: str


class EngagementAlertOut(Schema):
    partner: str = Field(description="The partner organisation's slug.")
    partner_name: str
    quiet: list[QuietSignalOut]


class HealthOut(Schema):
    today: date
    margin: float = Field(description="Points by which behaviour and assessment may differ.")
    enough_records: int = Field(description="Records a signal needs before it is scored.")
    has_enough_data: bool
    has_assessment: bool
    has_network: bool
    conditions: list[ConditionHealthOut]
    quiet_after_days: int
    alerts: list[EngagementAlertOut] = Field(
        description="Active partners gone quiet, quietest first."
    )


class AlertSettingOut(Schema):
    quiet_after_days: int
    default: bool = Field(description="True while the backbone has never changed it.")
    revision: int = Field(description="Send it back with a change (0 before the first save).")
    updated_at: datetime | None


class AlertSettingIn(Schema):
    revision: int = Field(ge=0, le=2**31 - 1, description="The `revision` it was read at.")
    quiet_after_days: int = Field(ge=0, le=32767, description="Between 14 and 730 days.")


class AlertSettingConflictOut(Schema):
    detail: str
    current: AlertSettingOut = Field(description="The setting as it now stands.")


def _figure(value) -> float | None:
    return None if value is None else float(value)


def _condition(c: scores.ConditionHealth) -> dict:
    return {
        "key": c.key,
        "name": c.name,
        "summary": c.summary,
        "behaviour": c.behaviour_rounded,
        "behaviour_band": c.behaviour_band,
        "assessment": c.assessment,
        "assessment_band": c.assessment_band,
        "disagrees": c.disagrees,
        "gap": c.gap_size,
        "signals": [
            {
                "key": s.key,
                "label": str(s.label),
                "percent": s.percent,
                "numerator": _figure(s.numerator),
                "denominator": _figure(s.denominator),
                "unit": str(s.unit),
                "period": str(s.period),
                "source": str(s.source),
                "link": s.url,
                "note": str(s.note),
                "basis": s.basis,
                "basis_unit": str(s.basis_unit),
                "scored": s.scored,
            }
            for s in c.signals
        ],
    }


def _setting(initiative) -> dict:
    found = selectors.alert_setting(initiative)
    if found is None:
        return {
            "quiet_after_days": DEFAULT_QUIET_AFTER_DAYS,
            "default": True,
            "revision": 0,
            "updated_at": None,
        }
    return {
        "quiet_after_days": found.quiet_after_days,
        "default": False,
        "revision": found.revision,
        "updated_at": found.updated_at,
    }


BASE = "/initiatives/{slug}/health"


@router.get(BASE, response={200: HealthOut, **READ})
def get_health(request: HttpRequest, slug: Slug):
    """The health page: each condition's score from what the initiative does beside its
    assessment score, the signals behind it, and the partners gone quiet."""
    initiative = initiative_of(request, slug, "health.view")
    today = timezone.localdate()
    found = scores.condition_health(initiative=initiative, today=today)
    return {
        "today": today,
        "margin": scores.DISAGREEMENT_MARGIN,
        "enough_records": ENOUGH_RECORDS,
        "has_enough_data": found.has_enough_data,
        "has_assessment": found.has_assessment,
        "has_network": found.has_network,
        "conditions": [_condition(c) for c in found.conditions],
        "quiet_after_days": alerts.quiet_after_days(initiative),
        "alerts": [
            {
                "partner": a.partner.organisation.slug,
                "partner_name": a.partner.organisation.name,
                "quiet": [
                    {
                        "signal": q.signal,
                        "label": str(q.label),
                        "since": q.since,
                        "detail": q.detail,
                    }
                    for q in a.quiet
                ],
            }
            for a in alerts.engagement_alerts(initiative=initiative, today=today)
        ],
    }


@router.get(f"{BASE}/alert-setting", response={200: AlertSettingOut, **READ})
def get_alert_setting(request: HttpRequest, slug: Slug):
    """After how many quiet days an active partner is flagged (the health page shows it)."""
    return _setting(initiative_of(request, slug, "health.view"))


@router.put(
    f"{BASE}/alert-setting", response={200: AlertSettingOut, 409: AlertSettingConflictOut, **WRITE}
)
def set_alert_setting(request: HttpRequest, slug: Slug, payload: AlertSettingIn):
    """Set after how many quiet days a partner is flagged: backbone staff only. Read at an
    older `revision`, it is refused with 409 and the setting as it now stands."""
    initiative = initiative_of(request, slug, "health.view")
    person = who(request)
    if not person.is_authenticated:
        raise HttpError(401, "Sign in, or send a token.")
    if not can(person, "health.manage", initiative):
        raise PermissionDenied
    try:
        services.alert_setting_save(
            initiative=initiative,
            quiet_after_days=payload.quiet_after_days,
            by=caller(request).by,
            read_revision=payload.revision,
        )
    except EditConflict as exc:
        return Status(409, {"detail": exc.messages[0], "current": _setting(initiative)})
    except Refused as exc:
        raise ValidationError(
            [
                {"type": "refused", "loc": ["body", name], "msg": message}
                for name, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from exc
    return _setting(initiative)
