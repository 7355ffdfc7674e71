"""Reporting periods, opened and closed by the backbone."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.measurement.periods import period_label
from backbone.tenancy import InitiativeQuerySet


class Period(models.Model):
    class Kind(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        SCHOOL_YEAR = "school_year", _("School year")
        YEAR = "year", _("Calendar year")
        FISCAL_YEAR = "fiscal_year", _("Fiscal year")

    class Status(models.TextChoices):
        OPEN = "open", _("Open for reporting")
        CLOSED = "closed", _("Closed")

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="periods"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    code = models.CharField(
        max_length=20, help_text=_("2024-03, 2024Q1, 2024, SY2024-25, FY2024-25")
    )
    start = models.DateField()
    end = models.DateField(help_text=_("Last day of the period."))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    due = models.DateField(null=True, blank=True, help_text=_("When reports are due."))

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "start"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "code"], name="period_code_unique")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return period_label(self.kind, self.start)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
