"""Writes of the health app: the backbone's one setting."""

from __future__ import annotations

from django.db import transaction

from backbone.initiatives.models import Initiative
from backbone.revisions import revise

from .models import AlertSetting


@transaction.atomic
def alert_setting_save(
    *, initiative: Initiative, quiet_after_days: int, by=None, read_revision: int | None = None
) -> AlertSetting:
    """Set after how many quiet days a partner is flagged; a value out of range is refused
    (`ValidationError` naming the field) and nothing is saved. Refused (EditConflict) when
    it was saved since the form was read at `read_revision` (0: before its first save)."""
    setting = AlertSetting.objects.select_for_update().filter(
        initiative=initiative
    ).first() or AlertSetting(initiative=initiative)
    revise(setting, read=read_revision, by=by)
    setting.quiet_after_days = quiet_after_days
    setting.updated_by = by
    setting.full_clean()
    setting.save()
    return setting
