"""Which tests a run takes. CI runs the suite on SQLite, then again on PostgreSQL with
`BACKBONE_SECOND_DATABASE=1`: that second run takes only what the database can change.

- The browser tests (marked e2e) run once, on SQLite: the pages are the same on either
  database, and every query behind them runs on PostgreSQL in the rest of the suite.
- Tests that never open the database (no `db`, `transactional_db` or live server among
  their fixtures, no `django_db` mark: pytest-django refuses such a test any query) run
  once: the same code gives them the same answer whatever DATABASE_URL says.

Without a browser, the browser tests are skipped, or refused with
`BACKBONE_REQUIRE_BROWSER=1` (as CI does)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser import CHROMIUM

#: Fixtures that give a test the database.
DATABASE = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def opens_the_database(item: pytest.Item) -> bool:
    used = set(getattr(item, "fixturenames", ()))
    return bool(used & DATABASE) or item.get_closest_marker("django_db") is not None


def repeated_on_a_second_database(item: pytest.Item) -> bool:
    return "e2e" not in item.keywords and opens_the_database(item)


def pytest_collection_modifyitems(config, items):
    if os.environ.get("BACKBONE_SECOND_DATABASE"):
        left = [item for item in items if not repeated_on_a_second_database(item)]
        config.hook.pytest_deselected(items=left)
        items[:] = [item for item in items if repeated_on_a_second_database(item)]
        return
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    if os.environ.get("BACKBONE_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"Browser tests need {CHROMIUM}; install Debian's chromium.")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)
