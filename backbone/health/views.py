"""The health page and its one setting: for the backbone and evaluators. Other members get
403; people outside the initiative 404, even when it is public."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.initiatives.models import Initiative
from backbone.permissions import can, initiative_for
from backbone.web.forms import add_errors, read_revision, track

from . import alerts, scores, services
from .forms import AlertSettingForm
from .models import AlertSetting
from .signals import ENOUGH_RECORDS

SECTION = "health"


def _initiative(request, slug, rule: str) -> Initiative:
    """404 where the initiative is hidden; members only (signed out: sign in first)."""
    return initiative_for(request.user, slug, rule)


def health(request, slug):
    initiative = _initiative(request, slug, "health.view")
    today = timezone.localdate()
    return render(
        request,
        "health/health.html",
        {
            "initiative": initiative,
            "section": SECTION,
            "today": today,
            "health": scores.condition_health(initiative=initiative, today=today),
            "alerts": alerts.engagement_alerts(initiative=initiative, today=today),
            "quiet_after_days": alerts.quiet_after_days(initiative),
            "margin": scores.DISAGREEMENT_MARGIN,
            "enough_records": ENOUGH_RECORDS,
            "may_manage": can(request.user, "health.manage", initiative),
        },
    )


def alert_settings(request, slug):
    initiative = _initiative(request, slug, "health.manage")
    current = AlertSetting.objects.of(initiative).first()
    form = track(
        AlertSettingForm(request.POST or None, instance=current), current or AlertSetting()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_setting_save(
                initiative=initiative,
                quiet_after_days=form.cleaned_data["quiet_after_days"],
                by=request.user,
                read_revision=read_revision(form),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved when a partner counts as gone quiet."))
            return redirect("health:overview", initiative.slug)
    return render(
        request,
        "health/settings.html",
        {"initiative": initiative, "section": SECTION, "form": form},
    )
