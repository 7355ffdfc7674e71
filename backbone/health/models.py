"""Collective impact health: the one setting the backbone chooses, when a partner counts as
gone quiet. Everything else on the health page is computed from what the initiative does."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet

#: A partner whose reporting, attending, voting, survey answers or commitment updates have
#: stopped for more than this many days is flagged, unless the backbone sets another figure.
DEFAULT_QUIET_AFTER_DAYS = 90
QUIET_AFTER_MIN, QUIET_AFTER_MAX = 14, 730


def _quiet_after_help() -> str:
    return gettext("Between %(low)s and %(high)s days; %(default)s unless you change it.") % {
        "low": QUIET_AFTER_MIN,
        "high": QUIET_AFTER_MAX,
        "default": DEFAULT_QUIET_AFTER_DAYS,
    }


class AlertSetting(Revised):
    """How long a partner may be silent before the backbone is told (one row per initiative;
    no row means the default)."""

    initiative = models.OneToOneField(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="alert_setting"
    )
    quiet_after_days = models.PositiveSmallIntegerField(
        _("Flag a partner after this many quiet days"),
        default=DEFAULT_QUIET_AFTER_DAYS,
        validators=[MinValueValidator(QUIET_AFTER_MIN), MaxValueValidator(QUIET_AFTER_MAX)],
        help_text=lazy(_quiet_after_help, str)(),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Quiet after {self.quiet_after_days} days in {self.initiative}"

    objects = InitiativeQuerySet.as_manager()
