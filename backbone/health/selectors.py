"""Reads of the health app that are not computed figures: the backbone's one setting."""

from __future__ import annotations

from backbone.initiatives.models import Initiative

from .models import AlertSetting


def alert_setting(initiative: Initiative) -> AlertSetting | None:
    """The initiative's alert setting; None while the default stands (never saved)."""
    return AlertSetting.objects.filter(initiative=initiative).first()
