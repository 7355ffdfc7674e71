"""The measurement fixtures the navigation's counts are tried on."""

from tests.measurement.conftest import measured  # noqa: F401 (a fixture)
from tests.measurement.reporting.conftest import reporting  # noqa: F401 (a fixture)
