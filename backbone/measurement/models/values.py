"""Reported values, the submissions that carry them, their history, and ways in from outside."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.tenancy import InitiativeQuerySet

DECIMAL = {"max_digits": 20, "decimal_places": 6, "null": True, "blank": True}


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class Missing(models.TextChoices):
    """Why a value is blank: a gap with a reason, never a zero."""

    NOT_COLLECTED = "not_collected", _("Not collected")
    SUPPRESSED = "suppressed", _("Suppressed at the source")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Submission(models.Model):
    """One partner's report: a web form, a file, an API call or a DHIS2 payload."""

    class Channel(models.TextChoices):
        WEB = "web", _("Web form")
        CSV = "csv", _("CSV file")
        XLSX = "xlsx", _("Excel file")
        API = "api", _("REST API")
        DHIS2 = "dhis2", _("DHIS2 dataValueSets")
        CORRECTION = "correction", _("Correction by the backbone")

    Status = Status

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="submissions"
    )
    partner = models.ForeignKey(
        "initiatives.Partner", on_delete=models.RESTRICT, related_name="submissions"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices)
    file_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    narrative = models.TextField(blank=True, help_text=_("The story behind the numbers."))
    value_count = models.PositiveIntegerField(default=0)
    outlier_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="measurement_submission_uuid_in_initiative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} from {self.partner.organisation} ({self.status})"


class DataValue(models.Model):
    """The value one partner reports for one indicator, period and cell.

    `value` is what dashboards show for this row; for rates it is derived from numerator and
    denominator, and for weighted averages `weight` holds the n behind it.
    """

    Status = Status
    Missing = Missing

    # Each index costs every insert; the composite ones below cover these keys, so the
    # usual one-index-per-foreign-key is left off where it would only repeat them.
    # Nor does the database check the keys row by row (six lookups per value, most of a big
    # import's time): values are written only by the intake, which resolves every key from
    # the initiative's catalogue and holds those rows locked until it commits. Deletions
    # still follow on_delete, which Django applies.
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        related_name="data_values",
        db_index=False,
        db_constraint=False,
    )
    indicator = models.ForeignKey(
        "measurement.Indicator",
        on_delete=models.CASCADE,
        related_name="values",
        db_index=False,
        db_constraint=False,
    )
    partner = models.ForeignKey(
        "initiatives.Partner",
        on_delete=models.RESTRICT,
        related_name="data_values",
        db_constraint=False,
    )
    period = models.ForeignKey(
        "measurement.Period",
        on_delete=models.RESTRICT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    cell = models.ForeignKey(
        "measurement.Cell",
        on_delete=models.RESTRICT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    value = models.DecimalField(**DECIMAL)
    numerator = models.DecimalField(**DECIMAL)
    denominator = models.DecimalField(**DECIMAL)
    weight = models.DecimalField(**DECIMAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    is_outlier = models.BooleanField(default=False)
    missing = models.CharField(
        max_length=16,
        choices=Missing.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_("Why the value is blank, when it is."),
    )
    # Database defaults too: the intake writes rows with COPY and names only what it has.
    comment = models.CharField(max_length=500, blank=True, default="", db_default="")
    followup = models.BooleanField(
        default=False, db_default=False, help_text=_("Marked for follow-up (DHIS2).")
    )
    stored_by = models.CharField(
        max_length=255, blank=True, default="", db_default="", help_text=_("Who keyed it (DHIS2).")
    )
    submission = models.ForeignKey(
        Submission,
        null=True,
        on_delete=models.SET_NULL,
        related_name="values",
        db_index=False,
        db_constraint=False,
    )
    updated_at = models.DateTimeField()

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        constraints = [
            # The initiative comes last here, not first as elsewhere: this index is also the
            # table's only one led by the indicator (its keys have no index of their own), and
            # the queries of the aggregation are tuned to its order.
            models.UniqueConstraint(
                fields=["indicator", "partner", "period", "cell", "initiative"],
                name="value_once_per_cell",
            )
        ]
        indexes = [
            models.Index(fields=["initiative", "indicator", "period"]),
            models.Index(fields=["submission"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.indicator_id}/{self.partner_id}/{self.period_id}/{self.cell_id} = {self.value}"
        )


class ValueChange(models.Model):
    """One change of a value: who, when, old, new and why. Never edited, never deleted."""

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE)
    data_value = models.ForeignKey(DataValue, on_delete=models.CASCADE, related_name="changes")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous_submission = models.ForeignKey(
        Submission,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The submission that carried the old value."),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()
    old_value = models.DecimalField(**DECIMAL)
    old_numerator = models.DecimalField(**DECIMAL)
    old_denominator = models.DecimalField(**DECIMAL)
    old_weight = models.DecimalField(**DECIMAL)
    new_value = models.DecimalField(**DECIMAL)
    new_numerator = models.DecimalField(**DECIMAL)
    new_denominator = models.DecimalField(**DECIMAL)
    new_weight = models.DecimalField(**DECIMAL)
    reason = models.CharField(max_length=500, blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_value} → {self.new_value} ({self.changed_at:%Y-%m-%d})"


class ApiToken(models.Model):
    """A partner organisation's key to the API; only its hash is kept."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE)
    partner = models.ForeignKey(
        "initiatives.Partner", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, help_text=_("First characters, to recognise it."))
    token_hash = models.CharField(max_length=64, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="measurement_apitoken_uuid_in_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative", "token_hash"],
                name="measurement_apitoken_token_hash_in_initiative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Dhis2Mapping(models.Model):
    """How a DHIS2 code reads in Backbone: a data element is an indicator, a category option
    combo is a cell (groups), an org unit is a place (a geography group)."""

    class Kind(models.TextChoices):
        DATA_ELEMENT = "data_element", _("Data element → indicator")
        CATEGORY_OPTION_COMBO = "coc", _("Category option combo → groups")
        ORG_UNIT = "org_unit", _("Org unit → place")
        ATTRIBUTE_OPTION_COMBO = "aoc", _("Attribute option combo → partner")

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE)
    kind = models.CharField(max_length=14, choices=Kind.choices)
    code = models.CharField(max_length=64, help_text=_("The DHIS2 uid or code."))
    indicator = models.ForeignKey(
        "measurement.Indicator", null=True, blank=True, on_delete=models.CASCADE
    )
    cell = models.ForeignKey("measurement.Cell", null=True, blank=True, on_delete=models.CASCADE)
    place = models.ForeignKey("measurement.Group", null=True, blank=True, on_delete=models.CASCADE)
    partner = models.ForeignKey(
        "initiatives.Partner", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["initiative", "kind", "code"], name="dhis2_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.code}"


class ValuesVersion(models.Model):
    """A token that changes whenever an initiative's values change (a report written, a
    status moved): answers computed from the values can be kept under it and are never
    served once the values have moved on."""

    initiative = models.OneToOneField(
        "initiatives.Initiative", on_delete=models.CASCADE, primary_key=True
    )
    token = models.UUIDField(default=uuid.uuid4)

    objects = InitiativeQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Values of initiative {self.initiative_id}: {self.token}"
