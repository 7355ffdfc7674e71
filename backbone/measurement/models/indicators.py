"""Indicators: what the partners measure together, and how their values add up."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


class Aggregation(models.TextChoices):
    """How values combine across space (partners, places, groups) and across time.

    sum         counts of events: add across space and across time.
    rate        recomputed from summed numerators and denominators, in space and in time.
    weighted    averages: weighted by their n, in space and in time.
    stock       point-in-time counts: the last value in time, summed across space.
    cumulative  running totals: the latest running total in time, summed across space.
    """

    SUM = "sum", _("Sum")
    RATE = "rate", _("Rate from numerator and denominator")
    WEIGHTED = "weighted", _("Average weighted by n")
    STOCK = "stock", _("Stock: last value in time, summed across places")
    CUMULATIVE = "cumulative", _("Cumulative: latest running total")


class Indicator(Revised):
    class Kind(models.TextChoices):
        POPULATION = "population", _("Population indicator")
        HOW_MUCH = "how_much", _("Performance measure: how much did we do?")
        HOW_WELL = "how_well", _("Performance measure: how well did we do it?")
        BETTER_OFF = "better_off", _("Performance measure: is anyone better off?")

    class Unit(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENT = "percent", _("Percent")
        RATE = "rate", _("Rate per N")
        CURRENCY = "currency", _("Currency")
        SCORE = "score", _("Score")

    class Direction(models.TextChoices):
        UP = "up", _("Up is better")
        DOWN = "down", _("Down is better")

    class Frequency(models.TextChoices):
        MONTH = "month", _("Monthly")
        QUARTER = "quarter", _("Quarterly")
        SCHOOL_YEAR = "school_year", _("School year")
        YEAR = "year", _("Calendar year")
        FISCAL_YEAR = "fiscal_year", _("Fiscal year")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: on the public scorecard")
        FUNDERS = "funders", _("Members and funders")
        MEMBERS = "members", _("Members, not funders")

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(max_length=60, help_text=_("Short code used in files and the API."))
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.POPULATION)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.COUNT)
    rate_per = models.PositiveIntegerField(
        default=100, help_text=_("For rates: per how many (100 for a percent, 1,000, …).")
    )
    numerator_definition = models.TextField(blank=True)
    denominator_definition = models.TextField(blank=True)
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    aggregation = models.CharField(
        max_length=12, choices=Aggregation.choices, default=Aggregation.SUM
    )
    source = models.CharField(max_length=300, blank=True)
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.YEAR)
    owner = models.ForeignKey(
        "initiatives.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    goal = models.ForeignKey(
        "agenda.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    strategy = models.ForeignKey(
        "agenda.Strategy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    minimum = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    maximum = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    all_cells_required = models.BooleanField(
        default=False, help_text=_("A report must give every combination of groups.")
    )
    decimals = models.PositiveSmallIntegerField(default=1)
    dimensions = models.ManyToManyField(
        "measurement.Dimension",
        through="IndicatorDimension",
        blank=True,
        related_name="indicators",
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="measurement_indicator_uuid_in_initiative"
            ),
            models.UniqueConstraint(fields=["initiative", "code"], name="indicator_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cumulative(self) -> bool:
        return self.aggregation == Aggregation.CUMULATIVE

    @property
    def uses_fraction(self) -> bool:
        """Reported as numerator and denominator (the value is derived from them)."""
        return self.aggregation == Aggregation.RATE

    @property
    def uses_weight(self) -> bool:
        return self.aggregation == Aggregation.WEIGHTED

    @property
    def is_proportion(self) -> bool:
        """A share of a whole, so the numerator cannot exceed the denominator."""
        return self.uses_fraction and self.unit == self.Unit.PERCENT


class IndicatorDimension(models.Model):
    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE)
    dimension = models.ForeignKey("measurement.Dimension", on_delete=models.RESTRICT)
    position = models.PositiveIntegerField(default=0)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "indicator", "dimension"], name="indicator_dimension_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} by {self.dimension}"


class Target(models.Model):
    """A baseline or a target of an indicator, for a period and a cell (the total by default)."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        TARGET = "target", _("Target")

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period = models.ForeignKey("measurement.Period", on_delete=models.RESTRICT)
    cell = models.ForeignKey("measurement.Cell", on_delete=models.RESTRICT)
    value = models.DecimalField(max_digits=20, decimal_places=6)
    note = models.CharField(max_length=300, blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "indicator", "kind", "period", "cell"], name="target_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.indicator} for {self.period}: {self.value}"


class SeriesBreak(models.Model):
    """Where an indicator's series starts again (a new test, a new definition): figures are
    never compared across it — baseline, change, trend and forecast start afresh."""

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="breaks")
    period = models.ForeignKey(
        "measurement.Period",
        on_delete=models.RESTRICT,
        related_name="+",
        help_text=_("The first period of the new series."),
    )
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "indicator", "period"], name="series_break_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} starts again at {self.period}: {self.reason}"
