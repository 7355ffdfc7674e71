"""A progress report: a chosen period of the initiative's work, and who it is shared with.

The report keeps no figures of its own: every reading draws them from the live data for its
period, so a correction to a value reaches the next reading of every report."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


class Report(Revised):
    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="reports"
    )
    title = models.CharField(max_length=200)
    period_start = models.DateField(_("Period starts"))
    period_end = models.DateField(_("Period ends"), help_text=_("The last day the report covers."))
    introduction = models.TextField(
        blank=True, help_text=_("A few words from the backbone, printed at the top of the report.")
    )
    shared_with_funders = models.BooleanField(
        _("Shared with funders"),
        default=False,
        help_text=_("Funders of the initiative may read it."),
    )
    shared_with_members = models.BooleanField(
        _("Shared with members"),
        default=False,
        help_text=_("Partners and community members of the initiative may read it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="reports_report_uuid_in_initiative"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_ends_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title
