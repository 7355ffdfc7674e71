"""Who is expected to report which indicator, and which reminders have gone out."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.tenancy import InitiativeQuerySet


class ReportingAssignment(models.Model):
    """One partner named as a reporter of one indicator.

    An indicator is expected only from its assigned (active) partners; an indicator with
    none is expected from nobody, so a new initiative is not late on everything at once.
    """

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        "measurement.Indicator", on_delete=models.CASCADE, related_name="assignments"
    )
    partner = models.ForeignKey(
        "initiatives.Partner", on_delete=models.CASCADE, related_name="assignments"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "indicator", "partner"], name="reporting_assignment_once"
            )
        ]
        indexes = [models.Index(fields=["initiative", "indicator"])]

    def __str__(self) -> str:
        return f"{self.partner_id} reports {self.indicator_id}"


class ReminderSent(models.Model):
    """A reminder e-mailed about one report (partner × indicator × period); kept so that no
    report is ever reminded twice."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    partner = models.ForeignKey("initiatives.Partner", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey("measurement.Period", on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(
        "measurement.Indicator", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField()
    recipients = models.TextField(blank=True, help_text=_("The addresses it went to, one a line."))

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "partner", "period", "indicator"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.partner_id} for {self.indicator_id}/{self.period_id}"
