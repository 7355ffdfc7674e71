"""Sums of reported values over every partner, kept in step with the values on every write."""

from django.db import models
from django.db.models.functions import Cast

from backbone.tenancy import InitiativeQuerySet


class ExactDecimalField(models.DecimalField):
    """A decimal column that keeps every digit on SQLite too, as text: a REAL keeps only
    fifteen significant digits, and sums over a whole network run past them. PostgreSQL's
    numeric is exact already. Read it through a cast to text
    (`Rollup.objects.with_exact_sums()`)."""

    def db_type(self, connection):
        if connection.vendor == "sqlite":
            return "text"
        return super().db_type(connection)


SUM = {"max_digits": 30, "decimal_places": 6, "null": True}
SUMS = ("total", "numerator", "denominator", "weighted", "weight")


class RollupQuerySet(InitiativeQuerySet):
    def with_exact_sums(self):
        """The sums as text (`x_total`, …), so no digit passes through a float on SQLite."""
        return self.annotate(
            **{f"x_{name}": Cast(name, output_field=models.CharField()) for name in SUMS}
        )


class Rollup(models.Model):
    """What an indicator's values add up to in one period, over every partner.

    One row per (indicator, period, cell) for the full cells, one for the total cell holding
    the totals that count in overall answers (a dimensionless indicator's totals, or the
    totals standing in for partners who gave no full cell), and one with no cell: the whole
    period, partners counted once. `provisional` rows count submitted values beside the
    approved ones. Written only by `measurement.rollups`, in the transaction that changed
    the values; `backbone rebuild_rollups` recomputes them from scratch.
    """

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    indicator = models.ForeignKey(
        "measurement.Indicator",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    period = models.ForeignKey(
        "measurement.Period",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    cell = models.ForeignKey(
        "measurement.Cell",
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    provisional = models.BooleanField()
    value_count = models.PositiveIntegerField()
    partner_count = models.PositiveIntegerField()
    total = ExactDecimalField(**SUM)
    numerator = ExactDecimalField(**SUM)
    denominator = ExactDecimalField(**SUM)
    weighted = ExactDecimalField(max_digits=40, decimal_places=12, null=True)
    weight = ExactDecimalField(**SUM)

    objects = RollupQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["initiative", "provisional", "period", "indicator"],
                name="rollup_by_period",
            ),
            models.Index(fields=["indicator", "period"], name="rollup_by_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.period_id}/{self.cell_id}: {self.value_count} values"
