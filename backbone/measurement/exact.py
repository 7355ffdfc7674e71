"""Exact sums of decimals on PostgreSQL and SQLite alike.

PostgreSQL adds `numeric` exactly. SQLite keeps a DecimalField as an INTEGER where the number
is whole and as a REAL otherwise, and its SUM adds REALs in binary floating point, so a total
of many large values drifts in its last digits (a world GDP total came out 0.057 off). On
SQLite, therefore, `ExactSum` adds in integers, with SQLite's own SUM, whatever it can:

- numbers below 2^30 as their whole part and their millionths: a stored number has six
  decimal places, and a double below 2^30 is a few units in its last place (2^-23 each)
  from the number it stands for, so the millionths of its fraction, rounded, are exact (a
  REAL with more places counts rounded to six, as Django reads it);
- products of whole numbers below √2^63, in two parts (millions and the rest), so that no
  sum overflows;

and hands only the rest — numbers from 2^30 up, other products — to a Python
aggregate (`register`, from the app's `ready`) that reads each back as the decimal it was
written as (SQLite keeps the first 15 significant digits of a REAL, so the double rounded to
15 digits gives them back, as Django reads a DecimalField) and adds in decimal. One scalar
function adds the parts up; the sum leaves SQLite as text, so no float rounds it on the way.
"""

from __future__ import annotations

from decimal import Context, Decimal

from django.db.models import Aggregate, DecimalField

SQLITE_SUM = "backbone_exact_sum"
SQLITE_TOTAL = "backbone_exact_total"
SMALL_REAL = 2**30  # below it a REAL's millionths are exact (see the module's docstring)
SMALL_FACTOR = 3037000499  # two whole numbers below it multiply without overflow (√2^63)
# Wide enough for any sum of products of two stored numbers (fourteen digits and six places
# each, so forty digits a product) over billions of rows.
_CONTEXT = Context(prec=80)
_FIFTEEN_DIGITS = Context(prec=15)


def _decimal(number) -> Decimal:
    if isinstance(number, float):
        return _FIFTEEN_DIGITS.create_decimal_from_float(number)
    return Decimal(number)  # an int, or text


class _Sum:
    """SUM(x) or SUM(x * y), exactly, in Python; a row with a NULL adds nothing, as in SQL."""

    def __init__(self):
        self.total: Decimal | None = None

    def step(self, *numbers):
        if any(n is None for n in numbers):
            return
        found = _decimal(numbers[0])
        for n in numbers[1:]:
            found = _CONTEXT.multiply(found, _decimal(n))
        self.total = found if self.total is None else _CONTEXT.add(self.total, found)

    def finalize(self):
        return None if self.total is None else str(self.total)


def _total(whole, millionths, large_millions, large_rest, rest) -> str | None:
    """The parts an exact sum was added up in, as one exact number in text."""
    parts = (whole, millionths, large_millions, large_rest, rest)
    if all(part is None for part in parts):
        return None
    total = Decimal(whole or 0)
    for part in (
        Decimal(millionths or 0).scaleb(-6, _CONTEXT),
        _CONTEXT.multiply(Decimal(large_millions or 0), Decimal(10**6)),
        Decimal(large_rest or 0),
        _decimal(rest or 0),
    ):
        total = _CONTEXT.add(total, part)
    return str(total)


def register(connection) -> None:
    """Give a new SQLite connection the exact sum's functions (on `connection_created`)."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_aggregate(SQLITE_SUM, -1, _Sum)
    raw.create_function(SQLITE_TOTAL, 5, _total, deterministic=True)


def on_connection_created(sender, connection, **kwargs) -> None:
    register(connection)


def _sqlite_sum(x: str) -> str:
    # Three aggregates, each filtered by cheap comparisons rather than typeof().
    small = f"{x} > -{SMALL_REAL} AND {x} < {SMALL_REAL}"
    whole = f"CAST({x} AS INTEGER)"
    return (
        f"{SQLITE_TOTAL}("
        f"SUM({whole}) FILTER (WHERE {small}), "
        f"SUM(CAST(round(({x} - {whole}) * 1000000) AS INTEGER)) FILTER (WHERE {small}), "
        f"NULL, NULL, "
        f"{SQLITE_SUM}({x}) FILTER (WHERE {x} <= -{SMALL_REAL} OR {x} >= {SMALL_REAL}))"
    )


def _sqlite_sum_of_products(x: str, y: str) -> str:
    # NULLs (a value without n) and large numbers are ruled out before typeof() is called.
    small = (
        f"{y} IS NOT NULL AND {x} IS NOT NULL "
        f"AND {x} > -{SMALL_FACTOR} AND {x} < {SMALL_FACTOR} "
        f"AND {y} > -{SMALL_FACTOR} AND {y} < {SMALL_FACTOR} "
        f"AND typeof({x}) = 'integer' AND typeof({y}) = 'integer'"
    )
    return (
        f"{SQLITE_TOTAL}(NULL, NULL, "
        f"SUM(({x} * {y}) / 1000000) FILTER (WHERE {small}), "
        # the remainder, without SQL's "%", which Django's query parameters would take
        f"SUM({x} * {y} - ({x} * {y}) / 1000000 * 1000000) FILTER (WHERE {small}), "
        f"{SQLITE_SUM}({x}, {y}) FILTER (WHERE {x} IS NOT NULL AND {y} IS NOT NULL "
        f"AND NOT ({small})))"
    )


class ExactSumField(DecimalField):
    """What an exact sum answers. Its own internal type keeps SQLite's decimal converter,
    which reads a float through 15 significant digits, away from the exact text."""

    def get_internal_type(self) -> str:
        return "ExactSumField"


class ExactSum(Aggregate):
    """The sum of a column — or, given two, of their product (`ExactSum("value", "weight")`
    is Σ value × weight) — as an exact Decimal on both databases."""

    function = "SUM"
    name = "ExactSum"
    arg_joiner = " * "  # PostgreSQL: SUM(value * weight), exact in numeric

    def __init__(self, *expressions, output_field=None):
        if len(expressions) not in (1, 2):
            raise TypeError("ExactSum adds one expression, or the product of two.")
        super().__init__(*expressions, output_field=output_field or ExactSumField())

    def as_sqlite(self, compiler, connection, **extra_context):
        compiled = [compiler.compile(e) for e in self.source_expressions]
        sqls = [sql for sql, _ in compiled]
        if any(params for _, params in compiled):  # each part names them once: Python adds
            sql, params = self.as_sql(
                compiler, connection, function=SQLITE_SUM, arg_joiner=", ", **extra_context
            )
            return f"{SQLITE_TOTAL}(NULL, NULL, NULL, NULL, {sql})", params
        if len(sqls) == 1:
            return _sqlite_sum(sqls[0]), []
        return _sqlite_sum_of_products(*sqls), []

    def convert_value(self, value, expression, connection):
        if value is None or isinstance(value, Decimal):
            return value
        return _decimal(value)
