"""Writes of the health app: the backbone's one setting."""

from __future__ import annotations

from django.db import transaction

from backbone.initiatives.models import Initiative

from .models import AlertSetting


@transaction.atomic
def alert_setting_save(*, initiative: Initiative, quiet_after_days: int, by=None) -> AlertSetting:
    """Set after how many quiet days a partner is flagged; a value out of range is refused
    (`ValidationError` naming the field) and nothing is saved."""
    setting = AlertSetting.objects.filter(initiative=initiative).first() or AlertSetting(
        initiative=initiative
    )
    setting.quiet_after_days = quiet_after_days
    setting.updated_by = by
    setting.full_clean()
    setting.save()
    return setting
